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

    @Test
    @SlowTest
    void aShotAheadIsMadeFirstWhileTheLookaheadsShotsWaitBetweenStages() throws Exception {
        java.util.concurrent.CountDownLatch aheadSubmitted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<Map<String, JobState>> whenAheadRenders =
                new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.atomic.AtomicReference<TestChannels.Wired> wiredRef =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.List<String> normalIds = new java.util.concurrent.CopyOnWriteArrayList<>();
        Renderer gated = (request, context) -> {
            if (request.prompt().startsWith("viewer")) {
                try {
                    whenAheadRenders.complete(wiredRef.get().jobs.states(normalIds));
                } catch (java.sql.SQLException e) {
                    whenAheadRenders.completeExceptionally(e);
                }
            } else {
                aheadSubmitted.await();
            }
            Path out = context.newFile("render", "mp4");
            TestMedia.pattern(out, 576, 320, 24, 8, List.of("-pix_fmt", "yuv420p"));
            return new StageOutput(out, "gated", Map.of());
        };
        /** One try at a stage, on the monotonic clock. */
        record Try(String jobId, JobState stage, long startNanos, long endNanos) {}
        List<Try> tries = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var wired = new TestChannels.Wired(dir.resolve("data"), "", List.of(gated))) {
            wiredRef.set(wired);
            wired.pipeline.addListener(new PipelineListener() {
                @Override
                public void stageTried(ShotJob job, JobState stage, String backend, double seconds, boolean ok) {
                    long end = System.nanoTime();
                    tries.add(new Try(job.id(), stage, end - (long) (seconds * 1e9), end));
                }
            });
            wired.pipeline.start();
            // both slots (maxConcurrentJobs: 2) taken by the lookahead's shots, held in their render
            wired.pipeline.submit("test", TestChannels.shots("a heron in the reeds", "an otter on a rock")).stream()
                    .map(ShotJob::id)
                    .forEach(normalIds::add);
            ShotJob ahead = wired.pipeline
                    .submitAhead("test", TestChannels.shots("viewer: a red fox juggling lanterns"))
                    .getFirst();
            assertThat(ahead.priority()).isEqualTo(ShotJob.AHEAD);
            aheadSubmitted.countDown();

            Map<String, JobState> atAheadRender = whenAheadRenders.get(3, java.util.concurrent.TimeUnit.MINUTES);
            assertThat(atAheadRender.values())
                    .as("a slot was given up between stages, not when a shot was done")
                    .noneMatch(JobState::terminal);
            assertThat(wired.pipeline.await(ahead.id(), Duration.ofMinutes(3)).state())
                    .isEqualTo(JobState.MASTERED);
            for (String id : normalIds) {
                assertThat(wired.pipeline.await(id, Duration.ofMinutes(3)).state())
                        .as("the shot that gave its slot up goes on from where it stopped")
                        .isEqualTo(JobState.MASTERED);
            }
            long aheadFrom = tries.stream()
                    .filter(t -> t.jobId().equals(ahead.id()))
                    .mapToLong(Try::startNanos)
                    .min()
                    .orElseThrow();
            long aheadUntil = tries.stream()
                    .filter(t -> t.jobId().equals(ahead.id()))
                    .mapToLong(Try::endNanos)
                    .max()
                    .orElseThrow();
            assertThat(tries)
                    .filteredOn(t -> normalIds.contains(t.jobId()))
                    .as("no stage of the lookahead's shots starts while the shot ahead is made")
                    .noneMatch(
                            t -> t.startNanos() > aheadFrom + 50_000_000L && t.startNanos() < aheadUntil - 50_000_000L);
        }
    }
}
