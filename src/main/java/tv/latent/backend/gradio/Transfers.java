package tv.latent.backend.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.backend.http.LocalFiles;

/**
 * Files in and out. Downloads go to a temp file next to the caller's target and are moved into
 * place only when complete; no name or path the server sends is ever used locally. The byte limit
 * holds whatever Content-Length says, and a dropped download resumes with a Range request.
 */
final class Transfers {
    private static final Logger log = LoggerFactory.getLogger(Transfers.class);
    private static final int MAX_RESUMES = 2;

    private final Http http;
    private final String root;
    private final GradioConfig config;

    Transfers(Http http, URI root, GradioConfig config) {
        this.http = http;
        this.root = root.toString();
        this.config = config;
    }

    List<String> upload(List<Path> files, Deadline deadline) throws GradioException, InterruptedException {
        URI uri = URI.create(root + config.apiPrefix() + "/upload");
        String label = "POST " + uri;
        String boundary =
                "----latenttv" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName() == null
                    ? "file"
                    : safeName(file.getFileName().toString());
            parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"files\"; filename=\"" + name + "\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n"));
            try {
                parts.add(HttpRequest.BodyPublishers.ofFile(file));
            } catch (FileNotFoundException e) {
                throw new GradioFileException(label, "cannot read " + file + " to upload", e);
            }
            parts.add(HttpRequest.BodyPublishers.ofString("\r\n"));
        }
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n"));
        HttpRequest.BodyPublisher body =
                HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new));
        JsonNode answer = http.json(
                http.send("POST", uri, body, "multipart/form-data; boundary=" + boundary, deadline, label), label);
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

    /** A file name fit for a multipart header: the plain characters of the local name. */
    static String safeName(String name) {
        String clean = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return clean.isBlank() ? "file" : clean;
    }

    Path download(FileData file, Path target, long maxBytes, Duration timeout)
            throws GradioException, InterruptedException {
        Path destination = target.toAbsolutePath().normalize();
        Path directory = destination.getParent();
        String label = "download to " + destination;
        Path temp;
        try {
            Files.createDirectories(directory);
            temp = Files.createTempFile(directory, ".gradio-", ".part");
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
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                log.warn("{}: cannot delete temp file {}", label, temp, e);
            }
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
        return uri;
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

    private void fetch(URI source, Path temp, long maxBytes, Deadline deadline, String label)
            throws GradioException, InterruptedException {
        AtomicLong written = new AtomicLong();
        int resumes = 0;
        while (true) {
            Map<String, String> headers = new HashMap<>();
            if (written.get() > 0) {
                headers.put("Range", "bytes=" + written.get() + "-");
            }
            HttpResponse<InputStream> response = http.open(source, headers, deadline, label);
            int status = response.statusCode();
            boolean append = status == 206
                    && written.get() > 0
                    && response.headers()
                            .firstValue("content-range")
                            .orElse("")
                            .startsWith("bytes " + written.get() + "-");
            if (status / 100 != 2) {
                throw http.failure(errorBody(response), label);
            }
            if (!append) {
                written.set(0);
            }
            long announced =
                    response.headers().firstValueAsLong("content-length").orElse(-1);
            if (announced >= 0 && written.get() + announced > maxBytes) {
                Http.closeQuietly(response.body());
                throw new GradioFileException(
                        label,
                        "the file is " + (written.get() + announced) + " bytes, over the limit of " + maxBytes,
                        null);
            }
            boolean resumable = status == 206
                    || response.headers().firstValue("accept-ranges").orElse("").contains("bytes");
            try {
                copy(response.body(), temp, append, written, maxBytes, deadline, label);
                return;
            } catch (Broken e) {
                if (resumes++ >= MAX_RESUMES || !resumable || written.get() == 0) {
                    throw new GradioTransportException(
                            label,
                            "the download broke after " + written.get() + " bytes: " + e.getCause(),
                            true,
                            e.getCause());
                }
                log.info("{}: download broke after {} bytes, resuming", label, written.get());
            }
        }
    }

    private Http.Response errorBody(HttpResponse<InputStream> response) {
        byte[] start;
        try (InputStream in = response.body()) {
            start = in.readNBytes(4096);
        } catch (IOException e) {
            start = new byte[0];
        }
        return new Http.Response(response.statusCode(), response.headers(), start, response.uri());
    }

    /** The body broke off; {@code written} bytes are safely in the temp file. */
    private static final class Broken extends Exception {
        Broken(IOException cause) {
            super(cause);
        }
    }

    private static final class OverLimit extends IOException {
        OverLimit() {
            super("over the limit");
        }
    }

    private void copy(
            InputStream body,
            Path temp,
            boolean append,
            AtomicLong written,
            long maxBytes,
            Deadline deadline,
            String label)
            throws GradioException, InterruptedException, Broken {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("gradio-download").start(() -> {
            try (InputStream in = body;
                    OutputStream out = append
                            ? Files.newOutputStream(temp, StandardOpenOption.APPEND)
                            : Files.newOutputStream(
                                    temp, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (written.get() + n > maxBytes) {
                        throw new OverLimit();
                    }
                    out.write(buffer, 0, n);
                    written.addAndGet(n);
                }
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        try {
            done.get(Math.max(deadline.remainingNanos(), 0), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            stop(worker, body);
            throw new GradioTimeoutException(label, "the download did not finish within " + deadline.budget(), e);
        } catch (InterruptedException e) {
            stop(worker, body);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof OverLimit) {
                throw new GradioFileException(
                        label, "the download passed the limit of " + maxBytes + " bytes; aborted", null);
            }
            if (cause instanceof IOException io && !(cause instanceof java.nio.file.FileSystemException)) {
                throw new Broken(io);
            }
            throw new GradioFileException(label, "cannot write the download: " + cause, cause);
        }
    }

    private static void stop(Thread worker, InputStream body) {
        worker.interrupt();
        Http.closeQuietly(body);
        try {
            worker.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
