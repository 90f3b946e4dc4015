package tv.latent.pipeline;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a shot job is. A non-terminal state names the stage the job runs next; the job's own
 * stage order (interpolate before or after upscale; speak or not) picks the next one among those
 * allowed here.
 */
public enum JobState {
    RENDER,
    UPSCALE,
    INTERPOLATE,
    SCORE,
    /** The narration line spoken (only jobs whose shot has one). */
    SPEAK,
    MASTER,
    MASTERED,
    FAILED;

    /** The one transition table: which states may follow which. */
    private static final Map<JobState, Set<JobState>> ALLOWED = Map.of(
            RENDER, EnumSet.of(UPSCALE, INTERPOLATE, FAILED),
            UPSCALE, EnumSet.of(INTERPOLATE, SCORE, FAILED),
            INTERPOLATE, EnumSet.of(UPSCALE, SCORE, FAILED),
            SCORE, EnumSet.of(SPEAK, MASTER, FAILED),
            SPEAK, EnumSet.of(MASTER, FAILED),
            MASTER, EnumSet.of(MASTERED, FAILED),
            // an operator may send a failed job back to any stage
            FAILED, EnumSet.of(RENDER, UPSCALE, INTERPOLATE, SCORE, SPEAK, MASTER),
            MASTERED, EnumSet.noneOf(JobState.class));

    public boolean terminal() {
        return this == MASTERED || this == FAILED;
    }

    public boolean mayBecome(JobState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Whether this stage makes (or plans) the job's video; the score and the voice are audio. */
    public boolean makesVideo() {
        return this == RENDER || this == UPSCALE || this == INTERPOLATE;
    }

    /** The order of stages a job of a channel goes through (no narration). */
    public static List<JobState> order(boolean interpolateFirst) {
        return order(interpolateFirst, false);
    }

    /** The order of stages a job goes through; {@code narrated}: its line is spoken after the score. */
    public static List<JobState> order(boolean interpolateFirst, boolean narrated) {
        List<JobState> order = new ArrayList<>(
                interpolateFirst
                        ? List.of(RENDER, INTERPOLATE, UPSCALE, SCORE)
                        : List.of(RENDER, UPSCALE, INTERPOLATE, SCORE));
        if (narrated) {
            order.add(SPEAK);
        }
        order.add(MASTER);
        return List.copyOf(order);
    }
}
