package tv.latent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.gradio.FakeGradioServer;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;

/** A model server that answers 429 with Retry-After sets how long the job waits before its next try. */
class ServerRetryAfterTest {
    @TempDir
    Path dir;

    LatentConfig config(String zeroscopeUrl) {
        String yaml =
                """
        dataDir: data
        pipeline: {maxConcurrentJobs: 1, maxAttempts: 3, retryBackoffMillis: 50}
        backends:
          zeroscope: {type: gradio-zeroscope, url: '%s', timeoutSeconds: 20, retries: 0}
        channels:
          - id: remote
            theme: herons in the reeds
            format: {width: 512, height: 288}
            model: {width: 256, height: 144, frames: 24, fps: 8}
            stages: {render: [zeroscope]}
        """
                        .formatted(zeroscopeUrl);
        return ConfigLoader.parse(yaml, dir.resolve("latenttv.yaml"), k -> null);
    }

    @Test
    void a429WithRetryAfterSevenMakesTheJobWaitSevenSecondsNotItsOwnBackoff() throws Exception {
        try (FakeGradioServer space = RemoteChainTest.zeroscopeSpace(List.of());
                var wired = new TestChannels.Wired(config(space.root().toString()))) {
            space.fault(FakeGradioServer.Fault.RATE_LIMITED);
            wired.pipeline.start();
            ShotJob job = wired.pipeline
                    .submit("remote", TestChannels.shots("a grey heron standing in the reeds at dawn"))
                    .get(0);

            ShotJob failedOnce = job;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (failedOnce.attempts() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                failedOnce = wired.jobs.find(job.id()).orElseThrow();
            }

            assertThat(failedOnce.attempts()).as(failedOnce.lastError()).isEqualTo(1);
            assertThat(failedOnce.lastError()).contains("429");
            assertThat(Duration.between(failedOnce.updatedAt(), failedOnce.nextAttemptAt()))
                    .as("the job's retry wait is what the server asked, not the pipeline's 50 ms")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(7))
                    .isLessThan(Duration.ofSeconds(8));
        }
    }
}
