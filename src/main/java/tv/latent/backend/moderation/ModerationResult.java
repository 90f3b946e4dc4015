package tv.latent.backend.moderation;

import java.util.List;
import java.util.Map;

/**
 * What a moderation endpoint said of one text.
 *
 * @param flagged whether the model flags the text
 * @param categories the categories it was flagged for ({@code hate}, {@code violence}...), in
 *     the answer's order; may be empty even when flagged (a server that names none)
 * @param scores each category's score as the server gave it
 * @param model the model that answered, as the server named it
 */
public record ModerationResult(boolean flagged, List<String> categories, Map<String, Double> scores, String model) {
    public ModerationResult {
        categories = List.copyOf(categories);
        scores = Map.copyOf(scores);
        model = model == null ? "" : model;
    }
}
