package tv.latent.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tv.latent.generate.Interpolator.InterpolateRequest;
import tv.latent.generate.procedural.ProceduralRenderer;
import tv.latent.testing.SlowTest;

class FfmpegInterpolatorTest extends InterpolatorContract {
    @Override
    protected Interpolator newInterpolator() {
        return new FfmpegInterpolator(
                StageFixtures.FFMPEG, InterpolationMode.MOTION_COMPENSATED, Duration.ofMinutes(1));
    }

    @Test
    @SlowTest
    void interpolatesARenderedThreeSecondClipAtModelSize() throws Exception {
        Renderer renderer = new ProceduralRenderer(StageFixtures.FFMPEG, StageFixtures.TIMEOUT);
        Path rendered = renderer.render(
                        new Renderer.RenderRequest(
                                "a red fox running to the right in a meadow, camera pans right",
                                "",
                                3,
                                576,
                                320,
                                24,
                                8),
                        new StageContext(inputs, StageContext.ProgressSink.NONE))
                .file();
        long t0 = System.nanoTime();
        StageOutput out = interpolator.interpolate(
                new InterpolateRequest(rendered, 24, 1), new StageContext(work, StageContext.ProgressSink.NONE));
        System.out.printf("interpolate (mci) 3 s 576x320 8 -> 24 fps: %.0f ms wall%n", (System.nanoTime() - t0) / 1e6);

        assertThat(StageFixtures.FFMPEG.probe(out.file()).video().orElseThrow().frames())
                .isEqualTo(72);
        assertThat(out.params()).containsEntry("mode", "mci");
    }

    @Test
    void modeNamesParseFromConfiguration() {
        assertThat(InterpolationMode.parse("MCI")).isEqualTo(InterpolationMode.MOTION_COMPENSATED);
        assertThat(InterpolationMode.parse(" blend ")).isEqualTo(InterpolationMode.BLEND);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> InterpolationMode.parse("film"))
                .hasMessageContaining("\"mci\" or \"blend\"");
    }
}
