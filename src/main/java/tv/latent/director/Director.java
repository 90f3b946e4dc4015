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

    /** What a channel is about, as its operator wrote it. */
    record ChannelBrief(String channelId, String title, String theme, List<String> style, String musicMood) {
        public ChannelBrief {
            style = List.copyOf(style);
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
