package tv.latent.pipeline;

import java.util.Optional;

/**
 * How a spoken line fits its clip. The voice starts {@link #LEAD_SECONDS} into the clip and ends
 * at least {@link #TAIL_SECONDS} before it (so the join to the next clip never cuts a word); a
 * voice longer than that room is spoken faster, up to {@link #MAX_TEMPO} times; longer still, the
 * line is shortened at a word boundary and spoken again ({@code StageChain}). The director sizes
 * lines by {@link #wordsFor}, so this is rare.
 *
 * <pre>{@code
 * int words = NarrationFit.wordsFor(2.667);               // 6
 * Optional<Placement> p = NarrationFit.place(2.9, 2.667); // spoken 1.23 times faster
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class NarrationFit {
    /** Silence before the voice starts. */
    public static final double LEAD_SECONDS = 0.15;
    /** Silence the voice leaves before the clip ends. */
    public static final double TAIL_SECONDS = 0.15;
    /** The fastest a line is spoken (ffmpeg atempo); past it, the line is too long for the clip. */
    public static final double MAX_TEMPO = 1.3;
    /**
     * Words a narrator says per second, for sizing lines: espeak-ng at its default 160 words a
     * minute says about 3.3 with the pauses punctuation makes (measured); slower voices have the
     * tempo's room.
     */
    static final double WORDS_PER_SECOND = 2.8;
    /** How long a caption stays after the voice ends, when the clip has time for it. */
    static final double CAPTION_HOLD_SECONDS = 0.5;

    private NarrationFit() {}

    /** Seconds of a clip the voice may fill. */
    public static double room(double clipSeconds) {
        return Math.max(0, clipSeconds - LEAD_SECONDS - TAIL_SECONDS);
    }

    /** The most words a line over a clip of {@code clipSeconds} should have (at least one). */
    public static int wordsFor(double clipSeconds) {
        return Math.max(1, (int) Math.floor(room(clipSeconds) * WORDS_PER_SECOND));
    }

    /**
     * Where a voice of {@code voiceSeconds} goes in a clip: from {@code delaySeconds}, at {@code
     * tempo} (1 = as spoken), lasting {@code spokenSeconds}; the caption from the voice's start
     * until {@code captionEndSeconds}.
     */
    public record Placement(double delaySeconds, double tempo, double spokenSeconds, double captionEndSeconds) {}

    /** The voice's place in the clip, or empty when even {@link #MAX_TEMPO} times faster it does not fit. */
    public static Optional<Placement> place(double voiceSeconds, double clipSeconds) {
        double room = room(clipSeconds);
        if (!(voiceSeconds > 0) || room <= 0) {
            return Optional.empty();
        }
        double tempo = Math.max(1, voiceSeconds / room);
        if (tempo > MAX_TEMPO + 1e-9) {
            return Optional.empty();
        }
        double spoken = voiceSeconds / tempo;
        double end = Math.min(clipSeconds - TAIL_SECONDS, LEAD_SECONDS + spoken + CAPTION_HOLD_SECONDS);
        return Optional.of(new Placement(LEAD_SECONDS, tempo, spoken, end));
    }
}
