package tv.latent.pipeline;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a shot job is. A non-terminal state names the stage the job runs next; the job's own
 * stage order (interpolate before or after upscale) picks the next one among those allowed here.
 */
public enum JobState {
    RENDER,
    UPSCALE,
    INTERPOLATE,
    SCORE,
    MASTER,
    MASTERED,
    FAILED;

    /** The one transition table: which states may follow which. */
    private static final Map<JobState, Set<JobState>> ALLOWED = Map.of(
            RENDER, EnumSet.of(UPSCALE, INTERPOLATE, FAILED),
            UPSCALE, EnumSet.of(INTERPOLATE, SCORE, FAILED),
            INTERPOLATE, EnumSet.of(UPSCALE, SCORE, FAILED),
            SCORE, EnumSet.of(MASTER, FAILED),
            MASTER, EnumSet.of(MASTERED, FAILED),
            // an operator may send a failed job back to any stage
            FAILED, EnumSet.of(RENDER, UPSCALE, INTERPOLATE, SCORE, MASTER),
            MASTERED, EnumSet.noneOf(JobState.class));

    public boolean terminal() {
        return this == MASTERED || this == FAILED;
    }

    public boolean mayBecome(JobState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** The order of stages a job of a channel goes through. */
    public static java.util.List<JobState> order(boolean interpolateFirst) {
        return interpolateFirst
                ? java.util.List.of(RENDER, INTERPOLATE, UPSCALE, SCORE, MASTER)
                : java.util.List.of(RENDER, UPSCALE, INTERPOLATE, SCORE, MASTER);
    }
}
