package tv.latent.generate.remote;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * Orchestration overhead: a fake render backend of fixed latency L behind the backend's
 * concurrency semaphore (K permits) and an {@link EndpointPool} of K endpoints; N jobs on virtual
 * threads. Prints measured throughput over the ideal K/L.
 *
 * <p>With {@code starve} first, the same machinery feeds a channel that airs one clip every C
 * millis (C &gt; L/K, so it consumes below K/L) and keeps a lookahead of clips made or in the
 * making; after the initial fill it counts starvation events, times the channel wanted its next
 * clip and none was ready.
 *
 * <pre>bench/remote-throughput.sh [K] [L millis] [N]
 * bench/remote-throughput.sh starve [K] [L millis] [N clips] [C millis] [lookahead clips]</pre>
 */
public final class RemoteThroughputBench {
    private RemoteThroughputBench() {}

    record Client(String endpoint) implements AutoCloseable {
        @Override
        public void close() {}
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("starve")) {
            int k = args.length > 1 ? Integer.parseInt(args[1]) : 4;
            long latencyMillis = args.length > 2 ? Long.parseLong(args[2]) : 200;
            int n = args.length > 3 ? Integer.parseInt(args[3]) : 200;
            long everyMillis = args.length > 4 ? Long.parseLong(args[4]) : Math.round(latencyMillis / (double) k / 0.8);
            int lookahead = args.length > 5 ? Integer.parseInt(args[5]) : 2 * k;
            starvation(k, latencyMillis, n, everyMillis, lookahead);
            return;
        }
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        long latencyMillis = args.length > 1 ? Long.parseLong(args[1]) : 200;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            endpoints.add("http://gpu-" + i);
        }
        Semaphore permits = new Semaphore(k, true);
        try (EndpointPool<Client> pool = new EndpointPool<>(
                        "bench", endpoints, Client::new, PoolPolicy.DEFAULT, InstantSource.system());
                var jobs = Executors.newVirtualThreadPerTaskExecutor()) {
            long start = System.nanoTime();
            List<Future<String>> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                done.add(jobs.submit(() -> {
                    permits.acquire();
                    try {
                        return pool.call(Duration.ofMinutes(1), (client, left) -> {
                            Thread.sleep(latencyMillis);
                            return client.endpoint();
                        });
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (Future<String> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double measured = n / seconds;
            double ideal = k * 1000.0 / latencyMillis;
            System.out.printf(
                    Locale.ROOT,
                    "K=%d L=%dms N=%d: %.2f jobs/s, ideal %.2f jobs/s, ratio %.3f%n",
                    k,
                    latencyMillis,
                    n,
                    measured,
                    ideal,
                    measured / ideal);
        }
    }

    /**
     * A channel airing one clip every {@code everyMillis} while it keeps {@code lookahead} clips
     * ready or in the making, each made by a render of {@code latencyMillis} behind K permits and a
     * pool of K endpoints. Returns the starvation events after the initial fill.
     */
    static int starvation(int k, long latencyMillis, int n, long everyMillis, int lookahead) throws Exception {
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            endpoints.add("http://gpu-" + i);
        }
        Semaphore permits = new Semaphore(k, true);
        Semaphore room = new Semaphore(lookahead);
        BlockingQueue<Long> ready = new LinkedBlockingQueue<>();
        int starved = 0;
        long waitedNanos = 0;
        long minReady = Long.MAX_VALUE;
        try (EndpointPool<Client> pool = new EndpointPool<>(
                        "bench", endpoints, Client::new, PoolPolicy.DEFAULT, InstantSource.system());
                var jobs = Executors.newVirtualThreadPerTaskExecutor()) {
            // the channel's scheduler: a new shot job whenever the lookahead has room, as the pipeline's dispatcher
            // does
            Thread producer = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        room.acquire();
                        jobs.submit(() -> {
                            permits.acquire();
                            try {
                                pool.call(Duration.ofMinutes(1), (client, left) -> {
                                    Thread.sleep(latencyMillis);
                                    return client.endpoint();
                                });
                            } finally {
                                permits.release();
                            }
                            ready.add(System.nanoTime());
                            return null;
                        });
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long fillStart = System.nanoTime();
            while (ready.size() < Math.min(lookahead, n)) {
                Thread.sleep(1);
            }
            double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
            long start = System.nanoTime();
            for (int aired = 0; aired < n; aired++) {
                long due = start + aired * everyMillis * 1_000_000L;
                long now = System.nanoTime();
                if (due > now) {
                    Thread.sleep(Duration.ofNanos(due - now));
                }
                if (aired < n - lookahead) { // the last clips drain the lookahead by design
                    minReady = Math.min(minReady, ready.size());
                }
                Long clip = ready.poll();
                if (clip == null) {
                    starved++;
                    long waitStart = System.nanoTime();
                    ready.take();
                    long waited = System.nanoTime() - waitStart;
                    waitedNanos += waited;
                    start += waited; // the channel airs the late clip now; later clips keep its rhythm
                }
                room.release();
            }
            producer.join();
            double consumption = 1000.0 / everyMillis;
            double ideal = k * 1000.0 / latencyMillis;
            System.out.printf(
                    Locale.ROOT,
                    "starve K=%d L=%dms C=%dms lookahead=%d N=%d: consumption %.2f clips/s = %.3f of K/L %.2f; initial fill %.2f s;"
                            + " starvation events %d (waited %.0f ms); fewest clips ready when one was due (before the last lookahead) %d%n",
                    k,
                    latencyMillis,
                    everyMillis,
                    lookahead,
                    n,
                    consumption,
                    consumption / ideal,
                    ideal,
                    fillSeconds,
                    starved,
                    waitedNanos / 1e6,
                    minReady);
        }
        return starved;
    }
}
