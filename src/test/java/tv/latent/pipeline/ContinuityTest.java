package tv.latent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.fal.FakeFalServer;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.director.Director;
import tv.latent.director.ShotPlan;
import tv.latent.generate.Continuation;
import tv.latent.generate.StageFixtures;
import tv.latent.generate.remote.HostedFixtures;
import tv.latent.library.Clip;
import tv.latent.testing.SlowTest;

/**
 * A channel with {@code continuity: true}: the four shots of one director's sequence each start
 * from the previous shot's last frame (compared decoded, frame by frame), through fal's
 * image-to-video app, or through the procedural renderer's own scene; when image to video fails,
 * the shot is made as text to video with the same prompt; provenance says which shot each continues.
 */
@SlowTest
class ContinuityTest {
    static final String KEY = "fal-key-CONTINUITY";
    static final Function<String, String> ENV = Map.of("FAL_KEY", KEY)::get;

    @TempDir
    Path dir;

    FakeFalServer fal;

    @AfterEach
    void stop() {
        if (fal != null) {
            fal.close();
        }
    }

    LatentConfig config(String render, String backends) {
        String yaml =
                """
        dataDir: data
        pipeline: {maxConcurrentJobs: 2, maxAttempts: 1, retryBackoffMillis: 50}
        backends:
        %s
        channels:
          - id: scene
            theme: a heron in the reeds
            continuity: true
            format: {width: 256, height: 144}
            model: {width: 128, height: 72, frames: 16, fps: 8}
            stages: {render: %s}
        """
                        .formatted(backends.indent(2), render);
        return ConfigLoader.parse(yaml, dir.resolve("latenttv.yaml"), ENV);
    }

    String fal(String imageApp) {
        return """
                fal:
                  type: fal-render
                  app: %s
                  imageApp: %s
                  keyEnv: FAL_KEY
                  url: '%s'
                  input: {prompt: prompt, seed: seed, num_frames: frames, fps: fps, width: width, height: height}
                  pollMillis: 20
                  timeoutSeconds: 20
                  retries: 0
                """
                .formatted(HostedFixtures.VIDEO_APP, imageApp, fal.baseUri());
    }

    static Director.Direction sequenceOfFour() {
        List<ShotPlan> plans = new ArrayList<>();
        String[] prompts = {
            "wide shot: a grey heron standing in the reeds at dawn",
            "wide shot: the grey heron lowers its head towards the water",
            "wide shot: the grey heron strikes and lifts a silver fish",
            "wide shot: the grey heron swallows the fish and looks around"
        };
        for (int i = 0; i < prompts.length; i++) {
            plans.add(new ShotPlan(null, prompts[i], "", 500 + i, "calm ambient", "s1"));
        }
        return new Director.Direction(plans, "test", "");
    }

