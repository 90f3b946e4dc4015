package tv.latent.config;

import java.util.Locale;

/** The kinds of work a backend can do for a channel. */
public enum StageKind {
    DIRECTOR,
    RENDER,
    UPSCALE,
    INTERPOLATE,
    SCORE,
    /** Narration: a line of the shot plan spoken by a text-to-speech engine. */
    SPEAK;

    /** The YAML key of this kind ("render"). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
