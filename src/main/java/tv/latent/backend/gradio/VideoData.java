package tv.latent.backend.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A Video component's value: the video file and optional subtitles.
 *
 * <p>Thread-safety: immutable, safe to share.
 *
 * @param video the video file
 * @param subtitles the subtitles file, or null
 */
public record VideoData(FileData video, FileData subtitles) {

    /**
     * Reads a Video output: 4.x+ {@code {"video": FileData, "subtitles": ...}}, 3.x
     * {@code [file, subtitles]}, or a bare file (some apps return a file path).
     *
     * @return empty when the value is none of these
     */
    public static Optional<VideoData> parse(JsonNode node) {
        if (node == null) {
            return Optional.empty();
        }
        if (node.isObject() && node.has("video")) {
            return FileData.parse(node.get("video"))
                    .map(video -> new VideoData(
                            video, FileData.parse(node.get("subtitles")).orElse(null)));
        }
        if (node.isArray() && !node.isEmpty()) {
            return FileData.parse(node.get(0))
                    .map(video ->
                            new VideoData(video, FileData.parse(node.get(1)).orElse(null)));
        }
        return FileData.parse(node).map(video -> new VideoData(video, null));
    }

    /** The input value for a Video parameter: {@code {"video": {...}, "subtitles": null}}. */
    public static ObjectNode input(FileData video) {
        ObjectNode input = JsonNodeFactory.instance.objectNode();
        input.set("video", video.toInput());
        input.putNull("subtitles");
        return input;
    }
}
