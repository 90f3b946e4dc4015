package tv.latent.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.generate.Upscaler.UpscaleRequest;
import tv.latent.media.MediaInfo;

/** What every {@link Upscaler} must do. Subclass per backend; override the sizes a backend fixes. */
public abstract class UpscalerContract {
    @TempDir
    Path root;

    Path work;
    Path inputs;
    Upscaler upscaler;

    protected abstract Upscaler newUpscaler() throws Exception;

    /** The video to upscale; small by default so the contract stays fast. */
    protected Path source(Path dir) throws Exception {
        return StageFixtures.patternVideo(dir, 192, 108, 8, 12);
    }

    protected int targetWidth() {
        return 384;
    }

    protected int targetHeight() {
        return 216;
    }

    @BeforeEach
    void setUpDirs() throws Exception {
        work = Files.createDirectory(root.resolve("work"));
        inputs = Files.createDirectory(root.resolve("inputs"));
        upscaler = newUpscaler();
    }

    @AfterEach
    void closeUpscaler() throws Exception {
        upscaler.close();
    }

    StageOutput upscale(Path input) throws Exception {
        return upscaler.upscale(
                new UpscaleRequest(input, "a test pattern", "", 1, targetWidth(), targetHeight()),
                new StageContext(work, StageContext.ProgressSink.NONE));
    }

    @Test
    void upscalesToTheRequestedSizeKeepingRateAndFrames() throws Exception {
        Path input = source(inputs);
        MediaInfo.Video in = StageFixtures.FFMPEG.probe(input).video().orElseThrow();
        StageOutput out = upscale(input);

        assertThat(out.file()).exists().hasParent(work);
        MediaInfo info = StageFixtures.FFMPEG.probe(out.file());
        MediaInfo.Video v = info.video().orElseThrow();
        assertThat(v.width()).isEqualTo(targetWidth());
        assertThat(v.height()).isEqualTo(targetHeight());
        assertThat(v.fps()).isCloseTo(in.fps(), within(0.01));
        assertThat(v.frames()).isCloseTo(in.frames(), within(1L));
    }

    @Test
    void writesOnlyItsOutputInsideTheWorkDirectory() throws Exception {
        Path input = source(inputs);
        Set<String> before = StageFixtures.filesOutside(root, work);
        StageOutput out = upscale(input);

        assertThat(StageFixtures.filesOutside(root, work)).isEqualTo(before);
        assertThat(StageFixtures.names(work))
                .containsExactly(out.file().getFileName().toString());
    }

    @Test
    void aFileThatIsNotVideoFailsWithoutRetry() throws Exception {
        Path junk = Files.writeString(inputs.resolve("junk.mp4"), "this is not a video");

        assertThatThrownBy(() -> upscale(junk))
                .isInstanceOfSatisfying(
                        StageException.class, e -> assertThat(e.retryable()).isFalse());
        assertThat(StageFixtures.names(work)).isEmpty();
    }
}
