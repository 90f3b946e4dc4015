package tv.latent.pipeline;

/** Hears what the pipeline does. Called from job threads: implementations must be thread-safe and quick. */
public interface PipelineListener {
    /** A stage made progress: {@code fraction} 0..1 (negative when unknown) and a short human detail. */
    default void progress(ShotJob job, JobState stage, double fraction, String detail) {}

    /** A job was stored in a new state (or with a new attempt). */
    default void changed(ShotJob job) {}

    /**
     * One backend's try at a stage ended, after {@code seconds}: {@code succeeded} when it made a
     * usable output; a failed try falls through to the next backend of the chain or fails the
     * attempt. The master stage reports as backend {@code ffmpeg}.
     */
    default void stageTried(ShotJob job, JobState stage, String backend, double seconds, boolean succeeded) {}
}
