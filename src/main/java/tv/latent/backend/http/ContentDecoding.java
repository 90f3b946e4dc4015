package tv.latent.backend.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Undoes a {@code Content-Encoding} (gzip, deflate) while a body is read. The decoder is made on
 * the first read, not here, so that reading the gzip header happens under the caller's deadline.
 *
 * <p>Bounded by whoever reads: every limit in {@link HttpTransport} and the clients counts decoded
 * bytes, so a small compressed body that inflates to gigabytes (a compression bomb) fails at the
 * limit like any other oversized answer. Not thread-safe: one reader per body.
 */
final class ContentDecoding extends InputStream {
    private final InputStream raw;
    private final boolean gzip;
    private InputStream decoded;

    private ContentDecoding(InputStream raw, boolean gzip) {
        this.raw = raw;
        this.gzip = gzip;
    }

    /**
     * {@code raw} as it was before the server encoded it.
     *
     * @return empty when the encoding is one this client cannot undo (the caller fails the call)
     */
    static Optional<InputStream> of(InputStream raw, HttpHeaders headers) {
        String encoding =
                headers.firstValue("content-encoding").orElse("").strip().toLowerCase(Locale.ROOT);
        return switch (encoding) {
            case "", "identity" -> Optional.of(raw);
            case "gzip", "x-gzip" -> Optional.of(new ContentDecoding(raw, true));
            case "deflate" -> Optional.of(new ContentDecoding(raw, false));
            default -> Optional.empty();
        };
    }

    /** Whether the body arrives encoded, so byte offsets (Range requests) do not match what is read. */
    static boolean encoded(HttpHeaders headers) {
        String encoding = headers.firstValue("content-encoding").orElse("").strip();
        return !encoding.isEmpty() && !encoding.equalsIgnoreCase("identity");
    }

    private InputStream decoded() throws IOException {
        if (decoded == null) {
            decoded = gzip ? new GZIPInputStream(raw, 16 * 1024) : new InflaterInputStream(raw);
        }
        return decoded;
    }

    @Override
    public int read() throws IOException {
        return decoded().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return decoded().read(b, off, len);
    }

    @Override
    public void close() throws IOException {
        try {
            if (decoded != null) {
                decoded.close();
            }
        } finally {
            raw.close();
        }
    }
}
