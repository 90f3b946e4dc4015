package tv.latent.generate.procedural;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import javax.imageio.ImageIO;
import tv.latent.generate.Continuation;
import tv.latent.generate.StageException;
import tv.latent.generate.internal.CueWords;

/**
 * How a continued shot begins: from the previous shot's own scene, when the procedural renderer
 * painted it at this size (its scene, seed and frame index carry on, so the first frame is exactly
 * the previous shot's last), or else from the previous shot's last frame as a still. Over its first
 * second the shot dissolves from there into its own scene, painted at the same running frame index.
 *
 * <p>Not thread-safe: one per render.
 */
final class Continued {
    /** The parameter recording the running frame index a procedural shot starts at. */
    static final String START_FRAME = "start.frame";

    private final ScenePainter previous;
    private final byte[] still;
    private final int startFrame;
    private final int fadeFrames;
    private final String how;
    private byte[] scratch;

    private Continued(ScenePainter previous, byte[] still, int startFrame, int fadeFrames, String how) {
        this.previous = previous;
        this.still = still;
        this.startFrame = startFrame;
        this.fadeFrames = fadeFrames;
        this.how = how;
    }

    /**
     * How to begin a shot of {@code w}×{@code h} at {@code fps}, {@code frames} long, continuing
     * {@code c}.
     *
     * @throws StageException when the previous shot's state is unusable and its last frame unreadable
     */
    static Continued from(Continuation c, int w, int h, int fps, int frames) throws StageException {
        int fade = Math.max(1, Math.min(fps, frames / 2));
        Map<String, String> p = c.params();
        if (ProceduralRenderer.BACKEND.equals(c.backend()) && (w + "x" + h).equals(p.get("size"))) {
            try {
                long seed = Long.parseLong(p.get("seed"));
                int start = Integer.parseInt(p.getOrDefault(START_FRAME, "0"));
                int previousFrames = Integer.parseInt(p.get("frames"));
                ScenePainter painter = new ScenePainter(
                        Scene.read(c.prompt(), c.negativePrompt()),
                        seed ^ CueWords.of(c.prompt()).hash(),
                        w,
                        h,
                        fps);
                return new Continued(painter, null, start + previousFrames - 1, fade, "scene state");
            } catch (RuntimeException e) {
                // a record written by another version: start from the last frame instead
            }
        }
        return new Continued(null, readStill(c, w, h), 0, fade, "last frame");
    }

    private static byte[] readStill(Continuation c, int w, int h) throws StageException {
        BufferedImage image;
        try {
            image = c.lastFrame() == null || !Files.isRegularFile(c.lastFrame())
                    ? null
                    : ImageIO.read(c.lastFrame().toFile());
        } catch (IOException e) {
            image = null;
        }
        if (image == null) {
            throw new StageException("the last frame of shot " + c.shot() + " cannot be read", false);
        }
        BufferedImage sized = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sized.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        byte[] rgb = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            sized.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                rgb[i] = (byte) (row[x] >> 16);
                rgb[i + 1] = (byte) (row[x] >> 8);
                rgb[i + 2] = (byte) row[x];
            }
        }
        return rgb;
    }

    /** The running frame index this shot's first frame has. */
    int startFrame() {
        return startFrame;
    }

    /** "scene state" or "last frame": what the shot began from. */
    String how() {
        return how;
    }

    /**
     * Frame {@code i} of the shot: {@code own} is the shot's own scene painted at the running index;
     * over the first frames it is mixed with what the shot began from.
     */
    void paint(int i, ScenePainter own, byte[] out) {
        own.paint(startFrame + i, out);
        if (i >= fadeFrames) {
            return;
        }
        byte[] from;
        if (previous != null) {
            if (scratch == null) {
                scratch = new byte[out.length];
            }
            previous.paint(startFrame + i, scratch);
            from = scratch;
        } else {
            from = still;
        }
        // integer weights out of 256: the same bytes on every machine
        int weight = (int) ((long) i * 256 / fadeFrames);
        for (int b = 0; b < out.length; b++) {
            int a = from[b] & 255;
            int c = out[b] & 255;
            out[b] = (byte) ((a * (256 - weight) + c * weight + 128) >> 8);
        }
    }
}
