package tv.latent.generate;

import java.io.IOException;

/**
 * A narration line to speech. Every implementation makes the same thing, checked by {@link
 * SpeechAudio}: a mono 16-bit PCM WAV at the asked sample rate that starts and ends with the voice
 * (leading and trailing silence trimmed), as long as the line takes to say. An empty or overlong
 * line, and audio that is silent, not audio, of a rate a voice is not made at, or far too long or
 * short for its text, fail the stage with the reason. Thread-safe, like every stage.
 *
 * <pre>{@code
 * StageOutput voice = speaker.speak(new SpeakRequest("Meet the red fox.", "en", 48000, 7), context);
 * }</pre>
 */
public interface Speaker extends AutoCloseable {
    /** Speaks {@code request.text()} into a new WAV file in the context's work directory. */
    StageOutput speak(SpeakRequest request, StageContext context) throws IOException, InterruptedException;

    @Override
    default void close() {}

    /**
     * One line to speak, in a language (a BCP 47 tag such as {@code en} or {@code fr-FR}), into
     * audio of {@code sampleRate}; the seed fixes what an engine would otherwise draw at random.
     * The text is checked by the stage ({@link SpeechAudio#checkText}), not here, so that a bad line
     * fails as a stage does.
     */
    record SpeakRequest(String text, String language, int sampleRate, long seed) {
        public SpeakRequest {
            text = text == null ? "" : text;
            language = language == null || language.isBlank() ? "en" : language.strip();
            if (sampleRate < SpeechAudio.MIN_SAMPLE_RATE || sampleRate > SpeechAudio.MAX_SAMPLE_RATE) {
                throw new IllegalArgumentException("sampleRate must be " + SpeechAudio.MIN_SAMPLE_RATE + ".."
                        + SpeechAudio.MAX_SAMPLE_RATE + ", got " + sampleRate);
            }
        }
    }
}
