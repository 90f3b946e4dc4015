package tv.latent.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tv.latent.generate.Upscaler.UpscaleRequest;

class FfmpegUpscalerTest extends UpscalerContract {
    @Override
    protected Upscaler newUpscaler() {
        return new FfmpegUpscaler(StageFixtures.FFMPEG, Duration.ofMinutes(1));
    }

    @Test
    void coversAWiderSourceWithoutStretching() throws Exception {
        // 1.8:1 (Zeroscope) into 16:9: scaled to cover, then cropped at the sides
        Path input = StageFixtures.patternVideo(inputs, 288, 160, 8, 4);
        StageOutput out = upscaler.upscale(
                new UpscaleRequest(input, "p", "", 1, 512, 288),
                new StageContext(work, StageContext.ProgressSink.NONE));

        var v = StageFixtures.FFMPEG.probe(out.file()).video().orElseThrow();
        assertThat(v.width()).isEqualTo(512);
        assertThat(v.height()).isEqualTo(288);
        assertThat(out.backend()).isEqualTo("ffmpeg");
    }

    @Test
    void upscalesAThreeSecondClipToHouseSize() throws Exception {
        Path input = StageFixtures.patternVideo(inputs, 576, 320, 24, 72);
        var bean = ManagementFactory.getOperatingSystemMXBean();
        long t0 = System.nanoTime();
        StageOutput out = upscaler.upscale(
                new UpscaleRequest(input, "p", "", 1, 1024, 576),
                new StageContext(work, StageContext.ProgressSink.NONE));
        System.out.printf(
                "upscale 3 s 576x320@24 -> 1024x576: %.0f ms wall (ffmpeg process; load %.2f)%n",
                (System.nanoTime() - t0) / 1e6, bean.getSystemLoadAverage());

        assertThat(StageFixtures.FFMPEG.probe(out.file()).video().orElseThrow().frames())
                .isEqualTo(72);
    }
}
