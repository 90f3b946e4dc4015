package tv.latent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.generate.Renderer;
import tv.latent.generate.StageException;
import tv.latent.generate.StageOutput;
import tv.latent.library.Clip;
import tv.latent.media.HouseFormatCheck;
import tv.latent.testing.SlowTest;
import tv.latent.testing.TestMedia;

class PipelineTest {
    @TempDir
    Path dir;

    /** A renderer that writes what a misbehaving model server might send back. */
    private static Renderer writing(String what) {
        return (request, context) -> {
            Path out = context.newFile("bad", "mp4");
            switch (what) {
                case "zero bytes" -> Files.write(out, new byte[0]);
                case "not media" -> Files.writeString(out, "<html>503 Service Unavailable</html>");
                case "audio only" -> TestMedia.tone(out, 440, 44100, 3, "-c:a", "aac");
                case "too short" -> TestMedia.pattern(out, 576, 320, 3, 8, List.of("-pix_fmt", "yuv420p"));
                case "truncated" -> {
                    Path whole = context.newFile("whole", "mp4");
                    TestMedia.pattern(whole, 576, 320, 24, 8, List.of("-pix_fmt", "yuv420p"));
                    byte[] bytes = Files.readAllBytes(whole);
                    Files.write(out, java.util.Arrays.copyOf(bytes, bytes.length / 3));
                }
                default -> throw new IllegalArgumentException(what);
            }
            return new StageOutput(out, "fake", Map.of());
        };
    }

    @Test
    @SlowTest
    void mastersAShotThroughEveryEmbeddedStage() throws Exception {
        try (var wired = new TestChannels.Wired(dir.resolve("data"), "", List.of())) {
            ShotJob job = wired.runToEnd(
                    TestChannels.shots("close-up of a red fox staring into the camera, golden hour, film grain"));
            assertThat(job.state()).as(job.lastError()).isEqualTo(JobState.MASTERED);
            Clip clip = wired.library.find(job.id()).orElseThrow();
            var format = wired.config.channels().get(0).format();
            assertThat(HouseFormatCheck.problems(wired.ffmpeg.probe(clip.master()), format, clip.frames()))
                    .isEmpty();
            assertThat(clip.frames() % format.joinUnitFrames()).isZero();
            assertThat(clip.provenance()).contains("render", "upscale", "interpolate", "score", "procedural");
            assertThat(clip.loudnessLufs()).isBetween(-18.0, -14.0);
            String tags = wired.ffmpeg.probeRaw(
                    List.of(
                            "-show_entries",
                            "format_tags=comment",
                            "-of",
                            "default=nw=1:nk=1",
                            clip.master().toString()),
                    Duration.ofSeconds(20));
            assertThat(tags).as("the file itself says its video is not AI").contains("procedural renderer, not AI");
            assertThat(Files.exists(wired.layout.work(job.id())))
                    .as("stage outputs are dropped once mastered")
                    .isFalse();
        }
    }

    private void assertFailsWithNothingInLibrary(String what, String reason) throws Exception {
        try (var wired =
                new TestChannels.Wired(dir.resolve("data-" + what.replace(' ', '-')), "", List.of(writing(what)))) {
            ShotJob job = wired.runToEnd(TestChannels.shots("a brown bear catching a salmon in a fast river"));
            assertThat(job.state()).isEqualTo(JobState.FAILED);
            assertThat(job.lastError()).startsWith("render failed").contains(reason);
            assertThat(wired.library.list(null, 10)).isEmpty();
            try (var clips = Files.list(wired.layout.root().resolve("clips"))) {
                assertThat(clips).isEmpty();
            }
        }
    }

    @Test
    void zeroByteOutputFailsTheJob() throws Exception {
        assertFailsWithNothingInLibrary("zero bytes", "empty (0 bytes)");
    }

    @Test
    void outputThatIsNotMediaFailsTheJob() throws Exception {
        assertFailsWithNothingInLibrary("not media", "not readable media");
    }

    @Test
    void audioOnlyOutputFailsTheJob() throws Exception {
        assertFailsWithNothingInLibrary("audio only", "no video stream (audio only)");
    }

    @Test
    void wrongDurationFailsTheJob() throws Exception {
        assertFailsWithNothingInLibrary("too short", "expected about 3.00 s");
    }

    @Test
    void truncatedFileFailsTheJob() throws Exception {
        assertFailsWithNothingInLibrary("truncated", "render output");
    }

    @Test
    void retriesWithBackoffThenFailsWithTheReason() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Renderer flaky = (request, context) -> {
            calls.incrementAndGet();
            throw new StageException("queue full (503)", true);
        };
        try (var wired = new TestChannels.Wired(dir.resolve("data"), "", List.of(flaky))) {
            ShotJob job = wired.runToEnd(TestChannels.shots("bees around a flower, sun rays"));
            assertThat(job.state()).isEqualTo(JobState.FAILED);
            assertThat(job.attempts()).isEqualTo(2);
            assertThat(calls.get()).isEqualTo(2);
            assertThat(job.lastError()).contains("queue full (503)");
        }
    }

    @Test
    @SlowTest
    void fallsBackToTheNextBackendAndRecordsWhy() throws Exception {
        try (var wired =
                new TestChannels.Wired(dir.resolve("data"), "# keepEmbeddedRender", List.of(writing("zero bytes")))) {
            ShotJob job = wired.runToEnd(TestChannels.shots("aerial shot of a calm morning coast, waves on rocks"));
            assertThat(job.state()).as(job.lastError()).isEqualTo(JobState.MASTERED);
            assertThat(job.outputs().get(JobState.RENDER).backend()).isEqualTo("procedural");
            assertThat(job.outputs().get(JobState.RENDER).fallback()).contains("fake-0", "empty");
            assertThat(wired.library.find(job.id()).orElseThrow().provenance()).contains("fallback");
        }
    }

    @Test
    void backendWritingOutsideItsWorkDirIsRejected() throws Exception {
        Path outside = dir.resolve("outside.mp4");
        Renderer escaping = (request, context) -> {
            Files.writeString(outside, "x");
            return new StageOutput(outside, "fake", Map.of());
        };
        try (var wired = new TestChannels.Wired(dir.resolve("data"), "", List.of(escaping))) {
            ShotJob job = wired.runToEnd(TestChannels.shots("a panda sailing a small boat"));
            assertThat(job.state()).isEqualTo(JobState.FAILED);
            assertThat(job.lastError()).contains("outside the job's work directory");
        }
    }
}
