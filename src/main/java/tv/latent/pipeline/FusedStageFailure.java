package tv.latent.pipeline;

import tv.latent.generate.StageException;

/**
 * A fused ffmpeg run failed in one of the planned stages it ran: the job fails or retries with
 * that stage's name in its reason, not the name of the stage whose run it was.
 */
final class FusedStageFailure extends StageException {
    private final JobState stage;

    FusedStageFailure(JobState stage, String message, boolean retryable, Throwable cause) {
        super(message, retryable, cause);
        this.stage = stage;
    }

    /** The planned stage whose filters failed. */
    JobState stage() {
        return stage;
    }
}
