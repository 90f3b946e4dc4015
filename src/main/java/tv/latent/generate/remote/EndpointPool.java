package tv.latent.generate.remote;

import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.generate.StageException;

/**
 * The servers behind one backend: one client per endpoint (a URL or a Space id), each with its own
 * circuit breaker. A call goes to the least busy endpoint whose circuit lets it through; a
 * retryable failure counts against that endpoint and the call is tried again (on whichever
 * endpoint is then best) after a doubling back-off, as long as the call's time budget allows.
 *
 * <pre>{@code
 * EndpointPool<A1111Client> pool = new EndpointPool<>("gpu-box", List.of("http://gpu:7860"),
 *     url -> A1111Client.builder(URI.create(url)).build(), PoolPolicy.DEFAULT, InstantSource.system());
 * StageOutput out = pool.call(Duration.ofMinutes(10), (client, left) -> ...);
 * }</pre>
 *
 * <p>Clients connect lazily, on an endpoint's first call, so a server that is down at start only
 * costs its calls. Thread-safe. {@link #close()} closes every client once.
 */
public final class EndpointPool<C extends AutoCloseable> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointPool.class);

    /** Makes the client of one endpoint (may do network I/O: resolve a Space, read its config). */
    @FunctionalInterface
    public interface Connector<C> {
        C connect(String endpoint) throws IOException, InterruptedException;
    }

    /** One try of a call on one endpoint's client, with the time left in the call's budget. */
    @FunctionalInterface
    public interface Work<C, R> {
        R run(C client, Duration timeLeft) throws IOException, InterruptedException;
    }

    /** Pauses between tries; tests replace it to run without waiting. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final String backend;
    private final List<Member<C>> members = new ArrayList<>();
    private final PoolPolicy policy;
    private final InstantSource clock;
    private final Sleeper sleeper;
    private final AtomicInteger turn = new AtomicInteger();
    private volatile boolean closed;

    public EndpointPool(
            String backend, List<String> endpoints, Connector<C> connector, PoolPolicy policy, InstantSource clock) {
        this(backend, endpoints, connector, policy, clock, d -> Thread.sleep(d.toMillis()));
    }

    EndpointPool(
            String backend,
            List<String> endpoints,
            Connector<C> connector,
            PoolPolicy policy,
            InstantSource clock,
            Sleeper sleeper) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("backend " + backend + " has no endpoints");
        }
        this.backend = backend;
        this.policy = policy;
        this.clock = clock;
        this.sleeper = sleeper;
        for (String endpoint : endpoints) {
            members.add(new Member<>(
                    endpoint,
                    connector,
                    new CircuitBreaker(policy.breakerFailures(), policy.breakerCoolDown(), clock)));
        }
    }

    /** The backend's name, as in the YAML. */
    public String backend() {
        return backend;
    }

    /**
     * Runs {@code work} on the best endpoint, retrying retryable failures within {@code budget}.
     *
     * @throws StageException the last failure (retryable as it was), or a retryable one saying every
     *     endpoint's circuit is open
     */
    public <R> R call(Duration budget, Work<C, R> work) throws StageException, InterruptedException {
        long deadline = clock.millis() + budget.toMillis();
        StageException last = null;
        for (int attempt = 0; ; attempt++) {
            Member<C> member = pick();
            if (member == null) {
                String lastSeen = last != null
                        ? last.getMessage()
                        : members.stream()
                                .map(m -> m.lastFailure)
                                .filter(java.util.Objects::nonNull)
                                .findFirst()
                                .orElse(null);
                String why = lastSeen == null ? "" : "; last failure: " + lastSeen;
                throw new StageException(
                        "every endpoint of " + backend + " is failing (circuit open)" + why, true, last);
            }
            member.inFlight.incrementAndGet();
            try {
                long left = deadline - clock.millis();
                if (left <= 0) {
                    member.breaker.neutral();
                    throw last != null ? last : new StageException(backend + ": no time left for a call", true);
                }
                R result = work.run(member.client(), Duration.ofMillis(left));
                member.breaker.success();
                return result;
            } catch (InterruptedException e) {
                member.breaker.neutral();
                throw e;
            } catch (IOException | RuntimeException e) {
                StageException failure = Failures.toStage(backend, e);
                if (!failure.retryable()) {
                    member.breaker.neutral();
                    throw failure;
                }
                member.breaker.failure();
                member.lastFailure = failure.getMessage();
                last = failure;
                LOG.warn(
                        "{} at {} failed (try {} of {}): {}",
                        backend,
                        member.endpoint,
                        attempt + 1,
                        policy.retries() + 1,
                        failure.getMessage());
            } finally {
                member.inFlight.decrementAndGet();
            }
            Duration wait = policy.backoff().multipliedBy(1L << Math.min(attempt, 10));
            Duration asked = last.retryAfter().orElse(null);
            if (asked != null && asked.compareTo(wait) > 0) {
                wait = asked; // the server said when it will take calls again (429 Retry-After)
            }
            if (attempt >= policy.retries() || clock.millis() + wait.toMillis() >= deadline || closed) {
                throw last;
            }
            sleeper.sleep(wait);
        }
    }

    /** The least busy endpoint whose circuit lets a call through, taking turns among equals. */
    private Member<C> pick() {
        int start = Math.floorMod(turn.getAndIncrement(), members.size());
        while (true) {
            Member<C> best = null;
            for (int i = 0; i < members.size(); i++) {
                Member<C> m = members.get((start + i) % members.size());
                if (m.breaker.available() && (best == null || m.inFlight.get() < best.inFlight.get())) {
                    best = m;
                }
            }
            if (best == null) {
                return null;
            }
            if (best.breaker.tryAcquire()) {
                return best;
            }
            // another thread took the half-open trial between available() and tryAcquire(): look again
        }
    }

    /** Circuit states by endpoint, for status pages and tests. */
    List<String> describe() {
        return members.stream()
                .map(m -> m.endpoint + " " + m.breaker.state() + " " + m.inFlight.get())
                .toList();
    }

    CircuitBreaker.State state(int endpoint) {
        return members.get(endpoint).breaker.state();
    }

    @Override
    public void close() {
        closed = true;
        for (Member<C> m : members) {
            m.close();
        }
    }

    private static final class Member<C extends AutoCloseable> {
        final String endpoint;
        final Connector<C> connector;
        final CircuitBreaker breaker;
        final AtomicInteger inFlight = new AtomicInteger();
        volatile String lastFailure;
        private C client;
        private boolean closed;

        Member(String endpoint, Connector<C> connector, CircuitBreaker breaker) {
            this.endpoint = endpoint;
            this.connector = connector;
            this.breaker = breaker;
        }

        synchronized C client() throws IOException, InterruptedException {
            if (closed) {
                throw new StageException("backend is closed", false);
            }
            if (client == null) {
                client = connector.connect(endpoint);
            }
            return client;
        }

        synchronized void close() {
            closed = true;
            if (client != null) {
                try {
                    client.close();
                } catch (Exception e) {
                    LOG.debug("closing the client of {} failed", endpoint, e);
                }
                client = null;
            }
        }
    }
}
