package tv.latent.backend.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A file as an app names it: an output to download, or an uploaded input to pass to a call.
 *
 * <p>Every field comes from the server and is untrusted: none is ever used as a local path. Pass
 * a FileData to {@link GradioClient#download} with a target path you chose.
 *
 * <p>Thread-safety: immutable, safe to share.
 *
 * @param path the server-side path (4.x+ {@code path}, 3.x {@code name}), or a public URL
 * @param url where the server says it can be fetched, or null
 * @param size the size the server claims, or null
 * @param origName the original file name, or null
 * @param mimeType the MIME type, or null
 * @param isStream whether the output is a live stream
 * @param legacy whether the server sent the 3.x form ({@code name}, {@code is_file})
 * @param inlineData a 3.x {@code data:} URI holding the content itself, or null
 */
public record FileData(
        String path,
        String url,
        Long size,
        String origName,
        String mimeType,
        boolean isStream,
        boolean legacy,
        String inlineData) {

    private static final Pattern SAFE_EXTENSION = Pattern.compile("[a-z0-9]{1,8}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A file the app already has (a path from {@link GradioClient#upload}) or a public URL. */
    public static FileData of(String pathOrUrl, String origName) {
        return new FileData(pathOrUrl, null, null, origName, null, false, false, null);
    }

    /**
     * Reads a file value: the 4.x+ FileData object or the 3.x {@code {name, data, is_file}} form.
     *
     * @return empty when the value is not a file
     */
    public static Optional<FileData> parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        if (node.hasNonNull("path") || node.hasNonNull("url")) {
            return Optional.of(new FileData(
                    text(node, "path"),
                    text(node, "url"),
                    node.path("size").isNumber() ? node.get("size").asLong() : null,
                    text(node, "orig_name"),
                    text(node, "mime_type"),
                    node.path("is_stream").asBoolean(false),
                    false,
                    null));
        }
        if (node.hasNonNull("name") || node.path("data").isTextual()) {
            String data = text(node, "data");
            boolean inline = data != null && data.startsWith("data:");
            return Optional.of(new FileData(
                    text(node, "name"),
                    null,
                    node.path("size").isNumber() ? node.get("size").asLong() : null,
                    text(node, "orig_name"),
                    null,
                    false,
                    true,
                    inline ? data : null));
        }
        return Optional.empty();
    }

    /** The input value for a 4.x+ file parameter: {@code {path, orig_name, meta}}. */
    public ObjectNode toInput() {
        ObjectNode input = NODES.objectNode();
        input.put("path", path);
        if (origName != null) {
            input.put("orig_name", origName);
        }
        input.putObject("meta").put("_type", "gradio.FileData");
        return input;
    }

    /** The input value for a 3.x file parameter: {@code {name, data, is_file, orig_name}}. */
    public ObjectNode toLegacyInput() {
        ObjectNode input = NODES.objectNode();
        input.put("name", path);
        input.putNull("data");
        input.put("is_file", true);
        if (origName != null) {
            input.put("orig_name", origName);
        }
        return input;
    }

    /**
     * The file's extension in lower case when it is short and plain ({@code mp4}, {@code wav}), else
     * "". Safe to append to a file name you chose.
     */
    public String safeExtension() {
        for (String candidate : new String[] {origName, path, url}) {
            if (candidate == null) {
                continue;
            }
            String last = candidate.replace('\\', '/');
            int query = last.indexOf('?');
            if (query >= 0) {
                last = last.substring(0, query);
            }
            last = last.substring(last.lastIndexOf('/') + 1);
            int dot = last.lastIndexOf('.');
            if (dot >= 0) {
                String ext = last.substring(dot + 1).toLowerCase(Locale.ROOT);
                if (SAFE_EXTENSION.matcher(ext).matches()) {
                    return ext;
                }
            }
        }
        return "";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
