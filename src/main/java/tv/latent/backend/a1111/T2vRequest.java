package tv.latent.backend.a1111;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.stream.Collectors;

/**
 * One {@code POST /t2v/run} call: the prompt and every generation setting of sd-webui-text2video,
 * validated on construction. Unset fields take the extension's documented defaults (24 frames,
 * 256×256, 30 steps, CFG 17, random seed, eta 0, 15 fps, the extension's negative prompt).
 *
 * <pre>{@code
 * T2vRequest request = T2vRequest.builder("a red fox staring into the camera, golden hour")
 *     .model("zeroscope_v2_576w").size(576, 320).frames(24).steps(40).cfgScale(12).seed(42)
 *     .build();
 * }</pre>
 *
 * <p>Ranges follow the extension's own checks and UI limits: steps 1..200, frames 1..250,
 * cfg 1..100, width and height 64..1024 in multiples of 8, eta 0..1, batch count 1..100,
 * fps 1..240, seed -1 (random) or 0..2<sup>32</sup>-1, vid2vid strength 0..1.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param prompt what to render (required, not blank)
 * @param negativePrompt what to avoid ({@code n_prompt}); empty for none
 * @param model model folder under {@code models/text2video}, or {@code null} for the server's
 *     default ({@code <modelscope>}); extension versions without model selection ignore it
 * @param sampler diffusion sampler
 * @param steps diffusion steps
 * @param frames frames to render
 * @param seed seed, -1 for a random one
 * @param cfgScale classifier-free guidance scale (an integer in this API)
 * @param width video width in pixels
 * @param height video height in pixels
 * @param eta DDIM eta
 * @param batchCount how many videos to render (one file each)
 * @param fps frame rate of the encoded video
 * @param soundtrack where the audio comes from
 * @param soundtrackPath audio path or URL on the server when {@code soundtrack} is FILE
 * @param vid2vid the input video of a vid2vid pass (e.g. an upscale), or {@code null}
 * @param inpainting an image to start from (img2vid), or {@code null}
 */
