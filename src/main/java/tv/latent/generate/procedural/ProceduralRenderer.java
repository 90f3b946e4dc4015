package tv.latent.generate.procedural;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import tv.latent.generate.Continuation;
import tv.latent.generate.Intermediate;
import tv.latent.generate.Renderer;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageOutput;
import tv.latent.generate.internal.CueWords;
import tv.latent.media.Ffmpeg;

/**
 * The embedded renderer. Not AI: it paints a small animated picture whose palette, places,
 * subjects, motion, camera move and film look come from the prompt's words and whose details
 * come from the seed, so clips from different prompts look different and the same prompt and
 * seed give the same bytes. It renders at the requested (model) size, length and frame rate so
 * that the later stages do their real work.
 *
 * <p>Frames are painted in Java and piped to ffmpeg as raw RGB, encoded as a near-lossless
 * intermediate. Its outputs say "procedural" and carry the note "procedural renderer, not AI".
 *
 * <pre>{@code
 * Renderer renderer = new ProceduralRenderer(Ffmpeg.locate(2), Duration.ofMinutes(10));
 * }</pre>
 *
 * <p>Thread-safe: each call paints with its own buffers; holds nothing that needs closing. Its
 * ffmpeg runs go through the shared {@link Ffmpeg}, which caps how many run at once.
 */
public final class ProceduralRenderer implements Renderer {
    static final String BACKEND = "procedural";
    static final String NOTE = "procedural renderer, not AI";

    private final Ffmpeg ffmpeg;
    private final Duration timeout;

    /** A renderer whose ffmpeg encode of one clip may take up to {@code timeout}. */
    public ProceduralRenderer(Ffmpeg ffmpeg, Duration timeout) {
        this.ffmpeg = Objects.requireNonNull(ffmpeg);
        this.timeout = Intermediate.positiveTimeout(timeout);
    }

    @Override
    public StageOutput render(RenderRequest request, StageContext context) throws IOException, InterruptedException {
        int w = request.width();
        int h = request.height();
        Intermediate.require(
                w >= 16 && h >= 16 && w <= 3840 && h <= 2160 && w % 2 == 0 && h % 2 == 0,
                "render size must be even, 16..3840 × 16..2160, got " + w + "×" + h);
        Intermediate.require(
                request.frames() >= 1 && request.frames() <= 2000, "frames must be 1..2000, got " + request.frames());
        Intermediate.require(request.fps() >= 1 && request.fps() <= 120, "fps must be 1..120, got " + request.fps());
        Intermediate.require(request.prompt() != null && !request.prompt().isBlank(), "prompt is empty");

        Scene scene = Scene.read(request.prompt(), request.negativePrompt());
        ScenePainter painter = new ScenePainter(
                scene, request.seed() ^ CueWords.of(request.prompt()).hash(), w, h, request.fps());
        Continued continued = request.continuation() == null
                ? null
                : Continued.from(request.continuation(), w, h, request.fps(), request.frames());
        Path target = context.newFile("render", "mp4");
        List<String> input = List.of(
                "-f",
                "rawvideo",
                "-pix_fmt",
                "rgb24",
                "-s",
                w + "x" + h,
                "-r",
                Integer.toString(request.fps()),
                "-i",
                "pipe:0",
                "-frames:v",
                Integer.toString(request.frames()));
        int frames = request.frames();
        Intermediate.encode(
                ffmpeg,
                input,
                target,
                timeout,
                in -> paintAll(painter, continued, frames, w * h * 3, in, context.progress()),
                null,
                "procedural render failed");
        context.progress().report(1, "rendered " + frames + " frames");
        Map<String, String> params = params(request, scene);
        if (continued != null) {
            params.put(Continuation.CONTINUES, request.continuation().shot());
            params.put(Continuation.HOW, continued.how());
            params.put(Continued.START_FRAME, Integer.toString(continued.startFrame()));
        }
        return new StageOutput(target, BACKEND, params);
    }

    /** It continues a shot from that shot's own scene when it painted it, else from its last frame. */
    @Override
    public boolean continues() {
        return true;
    }

    private static void paintAll(
            ScenePainter painter,
            Continued continued,
            int frames,
            int frameBytes,
            OutputStream in,
            StageContext.ProgressSink progress)
            throws IOException {
        byte[] frame = new byte[frameBytes];
        OutputStream out = new BufferedOutputStream(in, 1 << 16);
        for (int i = 0; i < frames; i++) {
            if (continued == null) {
                painter.paint(i, frame);
            } else {
                continued.paint(i, painter, frame);
            }
            out.write(frame);
            progress.report(0.95 * (i + 1) / frames, "frame " + (i + 1) + " of " + frames);
        }
        out.flush();
    }

    private static Map<String, String> params(RenderRequest r, Scene scene) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("note", NOTE);
        p.put("seed", Long.toString(r.seed()));
        p.put("size", r.width() + "x" + r.height());
        p.put("frames", Integer.toString(r.frames()));
        p.put("fps", Integer.toString(r.fps()));
        p.put("light", scene.light().name().toLowerCase(Locale.ROOT));
        p.put("camera", scene.camera().name().toLowerCase(Locale.ROOT));
        p.put("places", lower(scene.places()));
        p.put(
                "subjects",
                scene.subjects().stream().map(s -> s.count() + " " + s.noun()).collect(Collectors.joining(",")));
        p.put("looks", lower(scene.looks()));
        p.put("effects", lower(scene.effects()));
        p.put("encoding", Intermediate.ENCODING);
        return p;
    }

    private static String lower(Collection<? extends Enum<?>> values) {
        return values.stream().map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(","));
    }
}
