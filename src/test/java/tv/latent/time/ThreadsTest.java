package tv.latent.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ThreadsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** A thread that waits until it is interrupted. */
    private static Thread sleeper(CountDownLatch started) {
        return Thread.ofVirtual().start(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                // asked to stop
            }
        });
    }

    @Test
    void interruptsEveryThreadAndWaitsUntilTheyEnd() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(2);
        Thread first = sleeper(started);
        Thread second = sleeper(started);
        started.await();

        Threads.stop(PATIENCE, List.of(first, second));

        assertThat(first.isAlive()).isFalse();
        assertThat(second.isAlive()).isFalse();
    }

    @Test
    void skipsThreadsThatWereNeverStarted() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Thread worker = sleeper(started);
        started.await();

        Threads.stop(PATIENCE, null, worker, null);

        assertThat(worker.isAlive()).isFalse();
    }

    @Test
    void aCallerInterruptedWhileItWaitsStopsWaitingAndKeepsItsInterrupt() throws InterruptedException {
        CountDownLatch stubbornStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread stubborn = Thread.ofVirtual().start(() -> {
            stubbornStarted.countDown();
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    // ignores the interrupt: only release ends it
                }
            }
        });
        stubbornStarted.await();
        boolean[] interruptedAfter = new boolean[1];
        Thread caller = Thread.ofVirtual().unstarted(() -> {
            Thread.currentThread().interrupt(); // interrupted before it waits: join returns at once
            Threads.stop(PATIENCE, stubborn);
            interruptedAfter[0] = Thread.currentThread().isInterrupted();
        });
        caller.start();
        caller.join();

        assertThat(interruptedAfter[0]).isTrue();
        assertThat(stubborn.isAlive()).isTrue();
        release.countDown();
        stubborn.join();
    }
}
