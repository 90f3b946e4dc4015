package tv.latent.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.testing.SlowTest;
import tv.latent.testing.TestMedia;

/**
 * Files a model server could send to cost the station memory or CPU: each is refused by
 * {@link Ffmpeg#probeUntrusted} with the limit it passes, before it is decoded.
 */
class UntrustedMediaTest {
    private static final Ffmpeg FFMPEG = TestMedia.ffmpeg();

    @TempDir
    Path dir;

    /** Makes {@code name} in the test's directory with ffmpeg: a lavfi source, then output options. */
    private Path make(String name, String source, String... output) throws Exception {
        Path file = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", source));
        args.addAll(List.of(output));
        args.add(file.toString());
        FFMPEG.run(args, Duration.ofMinutes(1), null, null);
        return file;
    }

    private static String refusal(Path file) {
        return catchThrowableOfType(FfmpegException.class, () -> FFMPEG.probeUntrusted(file))
                .getMessage();
    }

    @Test
    void refusesAFrameWiderThanTheLimit() throws Exception {
        Path wide = make("wide.mp4", "color=c=red:s=8200x16:d=0.2:r=5", "-c:v", "libx264", "-pix_fmt", "yuv420p");

        assertThat(refusal(wide))
                .contains("refused wide.mp4 before decoding it")
                .contains("8200x16, over the limit of 8192 pixels a side");
    }

    @Test
    void refusesAFrameOfMorePixelsThanTheLimitEvenWhenOnlyTheDecoderSeesItsSize() throws Exception {
        Path big = make("big.mkv", "color=c=red:s=8192x4400:d=0.2:r=5", "-c:v", "png");

        assertThat(refusal(big)).contains("a frame is larger than the limit of " + ProbeLimits.MAX_PIXELS + " pixels");
    }

    @Test
    @SlowTest
    void refusesMoreFramesThanTheLimitFromTheHeaderAlone() throws Exception {
        Path many = make("many.nut", "color=c=red:s=2x2:d=500:r=240", "-c:v", "rawvideo", "-pix_fmt", "gray");

        assertThat(refusal(many)).contains("at 240.00 fps, over the limit of " + ProbeLimits.MAX_FRAMES + " frames");
    }

    @Test
    void refusesALongerDurationThanTheLimit() throws Exception {
        Path hour = make("long.wav", "anullsrc=r=1000:cl=mono", "-t", "1900", "-c:a", "pcm_u8");

        assertThat(refusal(hour)).contains("lasts 1900 s, over the limit of 1800 s");
    }

    @Test
    void refusesAHigherBitRateThanTheLimit() throws Exception {
        Path fat = make("fat.nut", "color=c=red:s=1280x720:d=0.1:r=60", "-c:v", "rawvideo", "-pix_fmt", "gray");

        assertThat(refusal(fat)).contains("bit/s, over the limit of " + ProbeLimits.MAX_BITS_PER_SECOND);
    }

    @Test
    void anOrdinaryClipPassesAndReadsAsAnyProbeReadsIt() throws Exception {
        Path clip = HouseClips.master(dir, 64, 440);

        assertThat(FFMPEG.probeUntrusted(clip)).isEqualTo(FFMPEG.probe(clip));
    }
}
