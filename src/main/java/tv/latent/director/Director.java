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
     */
    record DirectorRequest(ChannelBrief brief, List<String> recentPrompts, int count, long seed) {
        public DirectorRequest {
            recentPrompts = List.copyOf(recentPrompts);
            if (count < 1 || count > 100) {
                throw new IllegalArgumentException("count must be 1..100, got " + count);
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
