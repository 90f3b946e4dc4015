package tv.latent.backend.comfyui;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The values LatentTV fills into a workflow. In the workflow file a placeholder is written as a
 * string value: {@code "{{prompt}}"}. A string that is exactly one placeholder becomes the value
 * with its JSON type (numbers as numbers); a placeholder inside a longer string, such as
 * {@code "clips/{{seed}}"}, is replaced by the value's text.
 */
public enum Placeholder {
    PROMPT("prompt", Type.TEXT),
    NEGATIVE_PROMPT("negative_prompt", Type.TEXT),
    SEED("seed", Type.INTEGER),
    WIDTH("width", Type.INTEGER),
    HEIGHT("height", Type.INTEGER),
    FRAMES("frames", Type.INTEGER),
    FPS("fps", Type.NUMBER),
    STEPS("steps", Type.INTEGER),
    CFG("cfg", Type.NUMBER),
    DENOISE("denoise", Type.NUMBER),
    /** An uploaded video's {@link UploadedFile#workflowValue()}, for vid2vid and upscaling. */
    INPUT_VIDEO("input_video", Type.TEXT),
    /** An uploaded image's {@link UploadedFile#workflowValue()}: the start frame of image to video. */
    INPUT_IMAGE("input_image", Type.TEXT);

    /** The JSON type a placeholder's value takes. */
    public enum Type {
        TEXT,
        INTEGER,
        NUMBER
    }

    private final String key;
    private final Type type;

    Placeholder(String key, Type type) {
        this.key = key;
        this.type = type;
    }

    /** The name inside the braces, e.g. {@code negative_prompt}. */
    public String key() {
        return key;
    }

    public Type type() {
        return type;
    }

    /** How it is written in a workflow, e.g. {@code {{prompt}}}. */
    public String token() {
        return "{{" + key + "}}";
    }

    static Optional<Placeholder> byKey(String key) {
        return Arrays.stream(values()).filter(p -> p.key.equals(key)).findFirst();
    }

    static String allTokens() {
        return Arrays.stream(values()).map(Placeholder::token).collect(Collectors.joining(", "));
    }
}
