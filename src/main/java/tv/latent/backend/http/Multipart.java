package tv.latent.backend.http;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A {@code multipart/form-data} body whose file parts stream from disk, shared by the protocol
 * clients that upload files. Not thread-safe.
 */
public final class Multipart {
    private final String boundary = "latenttv-" + UUID.randomUUID();
    private final List<BodyPublisher> parts = new ArrayList<>();

    public Multipart field(String name, String value) {
        parts.add(BodyPublishers.ofString(
                "--" + boundary + "\r\nContent-Disposition: form-data;" + " name=\"" + quoted(name) + "\"\r\n\r\n"
                        + value + "\r\n",
                StandardCharsets.UTF_8));
        return this;
    }

    public Multipart file(String name, Path file, String contentType) throws FileNotFoundException {
        String header = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quoted(name)
                + "\"; filename=\"" + safeFileName(file) + "\"\r\nContent-Type: " + contentType
                + "\r\n\r\n";
        parts.add(BodyPublishers.ofString(header, StandardCharsets.UTF_8));
        parts.add(BodyPublishers.ofFile(file));
        parts.add(BodyPublishers.ofString("\r\n"));
        return this;
    }

    public BodyPublisher publisher() {
        var all = new ArrayList<>(parts);
        all.add(BodyPublishers.ofString("--" + boundary + "--\r\n"));
        return BodyPublishers.concat(all.toArray(BodyPublisher[]::new));
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /**
     * The local file's name reduced to characters that are safe in a header and on any server,
     * the name an upload goes by: never empty, never hidden.
     */
    public static String safeFileName(Path file) {
        Path last = file.getFileName();
        String name = last == null ? "" : last.toString().replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() || name.startsWith(".") ? "upload" + name : name;
    }

    private static String quoted(String text) {
        return text.replace("\"", "%22").replace("\r", "").replace("\n", "");
    }
}
