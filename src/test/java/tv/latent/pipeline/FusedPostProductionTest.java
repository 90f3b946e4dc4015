package tv.latent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.generate.FilterPlan;
import tv.latent.generate.FilterStage;
import tv.latent.generate.Interpolator;
import tv.latent.generate.StageOutput;
import tv.latent.generate.VideoShape;
import tv.latent.library.Clip;
import tv.latent.media.HouseFormatCheck;
import tv.latent.testing.SlowTest;
import tv.latent.testing.TestMedia;

/** The embedded upscale and interpolate stages run inside the master's one ffmpeg run. */
class FusedPostProductionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** An interpolator whose filters ffmpeg refuses (an option minterpolate does not have). */
    private static final class RefusedInterpolator implements Interpolator, FilterStage {
        @Override
        public StageOutput interpolate(InterpolateRequest request, tv.latent.generate.StageContext context) {
            throw new AssertionError("a filter stage is planned, never run on its own");
        }

        @Override
        public FilterPlan plan(VideoShape input, Goal goal) {
            int frames = (int) Math.round(input.seconds() * goal.fps());
            return new FilterPlan(
                    "broken",
                    List.of("minterpolate=fps=" + goal.fps() + ":no_such_option=1", "trim=end_frame=" + frames),
                    new VideoShape(input.width(), input.height(), goal.fps(), frames),
                    Map.of("mode", "broken"));
        }
    }

    @Test
    @SlowTest
    void thePostProductionOfAClipIsOneFfmpegRun() throws Exception {
        try (var wired = new TestChannels.Wired(dir.resolve("data"), "", List.of())) {
            Map<JobState, Long> runsOnEntering = new ConcurrentHashMap<>();
            wired.pipeline.addListener(new PipelineListener() {
                @Override
                public void changed(ShotJob job) {
                    runsOnEntering.putIfAbsent(job.state(), wired.ffmpeg.runs());
                }
            });
            ShotJob job =
                    wired.runToEnd(TestChannels.shots("a red fox trotting through tall grass, camera pans right"));

            assertThat(job.state()).as(job.lastError()).isEqualTo(JobState.MASTERED);
            assertThat(job.order())
                    .containsExactly(
                            JobState.RENDER, JobState.INTERPOLATE, JobState.UPSCALE, JobState.SCORE, JobState.MASTER);
            assertThat(runsOnEntering.get(JobState.SCORE) - runsOnEntering.get(JobState.INTERPOLATE))
                    .as("interpolate and upscale are planned: no ffmpeg run of their own")
                    .isZero();
            assertThat(runsOnEntering.get(JobState.MASTERED) - runsOnEntering.get(JobState.MASTER))
                    .as("the master is one ffmpeg run: fused filters, encode, thumbnail, loudness")
                    .isEqualTo(1);
            assertThat(job.outputs().get(JobState.INTERPOLATE).planned()).isTrue();
            assertThat(job.outputs().get(JobState.UPSCALE).planned()).isTrue();
            assertThat(job.outputs().get(JobState.RENDER).planned()).isFalse();
            Clip clip = wired.library.find(job.id()).orElseThrow();
            assertThat(HouseFormatCheck.problems(
                            wired.ffmpeg.probe(clip.master()),
                            wired.config.channels().get(0).format(),
                            clip.frames()))
                    .isEmpty();
        }
    }

    @Test
    @SlowTest
    void provenanceListsEveryStageWithItsBackendAndParameters() throws Exception {
        try (var wired = new TestChannels.Wired(dir.resolve("data"), "", List.of())) {
            ShotJob job = wired.runToEnd(TestChannels.shots("a heron lifting off a misty lake at dawn"));

            assertThat(job.state()).as(job.lastError()).isEqualTo(JobState.MASTERED);
            JsonNode provenance =
                    JSON.readTree(wired.library.find(job.id()).orElseThrow().provenance());
            assertThat(provenance.fieldNames())
                    .toIterable()
                    .containsExactly("render", "interpolate", "upscale", "score", "master");
            JsonNode interpolate = provenance.path("interpolate");
            assertThat(interpolate.path("backend").asText()).isEqualTo("ffmpeg");
            assertThat(interpolate.path("params").path("mode").asText()).isEqualTo("mci");
            assertThat(interpolate.path("params").path("fps").asText()).isEqualTo("24");
            assertThat(interpolate.path("params").path("run").asText()).isEqualTo("fused");
            assertThat(interpolate.path("params").path(Fusion.FILTERS).asText())
                    .startsWith("minterpolate@interpolate0=fps=24");
            JsonNode upscale = provenance.path("upscale");
            assertThat(upscale.path("backend").asText()).isEqualTo("ffmpeg");
            assertThat(upscale.path("params").path("size").asText()).isEqualTo("1024x576");
            assertThat(upscale.path("params").path("from").asText()).isEqualTo("576x320");
            assertThat(upscale.path("params").path(Fusion.OUTPUT).asText()).isEqualTo("1024x576 24.000fps 72f");
            assertThat(provenance.path("score").path("params").has(OutputCheck.MEASURED_LUFS))
                    .isTrue();
        }
    }

    @Test
    void aFusedFilterThatFailsFailsTheJobWithItsOwnStagesReason() throws Exception {
        try (var wired = new TestChannels.Wired(
                dir.resolve("data"),
                "",
                stages -> new ChannelStages(
                        stages.channel(),
                        stages.render(),
                        stages.upscale(),
                        List.of(Backend.of("broken", new RefusedInterpolator(), 2, Duration.ofMinutes(1))),
                        stages.score()))) {
            ShotJob job = wired.runToEnd(TestChannels.shots("a snail crossing a wet leaf"));

            assertThat(job.state()).isEqualTo(JobState.FAILED);
            assertThat(job.lastError())
                    .startsWith("interpolate failed: ")
                    .contains("minterpolate@interpolate0")
                    .contains("no_such_option");
            assertThat(job.attempts())
                    .as("a failed ffmpeg run may pass: retried once")
                    .isEqualTo(2);
            assertThat(wired.library.list(null, 10)).isEmpty();
        }
    }

    @Test
    @SlowTest
    void aStageThatIsNotFiltersReadsThePlannedFiltersWrittenOnceAsItsInput() throws Exception {
        List<tv.latent.media.MediaInfo.Video> inputs = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var wired = new TestChannels.Wired(dir.resolve("data"), "", stages -> {
            var embedded = stages.upscale().get(0).impl();
            // stands in for a remote upscaler (Zeroscope XL): it needs its input as a file
            tv.latent.generate.Upscaler remote = (request, context) -> {
                inputs.add(TestMedia.probe(request.input()));
                return embedded.upscale(request, context);
            };
            return new ChannelStages(
                    stages.channel(),
                    stages.render(),
                    List.of(Backend.of("remote", remote, 1, Duration.ofMinutes(1))),
                    stages.interpolate(),
                    stages.score());
        })) {
            Map<JobState, Long> runsOnEntering = new ConcurrentHashMap<>();
            wired.pipeline.addListener(new PipelineListener() {
                @Override
                public void changed(ShotJob job) {
                    runsOnEntering.putIfAbsent(job.state(), wired.ffmpeg.runs());
                }
            });
            ShotJob job = wired.runToEnd(TestChannels.shots("a kingfisher on a branch over a stream"));

            assertThat(job.state()).as(job.lastError()).isEqualTo(JobState.MASTERED);
            assertThat(job.outputs().get(JobState.INTERPOLATE).planned()).isTrue();
            assertThat(job.outputs().get(JobState.UPSCALE).planned()).isFalse();
            assertThat(inputs).singleElement().satisfies(v -> {
                assertThat(v.fps()).isEqualTo(24.0);
                assertThat(v.frames()).isEqualTo(72);
                assertThat(v.width()).isEqualTo(576);
            });
            assertThat(runsOnEntering.get(JobState.SCORE) - runsOnEntering.get(JobState.UPSCALE))
                    .as("one run writes the planned interpolation, one is the stand-in's own upscale")
                    .isEqualTo(2);
            try (var work = java.nio.file.Files.list(wired.layout.root().resolve("work"))) {
                assertThat(work).as("work directories dropped after mastering").isEmpty();
            }
        }
    }
}
