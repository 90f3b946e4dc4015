package tv.latent.config;

import java.util.Locale;

/**
 * A channel's narrator: whether the director writes lines to be spoken over the shots (one per
 * shot, or one per sequence spread over its shots), in which persona and language, and how far
 * the music dips under the voice.
 *
 * <pre>{@code
 * Narration narration = new Narration(Narration.Mode.SHOT, "documentary", "en", 12);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param persona who speaks, as free text ("documentary narrator", "sports commentator"); the
 *     template director knows a few by name, an LLM director reads any
 * @param language the language lines are written and spoken in, a BCP 47 tag such as {@code en}
 *     or {@code fr-FR}
 * @param duckingDb how many dB the music dips while the voice speaks (0 keeps it level)
 */
public record Narration(Mode mode, String persona, String language, double duckingDb) {
    /** The default: no narrator. */
    public static final Narration OFF = new Narration(Mode.OFF, "documentary", "en", 12);

    /** The most the music may dip under the voice, in dB. */
    public static final double MAX_DUCKING_DB = 40;

    public Narration {
        persona = persona == null || persona.isBlank() ? "documentary" : persona.strip();
        language = language == null || language.isBlank() ? "en" : language.strip();
        if (!(duckingDb >= 0 && duckingDb <= MAX_DUCKING_DB)) {
            throw new IllegalArgumentException("duckingDb must be 0.." + MAX_DUCKING_DB + ", got " + duckingDb);
        }
    }

    /** Whether the channel has a narrator at all. */
    public boolean on() {
        return mode != Mode.OFF;
    }

    /** How often the narrator speaks. */
    public enum Mode {
        /** No narrator (the default). */
        OFF,
        /** One short line per shot, spoken over that shot. */
        SHOT,
        /** One line per sequence, spread over its shots at word boundaries. */
        SEQUENCE;

        /** The YAML name: {@code off}, {@code shot}, {@code sequence}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
