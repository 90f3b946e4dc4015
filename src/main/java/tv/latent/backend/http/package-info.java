/**
 * The HTTP mechanics every protocol client shares, so each client holds only its protocol.
 *
 * <p>Owns: {@link tv.latent.backend.http.HttpTransport} (one HTTP/1.1 client per protocol
 * client, redirects followed by hand and checked per hop, a watchdog that holds every call to its
 * {@link tv.latent.backend.http.Deadline}, answers read whole within a byte limit, bodies copied
 * to files within a limit and resumable, {@link tv.latent.backend.http.EventStream} for
 * {@code text/event-stream}); {@link tv.latent.backend.http.TrustedOrigins} (credentials and
 * cookies only towards trusted origins); the shared failure vocabulary
 * {@link tv.latent.backend.http.HttpFailure} and base exception
 * {@link tv.latent.backend.http.HttpCallException}; {@link tv.latent.backend.http.ClientBuilder};
 * multipart bodies and download files; what a server may not do to the station: send bodies past
 * their limits (compressed ones are decoded within them), name files on other hosts or private
 * addresses ({@link tv.latent.backend.http.DownloadPolicy}); and how long it asked to be left
 * alone ({@link tv.latent.backend.http.RetryAfter}).
 *
 * <p>May depend on: the JDK and slf4j only. Failures reach callers as each client's own exception,
 * made by the client's {@link tv.latent.backend.http.HttpTransport.Failures}.
 */
package tv.latent.backend.http;
