package tv.latent.generate.remote;

import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.backend.http.RetryAfter;
import tv.latent.generate.StageException;
import tv.latent.time.Backoff;
import tv.latent.time.MonotonicClock;

/**
 * The servers behind one backend: one client per endpoint (a URL or a Space id), each with its own
 * circuit breaker. A call goes to the least busy endpoint whose circuit lets it through; a
 * retryable failure counts against that endpoint and the call is tried again (on whichever
 * endpoint is then best) after the policy's {@link Backoff} (doubling, with jitter), as long as the
 * call's time budget allows.
 *
 * <p>{@code Retry-After} is honoured: an endpoint that asked to be left alone gets no call until
 * that time has passed, the wait before the next try is at least what it asked (when that fits
 * the budget), and a call that cannot wait that long fails with a {@link StageException} that
 * carries the wait, so the job's retry honours it too. Budgets, waits and breakers run on the
 * monotonic clock.
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
    private final Backoff waits;
    private final MonotonicClock clock;
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
        this.waits = policy.waits();
        this.clock = MonotonicClock.following(clock);
        this.sleeper = sleeper;
        for (String endpoint : endpoints) {
            members.add(new Member<>(
                    endpoint,
                    connector,
                    new CircuitBreaker(policy.breakerFailures(), policy.breakerCoolDown(), this.clock),
                    this.clock.nanos()));
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
        long deadline = clock.nanos() + budget.toNanos();
        StageException last = null;
        for (int attempt = 0; ; attempt++) {
            Member<C> member = pick();
            if (member == null) {
                throw unavailable(last);
            }
            member.inFlight.incrementAndGet();
            try {
                long left = deadline - clock.nanos();
                if (left <= 0) {
                    member.breaker.neutral();
                    throw last != null ? last : new StageException(backend + ": no time left for a call", true);
                }
                R result = work.run(member.client(), Duration.ofNanos(left));
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
                failure.retryAfter().ifPresent(wait -> member.leaveAlone(clock.nanos(), wait));
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
            Duration wait = waits.delay(attempt + 1, last.retryAfter().orElse(null));
            if (attempt >= policy.retries() || clock.nanos() + wait.toNanos() - deadline >= 0 || closed) {
                throw last;
            }
            sleeper.sleep(wait);
        }
    }

    /**
     * Why no endpoint can take a call now: every circuit is open, or the endpoints that would take
     * it asked to be left alone ({@code Retry-After}); then the failure carries the shortest wait
     * left, for the job's retry.
     */
    private StageException unavailable(StageException last) {
        String lastSeen = last != null
                ? last.getMessage()
                : members.stream()
                        .map(m -> m.lastFailure)
                        .filter(java.util.Objects::nonNull)
                        .findFirst()
                        .orElse(null);
        String why = lastSeen == null ? "" : "; last failure: " + lastSeen;
        long now = clock.nanos();
        long soonest = Long.MAX_VALUE;
        for (Member<C> m : members) {
            long left = m.notBeforeNanos.get() - now;
            if (left > 0 && m.breaker.available()) {
                soonest = Math.min(soonest, left);
            }
        }
        if (soonest != Long.MAX_VALUE) {
            Duration wait = Duration.ofNanos(soonest);
            return new StageException(
                    "every endpoint of " + backend + " asked to be called again later (Retry-After: about "
                            + Math.max(1, wait.toSeconds()) + " s more) or is failing (circuit open)" + why,
                    true,
                    last,
                    wait);
        }
        return new StageException("every endpoint of " + backend + " is failing (circuit open)" + why, true, last);
    }

    /**
     * The least busy endpoint whose circuit lets a call through and that did not ask to be left
     * alone, taking turns among equals.
     */
    private Member<C> pick() {
        int start = Math.floorMod(turn.getAndIncrement(), members.size());
        while (true) {
            Member<C> best = null;
            long now = clock.nanos();
            for (int i = 0; i < members.size(); i++) {
                Member<C> m = members.get((start + i) % members.size());
                if (m.notBeforeNanos.get() - now <= 0
                        && m.breaker.available()
                        && (best == null || m.inFlight.get() < best.inFlight.get())) {
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

    /** An endpoint's circuit, as metrics show it. */
    public enum Circuit {
        /** Calls go through. */
        CLOSED,
        /** The cool-down passed: one trial call may go through. */
        HALF_OPEN,
        /** Failing: calls skip the endpoint until its cool-down passes. */
        OPEN
    }

    /** The circuit of each endpoint, in configuration order (by index: endpoint URLs stay out of metrics). */
    public List<Circuit> circuits() {
        return members.stream()
                .map(m -> switch (m.breaker.state()) {
                    case CLOSED -> Circuit.CLOSED;
                    case HALF_OPEN -> Circuit.HALF_OPEN;
                    case OPEN -> Circuit.OPEN;
                })
                .toList();
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
        /** No call before this instant on the monotonic clock: the endpoint's own Retry-After. */
        final AtomicLong notBeforeNanos;

        private C client;
        private boolean closed;

        Member(String endpoint, Connector<C> connector, CircuitBreaker breaker, long nowNanos) {
            this.endpoint = endpoint;
            this.connector = connector;
            this.breaker = breaker;
            this.notBeforeNanos = new AtomicLong(nowNanos);
        }

        /** The endpoint asked for {@code wait} without calls (never shortens an earlier ask). */
        void leaveAlone(long nowNanos, Duration wait) {
            long until = nowNanos + Math.min(wait.toNanos(), RetryAfter.LONGEST.toNanos());
            notBeforeNanos.updateAndGet(before -> until - before > 0 ? until : before);
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
