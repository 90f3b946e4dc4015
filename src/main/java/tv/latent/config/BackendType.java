package tv.latent.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every backend type LatentTV knows, the stage it serves and the options it takes. The YAML's
 * {@code type:} must be one of these; its options are checked against {@link #options()}.
 */
public enum BackendType {
    TEMPLATE("template", StageKind.DIRECTOR, Map.of()),
    PROCEDURAL_VIDEO("procedural-video", StageKind.RENDER, Map.of()),
    FFMPEG_UPSCALE("ffmpeg-upscale", StageKind.UPSCALE, Map.of()),
    FFMPEG_INTERPOLATE("ffmpeg-interpolate", StageKind.INTERPOLATE, Map.of("mode", Option.choice("mci", "blend"))),
    PROCEDURAL_MUSIC("procedural-music", StageKind.SCORE, Map.of()),
    /** A Zeroscope v2 Gradio app ({@code hysts/zeroscope-v2}): {@code /run [prompt, seed, num_frames, num_inference_steps]}. */
    GRADIO_ZEROSCOPE(
            "gradio-zeroscope",
            StageKind.RENDER,
            gradio(Map.of(
                    "steps", Option.integer(1, 200),
                    "apiName", Option.string(),
                    "parameters", Option.strings()))),
    /** A Zeroscope XL vid2vid Gradio app: {@code [video, prompt]} plus whatever has a default. */
    GRADIO_ZEROSCOPE_XL(
            "gradio-zeroscope-xl",
            StageKind.UPSCALE,
            gradio(Map.of(
                    "apiName", Option.string(),
                    "parameters", Option.strings()))),
    /** FILM frame interpolation ({@code fffiloni/video_frame_interpolation}, fn_index 1). */
    GRADIO_FILM(
            "gradio-film",
            StageKind.INTERPOLATE,
            gradio(Map.of(
                    "apiName", Option.string(),
                    "fnIndex", Option.integer(0, 1000),
                    "parameters", Option.strings()))),
    /**
     * MusicGen ({@code facebook/MusicGen} {@code /predict_batched [text, melody]}); {@code melody}
     * names an audio file (relative to the config file) whose tune the music follows.
     */
    GRADIO_MUSICGEN(
            "gradio-musicgen",
            StageKind.SCORE,
            gradio(Map.of(
                    "apiName", Option.string(),
                    "melody", Option.string(),
                    "parameters", Option.strings()))),
    /** AUTOMATIC1111 with sd-webui-text2video, text to video. */
    A1111_RENDER("a1111-render", StageKind.RENDER, a1111(Map.of())),
    /** AUTOMATIC1111 with sd-webui-text2video, vid2vid at the channel's size. */
    A1111_UPSCALE("a1111-upscale", StageKind.UPSCALE, a1111(Map.of("strength", Option.number(0, 1)))),
    /** ComfyUI running the user's API-format workflow file (placeholders {@code {{prompt}}} ...). */
    COMFYUI_RENDER("comfyui-render", StageKind.RENDER, comfy()),
    /** ComfyUI running the user's upscale workflow ({@code {{input_video}}}). */
    COMFYUI_UPSCALE("comfyui-upscale", StageKind.UPSCALE, comfy()),
    /**
     * A fal queue app (or the same app through the Hugging Face router with {@code tokenEnv}):
     * text to video, and image to video with {@code imageApp} for shots that continue.
     */
    FAL_RENDER("fal-render", StageKind.RENDER, fal(true)),
    /** A fal video-to-video app (an upscaler) whose input takes the clip. */
    FAL_UPSCALE("fal-upscale", StageKind.UPSCALE, fal(false)),
    /** A fal music app (the shot's music prompt and length). */
    FAL_MUSIC("fal-music", StageKind.SCORE, fal(false)),
    /**
     * A Replicate model ({@code owner/name} or {@code owner/name:version}): text to video, and
     * image to video with {@code imageModel} for shots that continue.
     */
    REPLICATE_RENDER("replicate-render", StageKind.RENDER, replicate(true)),
    /** A Replicate video upscaler. */
    REPLICATE_UPSCALE("replicate-upscale", StageKind.UPSCALE, replicate(false)),
    /** A Replicate music model. */
    REPLICATE_MUSIC("replicate-music", StageKind.SCORE, replicate(false)),
    /**
     * Debian's offline speech synthesizer: {@code voice} (an espeak-ng voice such as {@code en-us};
     * by default the channel's narration language), {@code rate} in words per minute, {@code pitch}.
     */
    ESPEAK_NG(
            "espeak-ng",
            StageKind.SPEAK,
            Map.of(
                    "voice", Option.string(),
                    "rate", Option.integer(80, 450),
                    "pitch", Option.integer(0, 99))),
    /**
     * An OpenAI-compatible {@code POST /audio/speech} server (OpenAI, Kokoro-FastAPI and others);
     * {@code url} is the API's base ({@code https://api.openai.com/v1}). {@code sampleRate}, when
     * set, is the rate the server must answer with ({@code pcm} answers are read at it; 24000 when
     * unset).
     */
    OPENAI_SPEECH(
            "openai-speech",
            StageKind.SPEAK,
            pool(Map.of(
                    "model", Option.requiredString(),
                    "voice", Option.requiredString(),
                    "speed", Option.number(0.25, 4),
                    "format", Option.choice("wav", "mp3", "flac", "opus", "aac", "pcm"),
                    "instructions", Option.string(),
                    "apiKeyEnv", Option.secretEnvName(),
                    "sampleRate", Option.integer(8000, 48000)))),
    /** Piper's HTTP server ({@code python3 -m piper.http_server}): {@code POST /} with the text, WAV back. */
    PIPER(
            "piper",
            StageKind.SPEAK,
            pool(Map.of(
                    "speaker", Option.string(),
                    "lengthScale", Option.number(0.25, 4),
                    "sampleRate", Option.integer(8000, 48000)))),
    /** An OpenAI-compatible chat completions server (OpenAI, Ollama, llama.cpp, vLLM). */
    OPENAI(
            "openai",
            StageKind.DIRECTOR,
            Map.of(
                    "baseUrl", Option.requiredString(),
                    "model", Option.requiredString(),
                    "apiKeyEnv", Option.secretEnvName(),
                    "temperature", Option.number(0, 2)));

    /** Types whose work runs on model servers: they need at least one of url, urls, space. */
    public boolean remote() {
        return options.containsKey("urls");
    }

    /** Types that run on a hosted queue (fal, Replicate): their url is optional, their key is not. */
    public boolean hosted() {
        return options.containsKey("pollMillis");
    }

    /** What fal and Replicate backends share: the input mapping, extras, output path and limits. */
    private static Map<String, Option> hostedOptions(Map<String, Option> own) {
        Map<String, Option> all = new java.util.LinkedHashMap<>(own);
        all.put("url", Option.string());
        all.put("tokenEnv", Option.secretEnvName());
        all.put("input", Option.map());
        all.put("extra", Option.map());
        all.put("output", Option.string());
        all.put("pollMillis", Option.integer(20, 60_000));
        all.put("maxDownloadMegabytes", Option.integer(1, 16_384));
        all.put("maxUploadMegabytes", Option.integer(1, 1024));
        all.put("breakerFailures", Option.integer(1, 100));
        all.put("breakerCooldownSeconds", Option.integer(1, 3600));
        all.put("retryBackoffMillis", Option.integer(0, 600_000));
        return Map.copyOf(all);
    }

    private static Map<String, Option> fal(boolean render) {
        Map<String, Option> own = new java.util.LinkedHashMap<>();
        own.put("app", Option.requiredString());
        own.put("keyEnv", Option.secretEnvName());
        if (render) {
            own.put("imageApp", Option.string());
            own.put("imageField", Option.string());
        }
        return hostedOptions(own);
    }

    private static Map<String, Option> replicate(boolean render) {
        Map<String, Option> own = new java.util.LinkedHashMap<>();
        own.put("model", Option.requiredString());
        if (render) {
            own.put("imageModel", Option.string());
            own.put("imageField", Option.string());
        }
        return hostedOptions(own);
    }

    private static Map<String, Option> pool(Map<String, Option> own) {
        Map<String, Option> all = new java.util.LinkedHashMap<>(own);
        all.put("url", Option.string());
        all.put("urls", Option.strings());
        all.put("breakerFailures", Option.integer(1, 100));
        all.put("breakerCooldownSeconds", Option.integer(1, 3600));
        all.put("retryBackoffMillis", Option.integer(0, 600_000));
        all.put("maxDownloadMegabytes", Option.integer(1, 16_384));
        return Map.copyOf(all);
    }

    /**
     * Gradio apps name their result files by URL. {@code allowDownloadsFrom} lists the hosts besides
     * the app's own origin they may be fetched from (A1111 sends videos inline and ComfyUI serves
     * them from its own {@code /view}, so neither needs it).
     */
    private static Map<String, Option> gradio(Map<String, Option> own) {
        Map<String, Option> all = new java.util.LinkedHashMap<>(own);
        all.put("space", Option.string());
        all.put("tokenEnv", Option.secretEnvName());
        all.put("hubUrl", Option.string());
        all.put("allowDownloadsFrom", Option.strings());
        return pool(all);
    }

    private static Map<String, Option> a1111(Map<String, Option> own) {
        Map<String, Option> all = new java.util.LinkedHashMap<>(own);
        all.put("model", Option.string());
        all.put("sampler", Option.choice("DDIM_Gaussian", "DDIM", "UniPC"));
        all.put("steps", Option.integer(1, 200));
        all.put("cfg", Option.integer(1, 30));
        all.put("eta", Option.number(0, 1));
        all.put("negativePrompt", Option.string());
        all.put("usernameEnv", Option.secretEnvName());
        all.put("passwordEnv", Option.secretEnvName());
        return pool(all);
    }

    private static Map<String, Option> comfy() {
        Map<String, Option> all = new java.util.LinkedHashMap<>();
        all.put("workflow", Option.requiredString());
        all.put("steps", Option.integer(1, 200));
        all.put("cfg", Option.number(0, 30));
        all.put("denoise", Option.number(0, 1));
        all.put("imageWorkflow", Option.string());
        return pool(all);
    }

    private final String key;
    private final StageKind stage;
    private final Map<String, Option> options;

    BackendType(String key, StageKind stage, Map<String, Option> options) {
        this.key = key;
        this.stage = stage;
        this.options = options;
    }

    /** The YAML name of the type ("ffmpeg-upscale"). */
    public String key() {
        return key;
    }

    public StageKind stage() {
        return stage;
    }

    public Map<String, Option> options() {
        return options;
    }

    /** The names of all types, for error messages. */
    public static Set<String> keys() {
        return Arrays.stream(values()).map(BackendType::key).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    public static BackendType of(String key) {
        for (BackendType type : values()) {
            if (type.key.equals(key)) {
                return type;
            }
        }
        return null;
    }

    /**
     * One option of a backend type: its kind and limits.
     *
     * @param required whether the YAML must give it
     * @param secret true for options that name an environment variable holding a secret
     */
    public record Option(Kind kind, double min, double max, List<String> choices, boolean required, boolean secret) {
        public enum Kind {
            STRING,
            INTEGER,
            NUMBER,
            BOOLEAN,
            CHOICE,
            STRINGS,
            /** A mapping of names to scalar values (strings, numbers, booleans). */
            MAP
        }

        public static Option string() {
            return new Option(Kind.STRING, 0, 0, List.of(), false, false);
        }

        public static Option requiredString() {
            return new Option(Kind.STRING, 0, 0, List.of(), true, false);
        }

        public static Option secretEnvName() {
            return new Option(Kind.STRING, 0, 0, List.of(), false, true);
        }

        public static Option integer(long min, long max) {
            return new Option(Kind.INTEGER, min, max, List.of(), false, false);
        }

        public static Option number(double min, double max) {
            return new Option(Kind.NUMBER, min, max, List.of(), false, false);
        }

        public static Option bool() {
            return new Option(Kind.BOOLEAN, 0, 0, List.of(), false, false);
        }

        public static Option strings() {
            return new Option(Kind.STRINGS, 0, 0, List.of(), false, false);
        }

        public static Option map() {
            return new Option(Kind.MAP, 0, 0, List.of(), false, false);
        }

        public static Option choice(String... values) {
            return new Option(Kind.CHOICE, 0, 0, List.of(values), false, false);
        }
    }
}
