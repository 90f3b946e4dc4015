package tv.latent.backend.fal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A completed request: the app's output and what fal reported of it.
 *
 * @param output the app's output JSON, e.g. {@code {"video": {"url": ...}, "seed": 42}}
 * @param inferenceSeconds the app's reported GPU time, or NaN
 */
public record FalResult(String requestId, JsonNode output, double inferenceSeconds) {}