    /** Runs the sequence, keeping a copy of each shot's render (work directories go when clips are mastered). */
    List<ShotJob> run(TestChannels.Wired wired, Map<String, Path> renders) throws Exception {
        Path kept = Files.createDirectories(dir.resolve("renders"));
        wired.pipeline.addListener(new PipelineListener() {
            @Override
            public void changed(ShotJob job) {
                ShotJob.StageRecord render = job.outputs().get(JobState.RENDER);
                if (render != null && !renders.containsKey(job.id())) {
                    try {
                        Path copy = kept.resolve(job.id() + ".mp4");
                        Files.copy(wired.layout.resolve(render.file()), copy, StandardCopyOption.REPLACE_EXISTING);
                        renders.put(job.id(), copy);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        });
        return wired.runAllToEnd(sequenceOfFour());
    }

    /** Mean absolute difference (0..255) between the last decoded frame of {@code before} and the first of {@code after}. */
    double seam(Path before, Path after) throws Exception {
        byte[] last = StageFixtures.decode(before, dir).frames().getLast();
        byte[] first = StageFixtures.decode(after, dir).frames().getFirst();
        return StageFixtures.Frames.difference(last, first);
    }

    void assertContinues(List<ShotJob> jobs, Map<String, Path> renders, String how, double tolerance) throws Exception {
        assertThat(jobs).allSatisfy(j -> assertThat(j.state()).as(j.lastError()).isEqualTo(JobState.MASTERED));
        assertThat(jobs.getFirst().continues()).isEmpty();
        for (int i = 1; i < jobs.size(); i++) {
            ShotJob previous = jobs.get(i - 1);
            ShotJob shot = jobs.get(i);
            assertThat(shot.continues()).isEqualTo(previous.id());
            Map<String, String> params = shot.outputs().get(JobState.RENDER).params();
            assertThat(params)
                    .containsEntry(Continuation.CONTINUES, previous.id())
                    .containsEntry(Continuation.HOW, how);
            double seam = seam(renders.get(previous.id()), renders.get(shot.id()));
            double cut = seam(renders.get(shot.id()), renders.get(previous.id()));
            assertThat(seam)
                    .as("shot %d starts on shot %d's last frame", i + 1, i)
                    .isLessThan(tolerance);
            // measured: seams 0.6 (procedural) to 2.5 (through an image-to-video app), the other way 17 to 39
            assertThat(cut).as("the other way round is a cut, not a seam").isGreaterThan(5 * seam);
        }
    }

    @Test
    void fourShotsEachStartFromThePreviousLastFrameThroughImageToVideo() throws Exception {
        fal = HostedFixtures.fal(KEY).start();
        Map<String, Path> renders = new ConcurrentHashMap<>();
        try (var wired =
                TestChannels.Wired.withEnvironment(config("[fal, procedural]", fal(HostedFixtures.IMAGE_APP)), ENV)) {
            List<ShotJob> jobs = run(wired, renders);

            assertContinues(jobs, renders, "image-to-video", 4.0);
            assertThat(jobs)
                    .allSatisfy(j -> assertThat(j.outputs().get(JobState.RENDER).backend())
                            .isEqualTo("fal"));
            Clip second = wired.library.find(jobs.get(1).id()).orElseThrow();
            assertThat(second.provenance())
                    .contains("\"continues\":\"" + jobs.getFirst().id() + "\"");
        }
        assertThat(fal.inputs()).hasSize(4);
        assertThat(fal.inputs().subList(1, 4))
                .allSatisfy(i -> assertThat(i.path("image_url").asText()).startsWith("data:image/png"));
    }

    @Test
    void theProceduralRendererContinuesItsOwnSceneState() throws Exception {
        Map<String, Path> renders = new ConcurrentHashMap<>();
        try (var wired = TestChannels.Wired.withEnvironment(config("[procedural]", ""), ENV)) {
            List<ShotJob> jobs = run(wired, renders);

            assertContinues(jobs, renders, "scene state", 1.5);
            assertThat(jobs.get(3).outputs().get(JobState.RENDER).params()).containsEntry("start.frame", "45");
        }
    }

    @Test
    void whenImageToVideoFailsTheShotIsMadeAsTextToVideoWithTheSamePrompt() throws Exception {
        fal = HostedFixtures.fal(KEY).start();
        try (var wired = TestChannels.Wired.withEnvironment(config("[fal]", fal("fal-ai/fake-video/gone-i2v")), ENV)) {
            List<ShotJob> jobs = wired.runAllToEnd(sequenceOfFour());

            assertThat(jobs)
                    .allSatisfy(j -> assertThat(j.state()).as(j.lastError()).isEqualTo(JobState.MASTERED));
            ShotJob.StageRecord second = jobs.get(1).outputs().get(JobState.RENDER);
            assertThat(second.params())
                    .containsEntry(Continuation.CONTINUES, jobs.getFirst().id())
                    .containsEntry(Continuation.HOW, "text-to-video fallback (image to video failed)")
                    .containsEntry("model", HostedFixtures.VIDEO_APP);
            assertThat(second.fallback()).startsWith("fal (image to video): ").contains("not found");
        }
        var prompts = fal.inputs().stream().map(i -> i.path("prompt").asText()).toList();
        assertThat(prompts.stream().filter(p -> p.contains("lowers its head"))).hasSize(2);
    }
}
