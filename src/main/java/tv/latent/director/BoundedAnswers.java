package tv.latent.director;

import com.openai.core.RequestOptions;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The OpenAI SDK's HTTP client with a cap on every answer body: the SDK reads a body whole, so
 * without it a server (or a proxy in front of it) that answers gigabytes, or a gzip body that
 * inflates to gigabytes (OkHttp undoes gzip on its own), fills the heap. Reading past the cap
 * fails with {@link AnswerTooLarge}, which the director reports as the reason.
 *
 * <p>Thread-safe when the wrapped client is (the SDK's is). Closes it.
 */
final class BoundedAnswers implements HttpClient {
    private final HttpClient client;
    private final long maxBytes;

    BoundedAnswers(HttpClient client, long maxBytes) {
        this.client = client;
        this.maxBytes = maxBytes;
    }

    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions options) {
        return bounded(client.execute(request, options));
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
        return client.executeAsync(request, options).thenApply(this::bounded);
    }

    @Override
    public void close() {
        client.close();
    }

    private HttpResponse bounded(HttpResponse response) {
        InputStream body = new Capped(response.body(), maxBytes);
        return new HttpResponse() {
            @Override
            public int statusCode() {
                return response.statusCode();
            }

            @Override
            public Headers headers() {
                return response.headers();
            }

            @Override
            public Optional<String> requestId() {
                return response.requestId();
            }

            @Override
            public InputStream body() {
                return body;
            }

            @Override
            public void close() {
                response.close();
            }
        };
    }

    /** An answer passed the cap. */
    static final class AnswerTooLarge extends IOException {
        AnswerTooLarge(long maxBytes) {
            super("the LLM server's answer is larger than " + maxBytes
                    + " bytes (once decompressed); not read further");
        }
    }

    /** Counts what is read and fails past the cap. */
    private static final class Capped extends FilterInputStream {
        private final long maxBytes;
        private long read;

        Capped(InputStream in, long maxBytes) {
            super(in);
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) throws AnswerTooLarge {
            read += n;
            if (read > maxBytes) {
                throw new AnswerTooLarge(maxBytes);
            }
        }
    }
}
