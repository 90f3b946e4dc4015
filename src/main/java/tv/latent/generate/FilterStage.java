package tv.latent.generate;

/**
 * A stage that is nothing but ffmpeg filters, so that it can run inside another ffmpeg process's
 * filter graph instead of writing a video of its own. The pipeline asks such a stage for its
 * {@link FilterPlan}, keeps the plan as the stage's record, and runs the filters of consecutive
 * planned stages in the one ffmpeg run that next needs their video: the master's encode, or the
 * input of a remote stage.
 *
 * <pre>{@code
 * FilterPlan plan = upscaler.plan(new VideoShape(576, 320, 24, 72), new FilterStage.Goal(1024, 576, 24, 1));
 * ffmpeg.run(List.of("-i", in, "-vf", plan.chain(), out), timeout, null, null);
 * }</pre>
 *
 * <p>Implementations are the stage's own definition of what it does (its stand-alone run uses the
 * same plan), pure and thread-safe.
 */
public interface FilterStage {
    /**
     * The filters that make this stage's output from a video of shape {@code input}.
     *
     * @throws StageException when the stage cannot make what is asked from such a video
     */
    FilterPlan plan(VideoShape input, Goal goal) throws StageException;

    /**
     * What the channel's stages are asked to make: its picture size, frame rate and slow-motion
     * factor. An upscaler reads the size, an interpolator the rate and the factor.
     */
    record Goal(int width, int height, int fps, double slowMotion) {}
}
