package tv.latent.backend.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.backend.http.Deadline;
import tv.latent.backend.http.DownloadPolicy;
import tv.latent.backend.http.HttpTransport;
import tv.latent.backend.http.LocalFiles;
import tv.latent.backend.http.Multipart;

/**
 * Files in and out. Downloads go to a temp file next to the caller's target and are moved into
 * place only when complete; no name or path the server sends is ever used locally. A file is
 * fetched only from where the {@link DownloadPolicy} lets it (the app's own origin, the hosts the
 * configuration allows), redirects included. The byte limit holds whatever Content-Length says
 * (and counts decoded bytes when the server compresses), and a dropped download resumes with a
 * Range request.
 */
final class Transfers {
    private static final Logger log = LoggerFactory.getLogger(Transfers.class);
    private static final int MAX_RESUMES = 2;

    private final GradioHttp http;
    private final String root;
    private final GradioConfig config;
    private final DownloadPolicy policy;

    Transfers(GradioHttp http, URI root, GradioConfig config, DownloadPolicy policy) {
        this.http = http;
        this.root = root.toString();
        this.config = config;
        this.policy = policy;
    }

    List<String> upload(List<Path> files, Deadline deadline) throws GradioException {
        URI uri = URI.create(root + config.apiPrefix() + "/upload");
        String label = "POST " + uri;
        Multipart body = new Multipart();
        for (Path file : files) {
            try {
                body.file("files", file, "application/octet-stream");
            } catch (FileNotFoundException e) {
                throw new GradioFileException(label, "cannot read " + file + " to upload", e);
            }
        }
        JsonNode answer =
                http.json(http.send("POST", uri, body.publisher(), body.contentType(), deadline, label), label);
        if (!answer.isArray() || answer.size() != files.size()) {
            throw new GradioTransportException(
                    label,
                    "expected " + files.size() + " server paths, got " + http.brief(answer.toString()),
                    false,
                    null);
        }
        List<String> paths = new ArrayList<>();
        for (JsonNode path : answer) {
            if (!path.isTextual()) {
                throw new GradioTransportException(
                        label, "expected server paths, got " + http.brief(answer.toString()), false, null);
            }
            paths.add(path.asText());
        }
        return paths;
    }

    Path download(FileData file, Path target, long maxBytes, Duration timeout) throws GradioException {
        Path destination = target.toAbsolutePath().normalize();
        Path directory = destination.getParent();
        String label = "download to " + destination;
        Path temp;
        try {
            Files.createDirectories(directory);
            temp = LocalFiles.temporaryNextTo(destination);
        } catch (IOException e) {
            throw new GradioFileException(label, "cannot create a temp file in " + directory + ": " + e, e);
        }
        try {
            if (file.inlineData() != null) {
                writeInline(file.inlineData(), temp, maxBytes, label);
            } else {
                URI source = source(file, label);
                fetch(source, temp, maxBytes, Deadline.after(timeout), "GET " + source);
            }
            LocalFiles.moveReplacing(temp, destination);
            return destination;
        } catch (IOException e) {
            if (e instanceof GradioException g) {
                throw g;
            }
            throw new GradioFileException(label, "cannot write " + destination + ": " + e, e);
        } finally {
            LocalFiles.deleteQuietly(temp);
        }
    }

