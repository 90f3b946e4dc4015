package tv.latent.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.generate.Interpolator.InterpolateRequest;
import tv.latent.media.MediaInfo;

/**
 * What every {@link Interpolator} must do: reach the target rate with
 * {@code round(input seconds × slowMotion × fps)} frames (within one), in the work directory.
 */
public abstract class InterpolatorContract {
    @TempDir
    Path root;

    Path work;
    Path inputs;
    Interpolator interpolator;

    protected abstract Interpolator newInterpolator() throws Exception;

    /** Two seconds at 8 fps, small so the contract stays fast. */
    protected Path source(Path dir) throws Exception {
        return StageFixtures.patternVideo(dir, 160, 96, 8, 16);
    }

    protected int targetFps() {
        return 24;
    }

    @BeforeEach
    void setUpDirs() throws Exception {
        work = Files.createDirectory(root.resolve("work"));
        inputs = Files.createDirectory(root.resolve("inputs"));
        interpolator = newInterpolator();
    }

    @AfterEach
    void closeInterpolator() throws Exception {
        interpolator.close();
    }

    StageOutput interpolate(Path input, double slowMotion) throws Exception {
        return interpolator.interpolate(
                new InterpolateRequest(input, targetFps(), slowMotion),
                new StageContext(work, StageContext.ProgressSink.NONE));
    }

    void assertLength(StageOutput out, double inputSeconds, double slowMotion) throws Exception {
        assertThat(out.file()).exists().hasParent(work);
        MediaInfo info = StageFixtures.FFMPEG.probe(out.file());
        MediaInfo.Video v = info.video().orElseThrow();
        long expected = Math.round(inputSeconds * slowMotion * targetFps());
        assertThat(v.fps()).isCloseTo(targetFps(), within(0.01));
        assertThat(v.frames()).isCloseTo(expected, within(1L));
        assertThat(info.videoSeconds()).isCloseTo(inputSeconds * slowMotion, within(1.0 / targetFps()));
    }

    @Test
    void bringsTheClipToTheTargetRateKeepingItsLength() throws Exception {
        Path input = source(inputs);
        MediaInfo.Video in = StageFixtures.FFMPEG.probe(input).video().orElseThrow();
        StageOutput out = interpolate(input, 1);

        assertLength(out, in.frames() / in.fps(), 1);
        MediaInfo.Video v = StageFixtures.FFMPEG.probe(out.file()).video().orElseThrow();
        assertThat(v.width()).isEqualTo(in.width());
        assertThat(v.height()).isEqualTo(in.height());
    }

    @Test
    void slowMotionStretchesTheClip() throws Exception {
        Path input = source(inputs);
        MediaInfo.Video in = StageFixtures.FFMPEG.probe(input).video().orElseThrow();
        StageOutput out = interpolate(input, 2);

        assertLength(out, in.frames() / in.fps(), 2);
    }

    @Test
    void writesOnlyItsOutputInsideTheWorkDirectory() throws Exception {
        Path input = source(inputs);
        Set<String> before = StageFixtures.filesOutside(root, work);
        StageOutput out = interpolate(input, 1);

        assertThat(StageFixtures.filesOutside(root, work)).isEqualTo(before);
        assertThat(StageFixtures.names(work))
                .containsExactly(out.file().getFileName().toString());
    }
}
