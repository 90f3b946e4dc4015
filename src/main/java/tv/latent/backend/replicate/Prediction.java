package tv.latent.backend.replicate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * A prediction as Replicate describes it.
 *
 * @param status {@code starting}, {@code processing}, {@code succeeded}, {@code failed} or {@code canceled}
 * @param output a URL, a list of URLs, or whatever the model returns; null until it succeeds
 * @param error the model's error text, trimmed, or empty
 * @param predictSeconds {@code metrics.predict_time}, the GPU time billed, or NaN
 * @param getUrl {@code urls.get}, where to poll it, or empty
 * @param cancelUrl {@code urls.cancel}, where to cancel it, or empty
 */
public record Prediction(
        String id,
        String status,
        JsonNode output,
        String error,
        double predictSeconds,
        String getUrl,
        String cancelUrl) {
    private static final Set<String> ENDED = Set.of("succeeded", "failed", "canceled", "aborted");

    public boolean ended() {
        return ENDED.contains(status);
    }

    public boolean succeeded() {
        return "succeeded".equals(status);
    }
}
