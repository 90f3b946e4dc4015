package tv.latent.generate.procedural;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tv.latent.generate.Renderer;
import tv.latent.generate.Renderer.RenderRequest;
import tv.latent.generate.RendererContract;
import tv.latent.generate.StageException;
import tv.latent.generate.StageFixtures;
import tv.latent.generate.StageFixtures.Frames;
import tv.latent.generate.StageOutput;

class ProceduralRendererTest extends RendererContract {
    @Override
    protected Renderer newRenderer() {
        return new ProceduralRenderer(StageFixtures.FFMPEG, Duration.ofMinutes(1));
    }

    @Override
    protected boolean deterministic() {
        return true;
    }

    Frames frames(String prompt, long seed) throws Exception {
        return StageFixtures.decode(render(request(prompt, seed)).file(), scratch);
    }

    static double colourDistance(double[] a, double[] b) {
        return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
    }

    @Test
    void saysItIsProceduralAndNotAi() throws Exception {
        StageOutput out = render(request("a llama programmer in a cosy room", 1));

        assertThat(out.backend()).isEqualTo("procedural");
        assertThat(out.params())
                .containsEntry("note", "procedural renderer, not AI")
                .containsEntry("seed", "1");
    }

    @Test
    void differentPromptsGiveVisiblyDifferentFrames() throws Exception {
        Frames fox = frames("close-up of a red fox, golden hour, film grain", 5);
        Frames reef = frames("underwater coral reef with fish, teal water", 5);
        Frames city = frames("neon city at night, cars racing, rain", 5);

        assertThat(colourDistance(fox.meanColour(), reef.meanColour())).isGreaterThan(30);
        assertThat(colourDistance(reef.meanColour(), city.meanColour())).isGreaterThan(30);
        assertThat(Frames.difference(fox.frames().get(0), city.frames().get(0))).isGreaterThan(25);
    }

    @Test
    void goldenHourIsWarmerThanNight() throws Exception {
        double[] golden = frames("a quiet lake in the hills at golden hour", 9).meanColour();
        double[] night = frames("a quiet lake in the hills at night", 9).meanColour();

        assertThat(golden[0] - golden[2]).isGreaterThan(night[0] - night[2] + 20);
    }

    @Test
    void theSeedChangesTheDetailsOfTheSamePrompt() throws Exception {
        Frames a = frames("mountains and a forest, static camera", 1);
        Frames b = frames("mountains and a forest, static camera", 2);

        assertThat(Frames.difference(a.frames().get(0), b.frames().get(0))).isGreaterThan(2);
    }

    @Test
    void aPanningCameraMovesMoreThanAStaticOne() throws Exception {
        double pan =
                frames("a city skyline by the mountains, camera pans left", 4).motion();
        double still =
                frames("a city skyline by the mountains, static camera", 4).motion();

        assertThat(pan).isGreaterThan(still * 2 + 0.5);
    }

    @Test
    void runningFastMovesMoreThanRestingSlowly() throws Exception {
        double fast = frames("a horse running fast to the right across a field, static camera", 8)
                .motion();
        double slow =
                frames("a horse resting slowly in a field, static camera", 8).motion();

        assertThat(fast).isGreaterThan(slow * 1.5);
    }

    @Test
    void zoomChangesTheFrameOverTime() throws Exception {
        Frames zoom = frames("a planet in deep space, slow zoom in", 3);
        Frames still = frames("a planet in deep space, static camera", 3);

        assertThat(zoom.motion()).isGreaterThan(still.motion());
    }

    @Test
    void anOddSizeIsRejectedWithoutRetry() {
        assertThatThrownBy(() -> render(new RenderRequest("a fox", "", 1, 575, 320, 24, 8)))
                .isInstanceOfSatisfying(
                        StageException.class, e -> assertThat(e.retryable()).isFalse());
    }

    @Test
    void rendersZeroscopeNativeSizeQuickly() throws Exception {
        RenderRequest native576 = new RenderRequest(
                "a brown bear catching a salmon in a fast river, low angle, splashing water, golden hour",
                "",
                42,
                576,
                320,
                24,
                8);
        // warm the painter up, then measure painting alone (CPU of this thread) and the whole render (wall)
        paintCpuMillis(native576);
        double paintCpu = paintCpuMillis(native576);
        long t0 = System.nanoTime();
        StageOutput out = render(native576);
        double wall = (System.nanoTime() - t0) / 1e6;
        System.out.printf(
                "procedural render 576x320x24: paint %.0f ms CPU, whole render %.0f ms wall (incl. x264)%n",
                paintCpu, wall);

        assertThat(StageFixtures.FFMPEG.probe(out.file()).video().orElseThrow().frames())
                .isEqualTo(24);
    }

    private static double paintCpuMillis(RenderRequest r) {
        var bean = ManagementFactory.getThreadMXBean();
        long start = bean.getCurrentThreadCpuTime();
        ScenePainter painter =
                new ScenePainter(Scene.read(r.prompt(), r.negativePrompt()), r.seed(), r.width(), r.height(), r.fps());
        byte[] frame = new byte[r.width() * r.height() * 3];
        for (int i = 0; i < r.frames(); i++) {
            painter.paint(i, frame);
        }
        return (bean.getCurrentThreadCpuTime() - start) / 1e6;
    }
}