    /** Where to fetch a file: its url, else the app's {@code file=} route for its path. */
    URI source(FileData file, String label) throws GradioFileException {
        String location;
        if (file.url() != null && !file.url().isBlank()) {
            location = file.url();
        } else if (file.path() != null
                && (file.path().startsWith("http://") || file.path().startsWith("https://"))) {
            location = file.path();
        } else if (file.path() != null && !file.path().isBlank()) {
            boolean legacy = file.legacy() || config.protocol() == Protocol.WS;
            location = root + (legacy ? "" : config.apiPrefix()) + "/file=" + encodePath(file.path());
        } else {
            throw new GradioFileException(label, "the file has neither url nor path", null);
        }
        URI uri;
        try {
            uri = URI.create(root + "/").resolve(location);
        } catch (IllegalArgumentException e) {
            throw new GradioFileException(label, "invalid file URL " + http.brief(location), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https") || uri.getHost() == null) {
            throw new GradioFileException(label, "refused to fetch a non-HTTP URL (scheme '" + scheme + "')", null);
        }
        return ownScheme(uri);
    }

    /**
     * A plain-http URL of the app's own https host (a Gradio behind a proxy that does not say it
     * terminates TLS names its files so) as the app's own https URL: same host, the app's port.
     */
    private URI ownScheme(URI uri) {
        URI app = URI.create(root);
        boolean plainTwin = "http".equalsIgnoreCase(uri.getScheme())
                && "https".equalsIgnoreCase(app.getScheme())
                && uri.getHost().equalsIgnoreCase(app.getHost())
                && (uri.getPort() == -1 || uri.getPort() == 80);
        if (!plainTwin) {
            return uri;
        }
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return URI.create("https://" + app.getRawAuthority() + uri.getRawPath() + query);
    }

    private static String encodePath(String path) {
        StringBuilder s = new StringBuilder();
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                s.append('/');
            }
            s.append(Calls.encode(segments[i]));
        }
        return s.toString();
    }

    private void fetch(URI source, Path temp, long maxBytes, Deadline deadline, String label) throws GradioException {
        HttpTransport<GradioException> transport = http.transport();
        long written = 0;
        int resumes = 0;
        while (true) {
            Map<String, String> headers = written > 0 ? Map.of("Range", "bytes=" + written + "-") : Map.of();
            HttpResponse<InputStream> response = http.open(source, headers, deadline, label, policy);
            int status = response.statusCode();
            if (status / 100 != 2) {
                throw http.failure(response, label);
            }
            // Range offsets count encoded bytes: a compressed answer is read whole or not at all
            boolean encoded = HttpTransport.encoded(response);
            boolean append = status == 206
                    && written > 0
                    && !encoded
                    && response.headers().firstValue("content-range").orElse("").startsWith("bytes " + written + "-");
            long offset = append ? written : 0;
            long announced = encoded
                    ? -1
                    : response.headers().firstValueAsLong("content-length").orElse(-1);
            if (announced >= 0 && offset + announced > maxBytes) {
                HttpTransport.closeQuietly(response.body());
                throw new GradioFileException(
                        label, "the file is " + (offset + announced) + " bytes, over the limit of " + maxBytes, null);
            }
            boolean resumable = !encoded
                    && (status == 206
                            || response.headers()
                                    .firstValue("accept-ranges")
                                    .orElse("")
                                    .contains("bytes"));
            InputStream raw = response.body();
            InputStream body = raw;
            try (HttpTransport.Guard guard = transport.guard(raw, deadline)) {
                body = transport.decoded(response, label);
                transport.copy(
                        body,
                        temp,
                        offset,
                        total -> {
                            if (total > maxBytes) {
                                throw new GradioFileException(
                                        label,
                                        "the download passed the limit of " + maxBytes + " bytes; aborted",
                                        null);
                            }
                        },
                        guard,
                        deadline.budget(),
                        label);
                return;
            } catch (GradioTransportException broken) {
                // the only retryable transport failure of a copy is a dropped connection
                if (!broken.retryable()) {
                    throw broken;
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new GradioCancelledException(label, broken);
                }
                written = sizeOf(temp, label);
                if (resumes++ >= MAX_RESUMES || !resumable || written == 0) {
                    throw new GradioTransportException(
                            label,
                            "the download broke after " + written + " bytes: " + broken.getCause(),
                            true,
                            broken.getCause());
                }
                log.info("{}: download broke after {} bytes, resuming", label, written);
            } finally {
                HttpTransport.closeQuietly(body);
                HttpTransport.closeQuietly(raw);
            }
        }
    }

    private static long sizeOf(Path file, String label) throws GradioFileException {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new GradioFileException(label, "cannot read the size of " + file, e);
        }
    }

    private void writeInline(String dataUri, Path temp, long maxBytes, String label) throws IOException {
        int comma = dataUri.indexOf(',');
        if (comma < 0) {
            throw new GradioFileException(label, "malformed data: URI", null);
        }
        String meta = dataUri.substring(0, comma);
        String payload = dataUri.substring(comma + 1);
        byte[] bytes;
        if (meta.endsWith(";base64")) {
            if ((long) payload.length() / 4 * 3 > maxBytes + 3) {
                throw new GradioFileException(
                        label, "the inline file passes the limit of " + maxBytes + " bytes", null);
            }
            try {
                bytes = Base64.getMimeDecoder().decode(payload);
            } catch (IllegalArgumentException e) {
                throw new GradioFileException(label, "malformed base64 in a data: URI", e);
            }
        } else {
            bytes = URLDecoder.decode(payload, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > maxBytes) {
            throw new GradioFileException(label, "the inline file passes the limit of " + maxBytes + " bytes", null);
        }
        Files.write(temp, bytes);
    }
}
