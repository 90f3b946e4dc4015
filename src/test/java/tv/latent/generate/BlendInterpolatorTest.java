package tv.latent.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tv.latent.generate.Interpolator.InterpolateRequest;

class BlendInterpolatorTest extends InterpolatorContract {
    @Override
    protected Interpolator newInterpolator() {
        return new FfmpegInterpolator(StageFixtures.FFMPEG, InterpolationMode.BLEND, Duration.ofMinutes(1));
    }

    @Test
    void blendsAThreeSecondClipAtModelSize() throws Exception {
        Path input = StageFixtures.patternVideo(inputs, 576, 320, 8, 24);
        long t0 = System.nanoTime();
        StageOutput out = interpolator.interpolate(
                new InterpolateRequest(input, 24, 1), new StageContext(work, StageContext.ProgressSink.NONE));
        System.out.printf(
                "interpolate (blend) 3 s 576x320 8 -> 24 fps: %.0f ms wall%n", (System.nanoTime() - t0) / 1e6);

        assertThat(out.params()).containsEntry("mode", "blend");
    }
}
