package tv.latent.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.generate.Renderer.RenderRequest;
import tv.latent.media.MediaInfo;

/**
 * What every {@link Renderer} must do. Subclass it per backend: implement {@link #newRenderer()}
 * (against a fake server for remote backends) and override the expectations a backend changes.
 */
public abstract class RendererContract {
    @TempDir
    protected Path root;

    protected Path work;
    protected Path scratch;
    Renderer renderer;

    protected abstract Renderer newRenderer() throws Exception;

    /** A small request, so the contract stays fast; override for a backend with a fixed size. */
    protected RenderRequest request(String prompt, long seed) {
        return new RenderRequest(prompt, "watermark, text", seed, 256, 144, 16, 8);
    }

    protected int expectedWidth(RenderRequest r) {
        return r.width();
    }

    protected int expectedHeight(RenderRequest r) {
        return r.height();
    }

    protected int expectedFrames(RenderRequest r) {
        return r.frames();
    }

    protected int expectedFps(RenderRequest r) {
        return r.fps();
    }

    /** Whether the same prompt and seed must give the same output bytes. */
    protected boolean deterministic() {
        return false;
    }

    @BeforeEach
    void setUpWorkDir() throws Exception {
        work = Files.createDirectory(root.resolve("work"));
        scratch = Files.createDirectory(root.resolve("scratch"));
        renderer = newRenderer();
    }

    @AfterEach
    void closeRenderer() throws Exception {
        renderer.close();
    }

    protected StageOutput render(RenderRequest r) throws IOException, InterruptedException {
        return renderer.render(r, new StageContext(work, StageContext.ProgressSink.NONE));
    }

    @Test
    void rendersAVideoOfThePromisedSizeRateAndLength() throws Exception {
        RenderRequest r = request("a red fox running across a meadow at golden hour", 7);
        StageOutput out = render(r);

        assertThat(out.file()).exists().hasParent(work);
        assertThat(out.backend()).isNotBlank();
        MediaInfo info = StageFixtures.FFMPEG.probe(out.file());
        MediaInfo.Video v = info.video().orElseThrow();
        assertThat(v.width()).isEqualTo(expectedWidth(r));
        assertThat(v.height()).isEqualTo(expectedHeight(r));
        assertThat(v.fps()).isCloseTo(expectedFps(r), within(0.01));
        assertThat(v.frames()).isCloseTo(expectedFrames(r), within(1L));
        assertThat(info.videoSeconds())
                .isCloseTo((double) expectedFrames(r) / expectedFps(r), within(1.0 / expectedFps(r)));
    }

    @Test
    void writesOnlyItsOutputInsideTheWorkDirectory() throws Exception {
        Set<String> before = StageFixtures.filesOutside(root, work);
        StageOutput out = render(request("a lighthouse on a cliff at night", 3));

        assertThat(StageFixtures.filesOutside(root, work)).isEqualTo(before);
        assertThat(StageFixtures.names(work))
                .containsExactly(out.file().getFileName().toString());
    }

    @Test
    void reportsProgressBetweenZeroAndOne() throws Exception {
        List<Double> seen = new CopyOnWriteArrayList<>();
        renderer.render(
                request("waves on a beach", 5), new StageContext(work, (fraction, detail) -> seen.add(fraction)));

        assertThat(seen).isNotEmpty().allSatisfy(f -> assertThat(f).isLessThanOrEqualTo(1.0));
    }

    @Test
    void samePromptAndSeedRenderIdenticalFrames() throws Exception {
        Assumptions.assumeTrue(deterministic(), "backend does not claim determinism");
        RenderRequest r = request("bees buzzing around a flower, sun rays, shallow depth of field", 42);
        StageOutput first = render(r);
        StageOutput second = render(r);

        assertThat(first.file()).isNotEqualTo(second.file());
        assertThat(Files.readAllBytes(first.file())).isEqualTo(Files.readAllBytes(second.file()));
        List<byte[]> a = StageFixtures.decode(first.file(), scratch).frames();
        List<byte[]> b = StageFixtures.decode(second.file(), scratch).frames();
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).as("frame %d", i).isEqualTo(b.get(i));
        }
    }
}
