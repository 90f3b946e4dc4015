package tv.latent.backend.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Downloads a file a server named by URL (a hosted queue's CDN link, a prediction's output) into a
 * local file: redirects followed by hand with every hop checked to be http(s), credentials sent
 * only to {@code credentials}' trusted origins (so a CDN on another host gets no key), a byte limit
 * that holds whatever {@code Content-Length} says, a deadline over the whole transfer, and a
 * temporary file moved into place only when complete.
 *
 * <pre>{@code
 * long bytes = FileDownload.toFile(transport, failures, credentials, URI.create(url),
 *     dir.resolve("clip.mp4"), 512L << 20, Duration.ofMinutes(5), "GET video");
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class FileDownload {
    private FileDownload() {}

    /**
     * Downloads {@code uri} to {@code target} and returns its byte count.
     *
     * @param failures makes the client's exception (the transport's own is not reachable here)
     * @throws E NOT_FOUND for a 404 (the link expired), the status' failure for another non-200,
     *     TOO_LARGE past {@code maxBytes}, MALFORMED_RESPONSE for an empty file or a non-HTTP URL,
     *     TIMEOUT, DISCONNECTED or LOCAL_IO as the transfer goes
     */
    public static <E extends Exception> long toFile(
            HttpTransport<E> transport,
            HttpTransport.Failures<E> failures,
            TrustedOrigins credentials,
            URI uri,
            Path target,
            long maxBytes,
            Duration timeout,
            String route)
            throws E {
        transport.requireHttp(uri, route);
        Path destination = target.toAbsolutePath().normalize();
        Deadline deadline = Deadline.after(timeout);
        HttpResponse<InputStream> response = transport.follow(
                uri,
                hop -> credentials
                        .apply(HttpRequest.newBuilder(hop), hop)
                        .timeout(deadline.cap(timeout))
                        .GET()
                        .build(),
                route);
        Path temporary = null;
        InputStream body = response.body();
        HttpTransport.Guard guard = transport.guard(body, deadline);
        try {
            if (response.statusCode() != 200) {
                throw failures.failure(
                        HttpFailure.ofStatus(response.statusCode()),
                        route,
                        "the file answered HTTP " + response.statusCode()
                                + (response.statusCode() == 404 ? " (gone: such links expire)" : ""),
                        null);
            }
            long declared =
                    response.headers().firstValueAsLong("content-length").orElse(-1);
            if (declared > maxBytes) {
                throw failures.failure(
                        HttpFailure.TOO_LARGE,
                        route,
                        "the file is " + declared + " bytes, over the limit of " + maxBytes,
                        null);
            }
            try {
                Files.createDirectories(destination.getParent());
                temporary = LocalFiles.temporaryNextTo(destination);
            } catch (IOException e) {
                throw failures.failure(HttpFailure.LOCAL_IO, route, "cannot create a file beside " + destination, e);
            }
            long total = transport.copy(body, temporary, maxBytes, guard, timeout, route);
            if (total == 0) {
                throw failures.failure(HttpFailure.MALFORMED_RESPONSE, route, "the file is empty", null);
            }
            try {
                LocalFiles.moveReplacing(temporary, destination);
            } catch (IOException e) {
                throw failures.failure(HttpFailure.LOCAL_IO, route, "cannot move the file to " + destination, e);
            }
            temporary = null;
            return total;
        } finally {
            guard.close();
            HttpTransport.closeQuietly(body);
            if (temporary != null) {
                LocalFiles.deleteQuietly(temporary);
            }
        }
    }
}
