package tv.latent.backend.gradio;

/**
 * One progress bar of a running call ({@code progress_data} entry). Fields are null when the app
 * does not send them (a {@code gr.Progress} with only a fraction has no index and length).
 *
 * @param index steps done, or null
 * @param length total steps, or null
 * @param unit what a step is ("steps", "frames"), or null
 * @param progress fraction 0..1 when the app reports one, or null
 * @param desc description, or null
 */
public record ProgressStep(Long index, Long length, String unit, Double progress, String desc) {}
