package tv.latent.director;

import java.io.IOException;
import java.util.List;

/**
 * Turns a channel's brief and recent history into shot plans. Thread-safe.
 *
 * <pre>{@code
 * Direction next = director.plan(new DirectorRequest(brief, recentPrompts, 4, 42));
 * }</pre>
 */
public interface Director extends AutoCloseable {
    Direction plan(DirectorRequest request) throws IOException, InterruptedException;

    /**
     * Turns a viewer's suggestion into one shot in the channel's style: the viewer's subject and
     * words stay, the director adds framing, camera, light, lens and the channel's style words.
     * The direction holds exactly one shot.
     *
     * <pre>{@code
     * Direction shot = director.adapt(new AdaptRequest(brief, "a red fox juggling lanterns", recentPrompts, 42));
     * }</pre>
     */
    Direction adapt(AdaptRequest request) throws IOException, InterruptedException;

    @Override
    default void close() {}

    /**
     * What a channel is about, as its operator wrote it.
     *
     * @param narration whether and how the director writes narration lines ({@link NarrationBrief#OFF}: none)
     */
    record ChannelBrief(
            String channelId,
            String title,
            String theme,
            List<String> style,
            String musicMood,
            NarrationBrief narration) {
        public ChannelBrief {
            style = List.copyOf(style);
            narration = narration == null ? NarrationBrief.OFF : narration;
        }

        /** A channel without a narrator. */
        public ChannelBrief(String channelId, String title, String theme, List<String> style, String musicMood) {
            this(channelId, title, theme, style, musicMood, NarrationBrief.OFF);
        }
    }

    /**
     * What the narrator says and how much: one line per shot, or one per sequence spread over its
     * shots; in a persona and a language; at most {@code wordsPerShot} words over one shot (what
     * can be spoken in a clip's length), so a line never has to be cut.
     */
    record NarrationBrief(Mode mode, String persona, String language, int wordsPerShot) {
        public static final NarrationBrief OFF = new NarrationBrief(Mode.OFF, "documentary", "en", 0);

        public NarrationBrief {
            persona = persona == null || persona.isBlank() ? "documentary" : PlainText.line(persona);
            language = language == null || language.isBlank() ? "en" : language.strip();
            if (mode != Mode.OFF && (wordsPerShot < 1 || wordsPerShot > 200)) {
                throw new IllegalArgumentException("wordsPerShot must be 1..200, got " + wordsPerShot);
            }
        }

        public boolean on() {
            return mode != Mode.OFF;
        }

        /** How often the narrator speaks. */
        public enum Mode {
            OFF,
            SHOT,
            SEQUENCE
        }
    }

    /**
     * Ask for {@code count} shots; {@code recentPrompts} are the channel's latest prompts, newest
     * first, which the new ones must not repeat; the same seed gives the same plans.
     *
     * @param continuity the shots of a sequence will continue each other (each starts from the
     *     previous one's last frame): write one continuing action, not cuts between framings
     */
    record DirectorRequest(ChannelBrief brief, List<String> recentPrompts, int count, long seed, boolean continuity) {
        public DirectorRequest {
            recentPrompts = List.copyOf(recentPrompts);
            if (count < 1 || count > 100) {
                throw new IllegalArgumentException("count must be 1..100, got " + count);
            }
        }

        /** Shots that stand alone (a sequence cuts between framings). */
        public DirectorRequest(ChannelBrief brief, List<String> recentPrompts, int count, long seed) {
            this(brief, recentPrompts, count, seed, false);
        }
    }

    /**
     * Ask for one shot made from a viewer's suggestion. {@code suggestion} is plain text, already
     * cleaned and moderated (at most {@link #MAX_SUGGESTION_CHARS} characters); it is never
     * markup, whatever it contains. {@code recentPrompts} are the channel's latest prompts, newest
     * first; the same seed gives the same shot.
     */
    record AdaptRequest(ChannelBrief brief, String suggestion, List<String> recentPrompts, long seed) {
        /** Longest suggestion a director is asked to adapt. */
        public static final int MAX_SUGGESTION_CHARS = 300;

        public AdaptRequest {
            recentPrompts = List.copyOf(recentPrompts);
            if (suggestion == null || suggestion.isBlank()) {
                throw new IllegalArgumentException("the suggestion is empty");
            }
            suggestion = suggestion.strip();
            if (suggestion.codePointCount(0, suggestion.length()) > MAX_SUGGESTION_CHARS) {
                throw new IllegalArgumentException(
                        "the suggestion is longer than " + MAX_SUGGESTION_CHARS + " characters");
            }
        }
    }

    /** The plans, which director made them, and a note when it was a fallback ("LLM down: ..."). */
    record Direction(List<ShotPlan> shots, String director, String note) {
        public Direction {
            shots = List.copyOf(shots);
            note = note == null ? "" : note;
        }
    }
}
