package tv.latent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.fal.FakeFalServer;
import tv.latent.backend.replicate.FakeReplicateServer;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.generate.remote.HostedFixtures;
import tv.latent.library.Clip;
import tv.latent.testing.SlowTest;

/**
 * A channel whose render chain is {@code [fal, replicate, procedural]}, configured in YAML against
 * a fake fal queue and a fake Replicate: fal refuses one prompt, then fails; Replicate throttles,
 * once, then for good. Every clip says who made it and why the ones before did not.
 */
@SlowTest
class HostedChainTest {
    static final String FAL_KEY = "fal-key-CHAIN-1";
    static final String TOKEN = "r8_CHAINtoken";
    static final Function<String, String> ENV = Map.of("FAL_KEY", FAL_KEY, "REPLICATE_API_TOKEN", TOKEN)::get;

    @TempDir
    Path dir;

    FakeFalServer fal;
    FakeReplicateServer replicate;

    @AfterEach
    void stop() {
        fal.close();
        replicate.close();
    }

    static String input() {
        return "{prompt: prompt, negative_prompt: negativePrompt, seed: seed, num_frames: frames, fps: fps,"
                + " width: width, height: height}";
    }

    LatentConfig config() {
        String yaml =
                """
        dataDir: data
        budget: {currency: EUR}
        pipeline: {maxConcurrentJobs: 1, maxAttempts: 1, retryBackoffMillis: 50}
        backends:
          fal:
            type: fal-render
            app: %s
            keyEnv: FAL_KEY
            url: '%s'
            input: %s
            pollMillis: 20
            price: {perCall: 0.25}
            timeoutSeconds: 20
            retries: 1
            retryBackoffMillis: 20
          replicate:
            type: replicate-render
            model: %s
            tokenEnv: REPLICATE_API_TOKEN
            url: '%s'
            input: %s
            pollMillis: 20
            price: {perGpuSecond: 0.1}
            timeoutSeconds: 20
            retries: 1
            retryBackoffMillis: 20
        channels:
          - id: hosted
            theme: herons in the reeds
            format: {width: 256, height: 144}
            model: {width: 128, height: 72, frames: 16, fps: 8}
            stages: {render: [fal, replicate, procedural]}
        """
                        .formatted(
                                HostedFixtures.VIDEO_APP,
                                fal.baseUri(),
                                input(),
                                HostedFixtures.VIDEO_MODEL,
                                replicate.baseUri(),
                                input());
        return ConfigLoader.parse(yaml, dir.resolve("latenttv.yaml"), ENV);
    }

    @Test
    void everyClipSaysWhoMadeItAndWhyTheBackendsBeforeItDidNot() throws Exception {
        fal = HostedFixtures.fal(FAL_KEY).refusing("forbidden").start();
        replicate = HostedFixtures.replicate(TOKEN).start();
        try (var wired = TestChannels.Wired.withEnvironment(config(), ENV)) {
            ShotJob refused = wired.runToEnd(TestChannels.shots("a forbidden heron"));
            ShotJob byFal = wired.runToEnd(TestChannels.shots("a grey heron at dawn"));
            fal.misbehave(FakeFalServer.Misbehaviour.SERVER_ERROR);
            replicate.misbehave(FakeReplicateServer.Misbehaviour.THROTTLE, 1);
            ShotJob byReplicate = wired.runToEnd(TestChannels.shots("a heron catching a fish"));
            replicate.misbehave(FakeReplicateServer.Misbehaviour.THROTTLE);
            ShotJob byProcedural = wired.runToEnd(TestChannels.shots("a heron taking off"));

            assertThat(refused.state()).isEqualTo(JobState.FAILED);
            assertThat(refused.refused()).isTrue();
            assertThat(refused.attempts()).isEqualTo(1);
            assertThat(refused.lastError()).contains("render refused: fal: ").contains("content policy");
            assertThat(replicate.requests())
                    .as("a refused prompt goes nowhere else")
                    .noneMatch(r -> String.valueOf(r.body()).contains("forbidden"));

            assertThat(render(byFal).backend()).isEqualTo("fal");
            assertThat(render(byFal).fallback()).isEmpty();
            assertThat(render(byFal).params()).containsEntry("cost", "0.2500 EUR");

            assertThat(render(byReplicate).backend()).isEqualTo("replicate");
            assertThat(render(byReplicate).fallback()).startsWith("fal: ").contains("SERVER_ERROR");
            assertThat(render(byReplicate).params()).containsEntry("cost", "0.2250 EUR");

            assertThat(render(byProcedural).backend()).isEqualTo("procedural");
            assertThat(render(byProcedural).fallback())
                    .contains("fal: ")
                    .contains("replicate: ")
                    .contains("throttled");

            Clip clip = wired.library.find(byProcedural.id()).orElseThrow();
            assertThat(clip.provenance())
                    .contains("\"backend\":\"procedural\"")
                    .contains("\"fallback\":\"fal: ")
                    .contains("throttled")
                    .doesNotContain(FAL_KEY)
                    .doesNotContain(TOKEN);
            assertThat(wired.spending.ofJob(byFal.id())).isEqualTo(0.25);
            assertThat(wired.spending.ofJob(byReplicate.id())).isEqualTo(0.225);
            assertThat(wired.spending.ofJob(byProcedural.id())).isZero();
            assertThat(wired.spending.status("hosted").total())
                    .isEqualTo(0.475, org.assertj.core.api.Assertions.within(1e-9));
        }
        assertThat(fal.cdn().fetches())
                .allSatisfy(f -> assertThat(f.authorization()).isEmpty());
        assertThat(replicate.cdn().fetches())
                .allSatisfy(f -> assertThat(f.authorization()).isEmpty());
    }

    static ShotJob.StageRecord render(ShotJob job) {
        assertThat(job.state()).as(job.lastError()).isEqualTo(JobState.MASTERED);
        return job.outputs().get(JobState.RENDER);
    }
}
