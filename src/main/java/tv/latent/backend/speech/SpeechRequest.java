package tv.latent.backend.speech;

import java.util.Objects;

/**
 * One line to synthesise, with what the server's protocol takes. Make it with {@link #openAi} or
 * {@link #piper}; options left null are not sent (the server's defaults hold). Immutable.
 *
 * @param format the OpenAI {@code response_format} ({@code wav}, {@code mp3}, {@code pcm} ...)
 * @param speed the OpenAI {@code speed}, 0.25..4
 * @param speaker Piper's {@code speaker} (a multi-speaker voice's name)
 * @param lengthScale Piper's {@code length_scale} (above 1 is slower)
 */
public record SpeechRequest(
        String text,
        String model,
        String voice,
        String format,
        Double speed,
        String instructions,
        String speaker,
        Double lengthScale) {
    public SpeechRequest {
        Objects.requireNonNull(text, "text");
        if (speed != null && !(speed >= 0.25 && speed <= 4)) {
            throw new IllegalArgumentException("speed must be 0.25..4, got " + speed);
        }
        if (lengthScale != null && !(lengthScale > 0 && lengthScale <= 10)) {
            throw new IllegalArgumentException("lengthScale must be above 0 and at most 10, got " + lengthScale);
        }
    }

    /** An OpenAI-compatible request; {@code speed} and {@code instructions} may be null. */
    public static SpeechRequest openAi(
            String text, String model, String voice, String format, Double speed, String instructions) {
        return new SpeechRequest(
                text,
                Objects.requireNonNull(model, "model"),
                Objects.requireNonNull(voice, "voice"),
                format == null ? "wav" : format,
                speed,
                instructions,
                null,
                null);
    }

    /** A Piper request; {@code speaker} and {@code lengthScale} may be null. */
    public static SpeechRequest piper(String text, String speaker, Double lengthScale) {
        return new SpeechRequest(text, null, null, null, null, null, speaker, lengthScale);
    }
}
