package tv.latent.station;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.gradio.FakeEndpoint;
import tv.latent.backend.gradio.FakeGradioServer;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.Lookahead;
import tv.latent.pipeline.ShotJob;
import tv.latent.testing.SlowTest;

/**
 * A channel whose only render backend answers every call with an error (a Space raising "CUDA
 * out of memory", as the original AI WebTV's Spaces did when full) stays on air and costs a
 * bounded number of model calls. Before the lookahead backed off, the same setup made 340 failed
 * jobs in about 80 s, a new model call every quarter second.
 */
@SlowTest
class DeadBackendTest {
    private static final int MAX_ATTEMPTS = 3;
    private static final int RETRIES = 2;

    @TempDir
    Path dir;

    @Test
    void aDeadRenderBackendCostsABoundedNumberOfCallsWhileTheChannelAirsTheSlate() throws Exception {
        try (FakeGradioServer space = FakeGradioServer.builder()
                .endpoint(FakeEndpoint.named("/run")
                        .parameter("prompt", "str", "Textbox")
                        .parameter("seed", "int", "Slider", 0)
                        .parameter("num_frames", "int", "Slider", 24)
                        .parameter("num_inference_steps", "int", "Slider", 25)
                        .returns("Result", "Video")
                        .handler(call -> {
                            throw new FakeGradioServer.AppError("CUDA out of memory");
                        }))
                .start()) {
            LatentConfig config = ConfigLoader.parse(
                    """
                    dataDir: data
                    server: {host: 127.0.0.1, port: 0}
                    pipeline: {maxConcurrentJobs: 2, maxAttempts: %d, retryBackoffMillis: 2000}
                    backends:
                      zeroscope: {type: gradio-zeroscope, url: '%s', timeoutSeconds: 20, retries: %d}
                    channels:
                      - id: dead
                        theme: herons in the reeds
                        lookaheadSeconds: 180
                        format: {width: 256, height: 144, videoKbps: 300, audioKbps: 64}
                        model: {width: 128, height: 72, frames: 24, fps: 8}
                        stages: {render: [zeroscope]}
                    """
                            .formatted(MAX_ATTEMPTS, space.root(), RETRIES),
                    dir.resolve("latenttv.yaml"),
                    name -> null);

            Duration window = Duration.ofMinutes(2);
            try (Station station = Station.start(config, Station.Options.serving(0))) {
                long deadline = System.nanoTime() + window.toNanos();
                while (System.nanoTime() < deadline) {
                    assertThat(station.playout().nowPlaying("dead")).hasValueSatisfying(now -> assertThat(now.slate())
                            .as("the channel airs its slate meanwhile")
                            .isTrue());
                    assertThat(station.playout().playlist("dead")).contains(".ts");
                    Thread.sleep(5_000);
                }
                List<ShotJob> jobs = station.jobs().list("dead", 1000);
                long calls = space.requests().stream()
                        .filter(r -> r.method().equals("POST")
                                && (r.path().contains("/call/") || r.path().endsWith("/queue/join")))
                        .count();

                // the lookahead's first batch, then one probe at a time after 15 s, 30 s, 1 min ...
                // (a batch of 4 failing together already waits 2 min)
                int jobsBound = Lookahead.MAX_BATCH + 2;
                assertThat(jobs).hasSizeLessThanOrEqualTo(jobsBound);
                assertThat(calls)
                        .as("model calls in %s (each job: %d tries of 1 + %d calls)", window, MAX_ATTEMPTS, RETRIES)
                        .isLessThanOrEqualTo((long) jobsBound * MAX_ATTEMPTS * (1 + RETRIES))
                        .isPositive();
                assertThat(jobs).filteredOn(j -> j.state() == JobState.FAILED).isNotEmpty();
                Lookahead.Generation generation = station.generation("dead");
                assertThat(generation.failing()).isTrue();
                assertThat(generation.lastError()).contains("CUDA out of memory");
                assertThat(generation.nextAskIn()).isPresent();
            }
        }
    }
}
