package tv.latent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.a1111.FakeA1111Server;
import tv.latent.backend.gradio.FakeEndpoint;
import tv.latent.backend.gradio.FakeGradioServer;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.library.Clip;
import tv.latent.testing.SlowTest;
import tv.latent.testing.TestMedia;

/**
 * Whole jobs through a channel whose render chain is {@code [zeroscope, a1111, procedural]},
 * configured in YAML against fake model servers on loopback, some of them stopped.
 */
@SlowTest
class RemoteChainTest {
    @TempDir
    Path dir;

    FakeGradioServer zeroscope;
    FakeA1111Server a1111;

    @AfterEach
    void stopFakes() {
        if (zeroscope != null) {
            zeroscope.close();
        }
        if (a1111 != null) {
            a1111.close();
        }
    }

    /** hysts/zeroscope-v2 as /info shows it, rendering the asked frames at 256×144, with a progress bar. */
    static FakeGradioServer zeroscopeSpace(List<FakeEndpoint> extra) {
        FakeGradioServer.Builder b = FakeGradioServer.builder()
                .endpoint(FakeEndpoint.named("/run")
                        .parameter("prompt", "str", "Textbox")
                        .parameter("seed", "int", "Slider", 0)
                        .parameter("num_frames", "int", "Slider", 24)
                        .parameter("num_inference_steps", "int", "Slider", 25)
                        .returns("Result", "Video")
                        .handler(call -> {
                            call.progress(5, 10, "steps", "denoising");
                            return List.of(call.video(
                                    "out.mp4",
                                    TestMedia.mp4(256, 144, call.input(2).asInt(), 8)));
                        }));
        extra.forEach(b::endpoint);
        return b.start();
    }

    LatentConfig config(String zeroscopeUrl, String a1111Url) {
        String yaml =
                """
        dataDir: data
        pipeline: {maxConcurrentJobs: 1, maxAttempts: 1, retryBackoffMillis: 50}
        backends:
          zeroscope: {type: gradio-zeroscope, url: '%s', timeoutSeconds: 20, retries: 0}
          a1111: {type: a1111-render, url: '%s', timeoutSeconds: 20, retries: 0}
        channels:
          - id: remote
            theme: herons in the reeds
            format: {width: 512, height: 288}
            model: {width: 256, height: 144, frames: 24, fps: 8}
            stages: {render: [zeroscope, a1111, procedural]}
        """
                        .formatted(zeroscopeUrl, a1111Url);
        return ConfigLoader.parse(yaml, dir.resolve("latenttv.yaml"), k -> null);
    }

    /** A URL where a fake Space answered once and now nothing listens. */
    static String stoppedSpace() {
        try (FakeGradioServer gone = zeroscopeSpace(List.of())) {
            return gone.root().toString();
        }
    }

    @Test
    void withTheSpaceDownA1111MakesTheClipAndProvenanceSaysWhyZeroscopeFailed() throws Exception {
        a1111 = FakeA1111Server.builder().start();
        try (var wired =
                new TestChannels.Wired(config(stoppedSpace(), a1111.baseUri().toString()))) {
            ShotJob job = wired.runToEnd(TestChannels.shots("a grey heron standing in the reeds at dawn"));

            assertThat(job.state()).as(job.lastError()).isEqualTo(JobState.MASTERED);
            ShotJob.StageRecord render = job.outputs().get(JobState.RENDER);
            assertThat(render.backend()).isEqualTo("a1111");
            assertThat(render.fallback()).startsWith("zeroscope: ").doesNotContain("a1111:");
            Clip clip = wired.library.find(job.id()).orElseThrow();
            assertThat(clip.provenance()).contains("\"backend\":\"a1111\"").contains("\"fallback\":\"zeroscope: ");
            assertThat(a1111.lastRun().param("prompt")).isEqualTo("a grey heron standing in the reeds at dawn");
            assertThat(a1111.lastRun().param("width")).isEqualTo("256");
        }
    }

    @Test
    void withBothServersDownTheProceduralRendererMakesTheClip() throws Exception {
        a1111 = FakeA1111Server.builder().start();
        String a1111Url = a1111.baseUri().toString();
        a1111.close();
        try (var wired = new TestChannels.Wired(config(stoppedSpace(), a1111Url))) {
            ShotJob job = wired.runToEnd(TestChannels.shots("a grey heron standing in the reeds at dawn"));

            assertThat(job.state()).as(job.lastError()).isEqualTo(JobState.MASTERED);
            ShotJob.StageRecord render = job.outputs().get(JobState.RENDER);
            assertThat(render.backend()).isEqualTo("procedural");
            assertThat(render.fallback()).contains("zeroscope: ").contains("a1111: ");
        }
    }

    @Test
    void theSpaceQueuePositionAndStepsReachThePipelineListener() throws Exception {
        zeroscope = zeroscopeSpace(List.of());
        try (var wired = new TestChannels.Wired(config(zeroscope.root().toString(), "http://127.0.0.1:9"))) {
            List<String> details = new CopyOnWriteArrayList<>();
            wired.pipeline.addListener(new PipelineListener() {
                @Override
                public void progress(ShotJob job, JobState stage, double fraction, String detail) {
                    if (stage == JobState.RENDER) {
                        details.add(detail);
                    }
                }
            });
            ShotJob job = wired.runToEnd(TestChannels.shots("a kingfisher diving"));

            assertThat(job.state()).as(job.lastError()).isEqualTo(JobState.MASTERED);
            assertThat(job.outputs().get(JobState.RENDER).backend()).isEqualTo("zeroscope");
            assertThat(details).anySatisfy(d -> assertThat(d).startsWith("queue 1 of 1"));
            assertThat(details).anySatisfy(d -> assertThat(d).startsWith("step 5/10"));
        }
    }

