package tv.latent.backend.comfyui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The values to fill into a {@link Workflow}'s placeholders. Values not used by the workflow are
 * ignored; placeholders the workflow uses but that have no value fail {@link Workflow#fill}.
 *
 * <pre>{@code
 * WorkflowInputs inputs = WorkflowInputs.builder()
 *     .prompt("a panda sailing a boat, Studio Ghibli style").negativePrompt("text, watermark")
 *     .seed(42).size(576, 320).frames(24).fps(8).build();
 * }</pre>
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param values each given placeholder with its JSON value
 */
public record WorkflowInputs(Map<Placeholder, JsonNode> values) {

    public WorkflowInputs {
        var copy = new EnumMap<Placeholder, JsonNode>(Placeholder.class);
        copy.putAll(values);
        copy.forEach((placeholder, value) -> {
            Objects.requireNonNull(value, placeholder.token());
            boolean fits =
                    switch (placeholder.type()) {
                        case TEXT -> value.isTextual();
                        case INTEGER -> value.isIntegralNumber();
                        case NUMBER -> value.isNumber();
                    };
            if (!fits) {
                String wanted =
                        switch (placeholder.type()) {
                            case TEXT -> "text";
                            case INTEGER -> "an integer";
                            case NUMBER -> "a number";
                        };
                throw new IllegalArgumentException(placeholder.token() + " must be " + wanted + ", not " + value);
            }
        });
        values = Collections.unmodifiableMap(copy);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link WorkflowInputs}, checking each value's range. Not thread-safe. */
    public static final class Builder {
        private final Map<Placeholder, JsonNode> values = new EnumMap<>(Placeholder.class);

        private Builder() {}

        public Builder prompt(String text) {
            return text(Placeholder.PROMPT, text);
        }

        public Builder negativePrompt(String text) {
            return text(Placeholder.NEGATIVE_PROMPT, text);
        }

        /** ComfyUI seeds are unsigned: 0 or more. */
        public Builder seed(long seed) {
            return integer(Placeholder.SEED, seed, 0, Long.MAX_VALUE);
        }

        public Builder size(int width, int height) {
            integer(Placeholder.WIDTH, width, 16, 16384);
            return integer(Placeholder.HEIGHT, height, 16, 16384);
        }

        public Builder frames(int frames) {
            return integer(Placeholder.FRAMES, frames, 1, 100_000);
        }

        public Builder fps(double fps) {
            return number(Placeholder.FPS, fps, 0.001, 1000);
        }

        public Builder steps(int steps) {
            return integer(Placeholder.STEPS, steps, 1, 10_000);
        }

        public Builder cfg(double cfg) {
            return number(Placeholder.CFG, cfg, 0, 100);
        }

        /** Denoising strength 0..1 (how much of an input video a vid2vid pass repaints). */
        public Builder denoise(double denoise) {
            return number(Placeholder.DENOISE, denoise, 0, 1);
        }

        /** The name of an uploaded input video: {@link UploadedFile#workflowValue()}. */
        public Builder inputVideo(String name) {
            return text(Placeholder.INPUT_VIDEO, name);
        }

        public Builder inputVideo(UploadedFile file) {
            return inputVideo(file.workflowValue());
        }

        /** The name of an uploaded start image (LoadImage's {@code image}): {@link UploadedFile#workflowValue()}. */
        public Builder inputImage(UploadedFile file) {
            return text(Placeholder.INPUT_IMAGE, file.workflowValue());
        }

        private Builder text(Placeholder placeholder, String text) {
            values.put(placeholder, TextNode.valueOf(Objects.requireNonNull(text, placeholder.token())));
            return this;
        }

        private Builder integer(Placeholder placeholder, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(
                        placeholder.token() + " must be between " + min + " and " + max + ", was " + value);
            }
            values.put(placeholder, LongNode.valueOf(value));
            return this;
        }

        private Builder number(Placeholder placeholder, double value, double min, double max) {
            if (!Double.isFinite(value) || value < min || value > max) {
                throw new IllegalArgumentException(
                        placeholder.token() + " must be between " + min + " and " + max + ", was " + value);
            }
            // Whole numbers travel as JSON integers: right for INT inputs, and FLOAT inputs accept them.
            values.put(
                    placeholder,
                    value == Math.rint(value) && Math.abs(value) < 1e15
                            ? LongNode.valueOf((long) value)
                            : DoubleNode.valueOf(value));
            return this;
        }

        public WorkflowInputs build() {
            return new WorkflowInputs(values);
        }
    }
}
