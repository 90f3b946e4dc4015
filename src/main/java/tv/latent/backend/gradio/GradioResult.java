package tv.latent.backend.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * The outputs of a finished call, in the order of the endpoint's returns.
 *
 * <p>Thread-safety: safe to share as long as nobody modifies the JSON nodes.
 *
 * @param endpoint what was called
 * @param data the output values
 * @param duration the run time the server reported, or null
 */
public record GradioResult(String endpoint, List<JsonNode> data, Duration duration) {

    public GradioResult {
        data = List.copyOf(data);
    }

    /** Output {@code i}. */
    public JsonNode get(int i) throws GradioSignatureException {
        if (i < 0 || i >= data.size()) {
            throw new GradioSignatureException(endpoint, "no output " + i + "; the app returned " + data.size());
        }
        return data.get(i);
    }

    /** Output {@code i} as text. */
    public String text(int i) throws GradioSignatureException {
        JsonNode node = get(i);
        if (!node.isValueNode()) {
            throw new GradioSignatureException(endpoint, "output " + i + " is not text: " + brief(node));
        }
        return node.asText();
    }

    /** Output {@code i} as a file (4.x+ FileData or the 3.x form). */
    public FileData file(int i) throws GradioSignatureException {
        JsonNode node = get(i);
        return FileData.parse(node)
                .orElseThrow(
                        () -> new GradioSignatureException(endpoint, "output " + i + " is not a file: " + brief(node)));
    }

    /** Output {@code i} as a Video value. */
    public VideoData video(int i) throws GradioSignatureException {
        JsonNode node = get(i);
        return VideoData.parse(node)
                .orElseThrow(() ->
                        new GradioSignatureException(endpoint, "output " + i + " is not a video: " + brief(node)));
    }

    private static String brief(JsonNode node) {
        String s = node.toString();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
