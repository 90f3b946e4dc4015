package tv.latent.generate.remote;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Orchestration overhead: a fake render backend of fixed latency L behind the backend's
 * concurrency semaphore (K permits) and an {@link EndpointPool} of K endpoints; N jobs on virtual
 * threads. Prints measured throughput over the ideal K/L.
 *
 * <pre>bench/remote-throughput.sh [K] [L millis] [N]</pre>
 */
public final class RemoteThroughputBench {
  private RemoteThroughputBench() {}

  record Client(String endpoint) implements AutoCloseable {
    @Override
    public void close() {}
  }

  public static void main(String[] args) throws Exception {
    int k = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    long latencyMillis = args.length > 1 ? Long.parseLong(args[1]) : 200;
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      endpoints.add("http://gpu-" + i);
    }
    Semaphore permits = new Semaphore(k, true);
    try (EndpointPool<Client> pool = new EndpointPool<>("bench", endpoints, Client::new, PoolPolicy.DEFAULT, InstantSource.system());
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
      System.out.printf(Locale.ROOT, "K=%d L=%dms N=%d: %.2f jobs/s, ideal %.2f jobs/s, ratio %.3f%n",
          k, latencyMillis, n, measured, ideal, measured / ideal);
    }
  }
}