    @Test
    void aSpaceWhoseSignatureChangedStopsTheStartWithBothParameterLists() throws Exception {
        zeroscope = FakeGradioServer.builder()
                .endpoint(FakeEndpoint.named("/run")
                        .parameter("text", "str", "Textbox")
                        .parameter("seed", "int", "Slider")
                        .returns("Result", "Video")
                        .handler(call -> List.of()))
                .start();
        try (var wired = new TestChannels.Wired(config(zeroscope.root().toString(), "http://127.0.0.1:9"))) {
            assertThatThrownBy(wired.factory::checkAtStart)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("zeroscope")
                    .hasMessageContaining("Expected [prompt, seed, num_frames, num_inference_steps]")
                    .hasMessageContaining("the app takes")
                    .hasMessageContaining("text");
        }
    }

    @Test
    void aSpaceThatIsDownAtStartOnlyWarnsAndIsCheckedAtItsFirstCall() throws Exception {
        String down = stoppedSpace();
        try (var wired = new TestChannels.Wired(config(down, "http://127.0.0.1:9"))) {
            List<String> warnings = wired.factory.checkAtStart();

            assertThat(warnings)
                    .singleElement()
                    .asString()
                    .contains("zeroscope at " + down)
                    .contains("checked at its first call");
        }
    }

    @Test
    void aSleepingSpaceDoesNotHoldUpTheStart() throws Exception {
        zeroscope = FakeGradioServer.builder()
                .sleepingSpace("hysts/zeroscope-v2", 1_000)
                .start();
        String yaml =
                """
        dataDir: data
        backends:
          zeroscope: {type: gradio-zeroscope, space: hysts/zeroscope-v2, hubUrl: '%s', timeoutSeconds: 600}
        channels:
          - {id: sleepy, theme: owls, stages: {render: [zeroscope, procedural]}}
        """
                        .formatted(zeroscope.hub());
        try (var wired = new TestChannels.Wired(ConfigLoader.parse(yaml, dir.resolve("latenttv.yaml"), k -> null))) {
            long start = System.nanoTime();
            List<String> warnings = wired.factory.checkAtStart();

            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                    .as("not the 600 s call timeout")
                    .isLessThan(java.time.Duration.ofSeconds(10));
            assertThat(warnings)
                    .singleElement()
                    .asString()
                    .contains("hysts/zeroscope-v2")
                    .contains("checked at its first call");
        }
    }

    @Test
    void aMelodyNamedInTheYamlIsUploadedToMusicGenForEveryScore() throws Exception {
        Path melody = dir.resolve("tunes/theme.wav");
        java.nio.file.Files.createDirectories(melody.getParent());
        TestMedia.tone(melody, 440, 44100, 2);
        Path music = TestMedia.tone(dir.resolve("music.wav"), 220, 32000, 15);
        byte[] musicBytes = java.nio.file.Files.readAllBytes(music);
        List<byte[]> melodies = new CopyOnWriteArrayList<>();
        zeroscope = FakeGradioServer.builder()
                .endpoint(FakeEndpoint.named("/predict_batched")
                        .parameter("text", "str", "Textbox")
                        .parameter("melody", "filepath", "Audio", null)
                        .returns("Generated Music", "Video")
                        .returns("Generated Music (wav)", "Audio")
                        .handler(call -> {
                            melodies.add(call.inputFile(1));
                            return List.of(
                                    call.video("wave.mp4", TestMedia.mp4(160, 96, 8, 8)),
                                    call.file("music.wav", musicBytes, "audio/wav"));
                        }))
                .start();
        String yaml =
                """
        dataDir: data
        pipeline: {maxAttempts: 1}
        backends:
          musicgen: {type: gradio-musicgen, url: '%s', melody: tunes/theme.wav, timeoutSeconds: 20, retries: 0}
        channels:
          - id: tuneful
            theme: owls
            format: {width: 512, height: 288}
            model: {width: 256, height: 144, frames: 24, fps: 8}
            stages: {score: [musicgen]}
        """
                        .formatted(zeroscope.root());
        try (var wired = new TestChannels.Wired(ConfigLoader.parse(yaml, dir.resolve("latenttv.yaml"), k -> null))) {
            ShotJob job = wired.runToEnd(TestChannels.shots("an owl blinking"));

            assertThat(job.state()).as(job.lastError()).isEqualTo(JobState.MASTERED);
            assertThat(job.outputs().get(JobState.SCORE).params()).containsEntry("melody", "theme.wav");
        }
        assertThat(melodies).singleElement().isEqualTo(java.nio.file.Files.readAllBytes(melody));
    }

    @Test
    void aMatchingSpaceStartsWithoutWarnings() throws Exception {
        zeroscope = zeroscopeSpace(List.of());
        try (var wired = new TestChannels.Wired(config(zeroscope.root().toString(), "http://127.0.0.1:9"))) {
            assertThat(wired.factory.checkAtStart()).isEmpty();
            assertThat(zeroscope.requests())
                    .anySatisfy(r -> assertThat(r.path()).endsWith("/info"));
        }
    }
}