public record T2vRequest(
        String prompt,
        String negativePrompt,
        String model,
        Sampler sampler,
        int steps,
        int frames,
        long seed,
        int cfgScale,
        int width,
        int height,
        double eta,
        int batchCount,
        int fps,
        Soundtrack soundtrack,
        String soundtrackPath,
        Vid2Vid vid2vid,
        Inpainting inpainting) {

    /** The extension's default negative prompt. */
    public static final String DEFAULT_NEGATIVE_PROMPT = "text, watermark, copyright, blurry, nsfw";

    /** Longest query string sent; uvicorn refuses request lines much past 16 KiB. */
    static final int MAX_QUERY_LENGTH = 12 * 1024;

    /** Room for the names and the bounded numeric values of the other query parameters. */
    private static final int SCALARS_ALLOWANCE = 512;

    private static final long MAX_SEED = 0xFFFF_FFFFL;

    /**
     * A vid2vid pass: the server re-renders {@code input} guided by the prompt. With a larger
     * width and height than the input this is the Zeroscope-XL style upscale.
     *
     * @param input local video file, sent as the {@code vid2vid_input} multipart part
     * @param strength denoising strength 0..1 (extension default 0.75); lower keeps more of the
     *     input
     * @param startFrame first frame of the input to use
     */
    public record Vid2Vid(Path input, double strength, int startFrame) {
        public Vid2Vid {
            Objects.requireNonNull(input, "vid2vid input");
            check(
                    Double.isFinite(strength) && strength >= 0 && strength <= 1,
                    "vid2vid strength must be between 0 and 1, was " + strength);
            check(startFrame >= 0, "vid2vid start frame must be 0 or more, was " + startFrame);
        }
    }

    /**
     * An image the first {@code frames} frames are inpainted from (img2vid).
     *
     * @param image local image file, sent as the {@code inpainting_image} multipart part
     * @param frames how many frames, counted from the start, the image weighs on
     * @param weights the extension's keyframe weight expression, or {@code null} for its default
     */
    public record Inpainting(Path image, int frames, String weights) {
        public Inpainting {
            Objects.requireNonNull(image, "inpainting image");
            check(frames >= 0, "inpainting frames must be 0 or more, was " + frames);
        }
    }

    public T2vRequest {
        check(prompt != null && !prompt.isBlank(), "prompt is required and must not be blank");
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        check(model == null || !model.isBlank(), "model must be null (server default) or a name");
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(soundtrack, "soundtrack");
        checkRange("steps", steps, 1, 200);
        checkRange("frames", frames, 1, 250);
        check(
                seed == -1 || (seed >= 0 && seed <= MAX_SEED),
                "seed must be -1 (random) or between 0 and " + MAX_SEED + ", was " + seed);
        checkRange("cfg scale", cfgScale, 1, 100);
        checkRange("width", width, 64, 1024);
        checkRange("height", height, 64, 1024);
        check(
                width % 8 == 0 && height % 8 == 0,
                "width and height must be multiples of 8, were " + width + "x" + height);
        check(Double.isFinite(eta) && eta >= 0 && eta <= 1, "eta must be between 0 and 1, was " + eta);
        checkRange("batch count", batchCount, 1, 100);
        checkRange("fps", fps, 1, 240);
        check(
                soundtrack != Soundtrack.FILE || (soundtrackPath != null && !soundtrackPath.isBlank()),
                "soundtrack FILE needs a soundtrack path");
        check(
                soundtrack != Soundtrack.INIT_VIDEO || vid2vid != null,
                "soundtrack INIT_VIDEO needs a vid2vid input video");
        if (vid2vid != null) {
            check(
                    vid2vid.startFrame() < frames,
                    "vid2vid start frame (" + vid2vid.startFrame() + ") must be lower than the number of frames ("
                            + frames + ")");
        }
        if (inpainting != null) {
            check(
                    inpainting.frames() <= frames,
                    "inpainting frames (" + inpainting.frames() + ") must not exceed the number of frames (" + frames
                            + ")");
        }
        int queryLength = encodedTextLength(prompt, negativePrompt, model, soundtrackPath) + SCALARS_ALLOWANCE;
        check(
                queryLength <= MAX_QUERY_LENGTH,
                "prompt and negative prompt are too long for a query" + " string: " + queryLength
                        + " encoded characters, at most " + MAX_QUERY_LENGTH);
    }

    /** A builder with the extension's defaults for everything but the prompt. */
    public static Builder builder(String prompt) {
        return new Builder(prompt);
    }

    /** A request with the extension's defaults for everything but the prompt. */
    public static T2vRequest of(String prompt) {
        return builder(prompt).build();
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        var b = new Builder(prompt);
        b.negativePrompt = negativePrompt;
        b.model = model;
        b.sampler = sampler;
        b.steps = steps;
        b.frames = frames;
        b.seed = seed;
        b.cfgScale = cfgScale;
        b.width = width;
        b.height = height;
        b.eta = eta;
        b.batchCount = batchCount;
        b.fps = fps;
        b.soundtrack = soundtrack;
        b.soundtrackPath = soundtrackPath;
        b.vid2vid = vid2vid;
        b.inpainting = inpainting;
        return b;
    }

    /**
     * Every scalar as the query parameter the extension reads, in a stable order. Files are not
     * here: they travel as multipart parts.
     */
    SequencedMap<String, String> queryParameters() {
        var q = new LinkedHashMap<String, String>();
        q.put("prompt", prompt);
        q.put("n_prompt", negativePrompt);
        if (model != null) {
            q.put("model", model);
        }
        q.put("sampler", sampler.wireName());
        q.put("steps", Integer.toString(steps));
        q.put("frames", Integer.toString(frames));
        q.put("seed", Long.toString(seed));
        q.put("cfg_scale", Integer.toString(cfgScale));
        q.put("width", Integer.toString(width));
        q.put("height", Integer.toString(height));
        q.put("eta", Double.toString(eta));
        q.put("batch_count", Integer.toString(batchCount));
        q.put("fps", Integer.toString(fps));
        q.put("add_soundtrack", soundtrack.wireName());
        if (soundtrackPath != null) {
            q.put("soundtrack_path", soundtrackPath);
        }
        q.put("do_vid2vid", Boolean.toString(vid2vid != null));
        if (vid2vid != null) {
            q.put("strength", Double.toString(vid2vid.strength()));
            q.put("vid2vid_startFrame", Integer.toString(vid2vid.startFrame()));
        }
        if (inpainting != null) {
            q.put("inpainting_frames", Integer.toString(inpainting.frames()));
            if (inpainting.weights() != null) {
                q.put("inpainting_weights", inpainting.weights());
            }
        }
        return q;
    }

    /** The query string (without {@code ?}) of {@link #queryParameters()}. */
    String encodedQuery() {
        return encode(queryParameters());
    }

    private static int encodedTextLength(String... texts) {
        int length = 0;
        for (String text : texts) {
            if (text != null) {
                length += URLEncoder.encode(text, StandardCharsets.UTF_8).length();
            }
        }
        return length;
    }

    private static String encode(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)
                                .replace("+", "%20"))
                .collect(Collectors.joining("&"));
    }

    private static void checkRange(String name, long value, long min, long max) {
        check(value >= min && value <= max, name + " must be between " + min + " and " + max + ", was " + value);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Builds a {@link T2vRequest}; starts from the extension's defaults. Not thread-safe. */
    public static final class Builder {
        private String prompt;
        private String negativePrompt = DEFAULT_NEGATIVE_PROMPT;
        private String model;
        private Sampler sampler = Sampler.DDIM_GAUSSIAN;
        private int steps = 30;
        private int frames = 24;
        private long seed = -1;
        private int cfgScale = 17;
        private int width = 256;
        private int height = 256;
        private double eta = 0;
        private int batchCount = 1;
        private int fps = 15;
        private Soundtrack soundtrack = Soundtrack.NONE;
        private String soundtrackPath;
        private Vid2Vid vid2vid;
        private Inpainting inpainting;

        private Builder(String prompt) {
            this.prompt = prompt;
        }

        public Builder prompt(String value) {
            prompt = value;
            return this;
        }

        public Builder negativePrompt(String value) {
            negativePrompt = value;
            return this;
        }

        public Builder model(String value) {
            model = value;
            return this;
        }

        public Builder sampler(Sampler value) {
            sampler = value;
            return this;
        }

        public Builder steps(int value) {
            steps = value;
            return this;
        }

        public Builder frames(int value) {
            frames = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder cfgScale(int value) {
            cfgScale = value;
            return this;
        }

        public Builder size(int widthPixels, int heightPixels) {
            width = widthPixels;
            height = heightPixels;
            return this;
        }

        public Builder eta(double value) {
            eta = value;
            return this;
        }

        public Builder batchCount(int value) {
            batchCount = value;
            return this;
        }

        public Builder fps(int value) {
            fps = value;
            return this;
        }

        public Builder soundtrack(Soundtrack value, String path) {
            soundtrack = value;
            soundtrackPath = path;
            return this;
        }

        /** Re-renders {@code input} (vid2vid) with the given denoising strength, from frame 0. */
        public Builder vid2vid(Path input, double strength) {
            return vid2vid(new Vid2Vid(input, strength, 0));
        }

        public Builder vid2vid(Vid2Vid value) {
            vid2vid = value;
            return this;
        }

        public Builder inpainting(Inpainting value) {
            inpainting = value;
            return this;
        }

        /** The request; throws {@link IllegalArgumentException} naming the first invalid value. */
        public T2vRequest build() {
            return new T2vRequest(
                    prompt,
                    negativePrompt,
                    model,
                    sampler,
                    steps,
                    frames,
                    seed,
                    cfgScale,
                    width,
                    height,
                    eta,
                    batchCount,
                    fps,
                    soundtrack,
                    soundtrackPath,
                    vid2vid,
                    inpainting);
        }
    }
}
