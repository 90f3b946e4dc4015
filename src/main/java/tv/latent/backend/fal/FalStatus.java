package tv.latent.backend.fal;

/**
 * Where a queued request is.
 *
 * @param state {@code IN_QUEUE}, {@code IN_PROGRESS} or {@code COMPLETED}, as fal writes it
 * @param queuePosition the position while in the queue, else -1
 * @param lastLog the latest log line while in progress, or empty
 * @param inferenceSeconds what the app reports of its GPU time ({@code metrics.inference_time}),
 *     or NaN when it does not
 */
public record FalStatus(String state, int queuePosition, String lastLog, double inferenceSeconds) {
    public boolean completed() {
        return "COMPLETED".equals(state);
    }

    public boolean queued() {
        return "IN_QUEUE".equals(state);
    }
}
