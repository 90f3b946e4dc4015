package tv.latent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tv.latent.generate.Renderer;
import tv.latent.generate.StageContext;
import tv.latent.generate.procedural.ProceduralRenderer;
import tv.latent.media.HouseFormat;
import tv.latent.testing.SlowTest;
import tv.latent.testing.StageByStage;
import tv.latent.testing.TestMedia;

/**
 * The fused master looks at least as good as the stage-by-stage one (each stage its own ffmpeg run
 * and near-lossless intermediate, as before fusion) for the same clip and seed.
 *
 * <p>Tolerance: against the ideal (the same filters on the same render, never encoded), the fused
 * master's SSIM is at least the stage-by-stage master's minus 0.002; and the two masters agree
 * with each other at SSIM 0.85 or more (the procedural film grain is hard on a 2.5 Mb/s cap, so
 * two encodes of the same picture differ that much).
 */
@SlowTest
class FusedQualityTest {
    private static final String PROMPT =
            "close-up of a red fox walking slowly from left to right, golden hour, film grain";

    @TempDir
    Path dir;

    private static tv.latent.config.LatentConfig config(Path dataDir, String mode) {
        String yaml =
                """
        dataDir: %s
        pipeline: {maxConcurrentJobs: 1, maxAttempts: 1}
        backends:
          smooth: {type: ffmpeg-interpolate, mode: %s}
        channels:
          - id: test
            theme: wildlife at golden hour
            stages: {interpolate: [smooth]}
        """
                        .formatted(dataDir, mode);
        return tv.latent.config.ConfigLoader.parse(yaml, dataDir.getParent().resolve(mode + ".yaml"), k -> null);
    }

    private ShotJob master(Path data, String mode, boolean fused) throws Exception {
        try (var wired = new TestChannels.Wired(config(data, mode), fused ? s -> s : StageByStage::of)) {
            return wired.runToEnd(TestChannels.shots(PROMPT));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mci", "blend"})
    void theFusedMasterIsAtLeastAsCloseToTheIdealAsTheStageByStageOne(String mode) throws Exception {
        Path fusedData = dir.resolve("fused");
        Path stagedData = dir.resolve("staged");
        ShotJob fused = master(fusedData, mode, true);
        ShotJob staged = master(stagedData, mode, false);
        assertThat(fused.state()).as(fused.lastError()).isEqualTo(JobState.MASTERED);
        assertThat(staged.state()).as(staged.lastError()).isEqualTo(JobState.MASTERED);
        assertThat(staged.outputs().get(JobState.INTERPOLATE).planned()).isFalse();
        Path fusedMaster =
                fusedData.resolve(fused.outputs().get(JobState.MASTER).file());
        Path stagedMaster =
                stagedData.resolve(staged.outputs().get(JobState.MASTER).file());

        // the render the pipelines started from (the procedural renderer is deterministic), through
        // the same filters and the master's own size, rate and length, kept lossless
        var plan = TestChannels.shots(PROMPT).shots().get(0);
        Path render = new ProceduralRenderer(TestMedia.ffmpeg(), Duration.ofMinutes(2))
                .render(
                        new Renderer.RenderRequest(plan.prompt(), plan.negativePrompt(), plan.seed(), 576, 320, 24, 8),
                        new StageContext(dir, StageContext.ProgressSink.NONE))
                .file();
        List<String> filters = new ArrayList<>();
        for (JobState stage : List.of(JobState.INTERPOLATE, JobState.UPSCALE)) {
            filters.add(fused.outputs().get(stage).params().get(Fusion.FILTERS));
        }
        int frames =
                Integer.parseInt(fused.outputs().get(JobState.MASTER).params().get("frames"));
        HouseFormat format = HouseFormat.DEFAULT;
        Path ideal = dir.resolve("ideal-" + mode + ".mkv");
        TestMedia.ffmpeg()
                .run(
                        List.of(
                                "-i",
                                render.toString(),
                                "-vf",
                                String.join(",", filters) + ",scale=" + format.width() + ":" + format.height()
                                        + ":flags=lanczos,setsar=1,fps=" + format.fps() + ",tpad=stop_mode=clone:stop="
                                        + frames + ",trim=end_frame=" + frames + ",format=yuv420p",
                                "-c:v",
                                "ffv1",
                                ideal.toString()),
                        Duration.ofMinutes(2),
                        null,
                        null);

        double fusedSsim = TestMedia.ssim(fusedMaster, ideal);
        double stagedSsim = TestMedia.ssim(stagedMaster, ideal);
        double between = TestMedia.ssim(fusedMaster, stagedMaster);
        System.out.printf(
                "%s: SSIM against the ideal: fused %.4f, stage by stage %.4f; fused against stage by stage %.4f%n",
                mode, fusedSsim, stagedSsim, between);
        assertThat(fusedSsim).isGreaterThanOrEqualTo(stagedSsim - 0.002);
        assertThat(between).isGreaterThanOrEqualTo(0.85);
    }
}
