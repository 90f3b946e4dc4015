package tv.latent.generate.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tv.latent.generate.StageException;

class EndpointPoolTest {
    /** A clock the test moves by hand. */
    static final class ManualClock implements InstantSource {
        final AtomicLong millis = new AtomicLong(1_000_000);

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }
    }

    record Client(String endpoint) implements AutoCloseable {
        @Override
        public void close() {}
    }

    final ManualClock clock = new ManualClock();
    final PoolPolicy policy = new PoolPolicy(0, Duration.ofMillis(10), 3, Duration.ofSeconds(30));

    EndpointPool<Client> pool(List<String> endpoints, PoolPolicy p) {
        return new EndpointPool<>("test", endpoints, Client::new, p, clock, clock::advance);
    }

    static StageException retryable() {
        return new StageException("503 queue full", true);
    }

    @Test
    void breakerOpensAfterThreeRetryableFailuresAndHalfOpensAfterTheCoolDown() {
        CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(breaker.tryAcquire()).isTrue();
            breaker.failure();
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.tryAcquire()).isFalse();

        clock.advance(Duration.ofSeconds(30));
        assertThat(breaker.tryAcquire()).as("one trial call").isTrue();
        assertThat(breaker.tryAcquire()).as("only one trial at a time").isFalse();
        breaker.failure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

        clock.advance(Duration.ofSeconds(30));
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.success();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void aSuccessResetsTheFailureCount() {
        CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30), clock);
        breaker.failure();
        breaker.failure();
        breaker.success();
        breaker.failure();
        breaker.failure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void callsMoveToTheHealthyEndpointWhenOneKeepsFailing() throws Exception {
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        try (EndpointPool<Client> pool =
                pool(List.of("bad", "good"), new PoolPolicy(2, Duration.ofMillis(10), 3, Duration.ofSeconds(30)))) {
            for (int i = 0; i < 10; i++) {
                String who = pool.call(Duration.ofMinutes(1), (client, left) -> {
                    calls.merge(client.endpoint(), 1, Integer::sum);
                    if (client.endpoint().equals("bad")) {
                        throw retryable();
                    }
                    return client.endpoint();
                });
                assertThat(who).isEqualTo("good");
            }
            assertThat(pool.state(0)).isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(calls.get("bad")).isEqualTo(3);
        }
    }

    @Test
    void whenEveryCircuitIsOpenTheCallFailsFastAndRetryably() throws Exception {
        try (EndpointPool<Client> pool = pool(List.of("only"), policy)) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> pool.call(Duration.ofMinutes(1), (c, left) -> {
                            throw retryable();
                        }))
                        .isInstanceOf(StageException.class);
            }
            assertThatThrownBy(() -> pool.call(Duration.ofMinutes(1), (c, left) -> "never"))
                    .isInstanceOfSatisfying(
                            StageException.class, e -> assertThat(e.retryable()).isTrue())
                    .hasMessageContaining("circuit open")
                    .hasMessageContaining("queue full");
            clock.advance(Duration.ofSeconds(31));
            String back = pool.call(Duration.ofMinutes(1), (c, left) -> "back");
            assertThat(back).isEqualTo("back");
            assertThat(pool.state(0)).isEqualTo(CircuitBreaker.State.CLOSED);
        }
    }

    @Test
    void retriesWithDoublingBackoffWithinTheBudget() throws Exception {
        AtomicLong tries = new AtomicLong();
        long start = clock.millis();
        try (EndpointPool<Client> pool =
                pool(List.of("a"), new PoolPolicy(3, Duration.ofSeconds(1), 10, Duration.ofSeconds(30)))) {
            String out = pool.call(Duration.ofMinutes(1), (c, left) -> {
                if (tries.incrementAndGet() < 4) {
                    throw retryable();
                }
                return "ok";
            });
            assertThat(out).isEqualTo("ok");
        }
        assertThat(clock.millis() - start).as("waited 1 + 2 + 4 s").isEqualTo(7_000);
    }

    @Test
    void aRetryThatWouldPassTheBudgetIsNotTried() {
        AtomicLong tries = new AtomicLong();
        try (EndpointPool<Client> pool =
                pool(List.of("a"), new PoolPolicy(5, Duration.ofSeconds(10), 10, Duration.ofSeconds(30)))) {
            assertThatThrownBy(() -> pool.call(Duration.ofSeconds(5), (c, left) -> {
                        tries.incrementAndGet();
                        throw retryable();
                    }))
                    .isInstanceOf(StageException.class);
        }
        assertThat(tries.get()).isEqualTo(1);
    }

    @Test
    void aNonRetryableFailureIsNotRetriedAndDoesNotCountAgainstTheEndpoint() throws Exception {
        AtomicLong tries = new AtomicLong();
        try (EndpointPool<Client> pool =
                pool(List.of("a"), new PoolPolicy(3, Duration.ofMillis(1), 1, Duration.ofSeconds(30)))) {
            assertThatThrownBy(() -> pool.call(Duration.ofMinutes(1), (c, left) -> {
                        tries.incrementAndGet();
                        throw new StageException("prompt rejected", false);
                    }))
                    .isInstanceOfSatisfying(
                            StageException.class, e -> assertThat(e.retryable()).isFalse());
            assertThat(tries.get()).isEqualTo(1);
            assertThat(pool.state(0)).isEqualTo(CircuitBreaker.State.CLOSED);
        }
    }

    static StageException busyFor(Duration retryAfter) {
        return new StageException("429 too many requests", true, null, retryAfter);
    }

    @Test
    void theWaitBeforeTheNextTryIsAtLeastWhatTheServerAsked() throws Exception {
        AtomicLong tries = new AtomicLong();
        long start = clock.millis();
        try (EndpointPool<Client> pool =
                pool(List.of("a"), new PoolPolicy(1, Duration.ofMillis(10), 10, Duration.ofSeconds(30)))) {
            String out = pool.call(Duration.ofMinutes(1), (c, left) -> {
                if (tries.incrementAndGet() == 1) {
                    throw busyFor(Duration.ofSeconds(7));
                }
                return "ok";
            });
            assertThat(out).isEqualTo("ok");
        }
        assertThat(clock.millis() - start).as("waited what Retry-After asked").isEqualTo(7_000);
    }

    @Test
    void anEndpointThatAskedToBeLeftAloneGetsNoCallUntilThen() throws Exception {
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        try (EndpointPool<Client> pool = pool(List.of("busy", "free"), policy)) {
            for (int i = 0; i < 6; i++) {
                try {
                    pool.call(Duration.ofMinutes(1), (client, left) -> {
                        calls.merge(client.endpoint(), 1, Integer::sum);
                        if (client.endpoint().equals("busy")) {
                            throw busyFor(Duration.ofSeconds(30));
                        }
                        return client.endpoint();
                    });
                } catch (StageException e) {
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
                }
            }
            assertThat(calls.get("busy")).as("asked once, then left alone").isEqualTo(1);
            assertThat(calls.get("free")).isGreaterThanOrEqualTo(5);

            clock.advance(Duration.ofSeconds(31));
            pool.call(Duration.ofMinutes(1), (client, left) -> calls.merge(client.endpoint(), 1, Integer::sum));
            pool.call(Duration.ofMinutes(1), (client, left) -> calls.merge(client.endpoint(), 1, Integer::sum));
            assertThat(calls.get("busy"))
                    .as("called again once the time passed")
                    .isEqualTo(2);
        }
    }

    @Test
    void whenEveryEndpointAskedToWaitTheCallFailsAtOnceCarryingTheWait() throws Exception {
        AtomicLong tries = new AtomicLong();
        try (EndpointPool<Client> pool = pool(List.of("only"), policy)) {
            assertThatThrownBy(() -> pool.call(Duration.ofMinutes(1), (c, left) -> {
                        tries.incrementAndGet();
                        throw busyFor(Duration.ofSeconds(120));
                    }))
                    .isInstanceOfSatisfying(StageException.class, e -> assertThat(e.retryAfter())
                            .contains(Duration.ofSeconds(120)));
            clock.advance(Duration.ofSeconds(20));

            assertThatThrownBy(() -> pool.call(Duration.ofMinutes(1), (c, left) -> {
                        tries.incrementAndGet();
                        return "never";
                    }))
                    .isInstanceOfSatisfying(StageException.class, e -> {
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.retryAfter()).contains(Duration.ofSeconds(100));
                    })
                    .hasMessageContaining("Retry-After")
                    .hasMessageContaining("429 too many requests");
            assertThat(tries.get())
                    .as("no call while the server asked for quiet")
                    .isEqualTo(1);
        }
    }

    @Test
    void aRetryAfterLongerThanTheBudgetEndsTheCallWithTheWaitForTheJob() {
        AtomicLong tries = new AtomicLong();
        try (EndpointPool<Client> pool =
                pool(List.of("a"), new PoolPolicy(3, Duration.ofMillis(10), 10, Duration.ofSeconds(30)))) {
            assertThatThrownBy(() -> pool.call(Duration.ofSeconds(5), (c, left) -> {
                        tries.incrementAndGet();
                        throw busyFor(Duration.ofSeconds(7));
                    }))
                    .isInstanceOfSatisfying(StageException.class, e -> assertThat(e.retryAfter())
                            .contains(Duration.ofSeconds(7)));
        }
        assertThat(tries.get()).isEqualTo(1);
    }

    @Test
    void waitsHaveJitterSoThatFailedCallsDoNotReturnTogether() throws Exception {
        List<Duration> waits = new java.util.concurrent.CopyOnWriteArrayList<>();
        PoolPolicy jittered = new PoolPolicy(1, Duration.ofSeconds(1), 10, Duration.ofSeconds(30), 0.5);
        try (EndpointPool<Client> pool = new EndpointPool<>("test", List.of("a"), Client::new, jittered, clock, d -> {
            waits.add(d);
            clock.advance(d);
        })) {
            for (int i = 0; i < 20; i++) {
                AtomicLong tries = new AtomicLong();
                pool.call(Duration.ofMinutes(1), (c, left) -> {
                    if (tries.incrementAndGet() == 1) {
                        throw retryable();
                    }
                    return "ok";
                });
            }
        }
        assertThat(waits).allSatisfy(w -> assertThat(w).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1)));
        assertThat(waits.stream().distinct().count()).isGreaterThan(1);
    }

    @Test
    void picksTheLeastBusyEndpoint() throws Exception {
        try (EndpointPool<Client> pool = pool(List.of("a", "b"), policy)) {
            String inner = pool.call(
                    Duration.ofMinutes(1),
                    (outer, left) -> pool.call(Duration.ofMinutes(1), (c, l) -> outer.endpoint() + "+" + c.endpoint()));
            assertThat(inner).isIn("a+b", "b+a");
        }
    }
}
