package tv.latent.backend.testing;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Misbehaving answers the fake model servers share: a body cut off halfway, a body that never
 * ends, and a pause that ends early when the server stops. Stateless and thread-safe.
 */
public final class FakeBodies {
    /** Where an endless body stops even if the client never hangs up (a broken client). */
    private static final long ENDLESS_LIMIT = 8L << 30;

    private FakeBodies() {}

    /**
     * Answers 200 announcing all of {@code body} but sends only its first half, then drops the
     * connection; adds the bytes sent to {@code sent}.
     */
    public static void disconnectMidBody(Context ctx, String contentType, byte[] body, AtomicLong sent, String who)
            throws IOException {
        ctx.status(200).contentType(contentType);
        ctx.res().setContentLengthLong(body.length);
        OutputStream out = ctx.res().getOutputStream();
        out.write(body, 0, body.length / 2);
        out.flush();
        sent.addAndGet(body.length / 2);
        org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(ctx.req())
                .getServletChannel()
                .abort(new IOException(who + " drops the connection"));
    }

    /**
     * Answers 200 with {@code head} and then {@code chunk} over and over until the client hangs
     * up or the server stops; adds the chunks sent to {@code sent}.
     */
    public static void endless(
            Context ctx, String contentType, byte[] head, byte[] chunk, CountDownLatch stopping, AtomicLong sent) {
        ctx.status(200).contentType(contentType);
        try {
            OutputStream out = ctx.res().getOutputStream();
            out.write(head);
            while (stopping.getCount() > 0 && sent.get() < ENDLESS_LIMIT) {
                out.write(chunk);
                sent.addAndGet(chunk.length);
            }
        } catch (IOException e) {
            // The client hung up: what an endless answer is for.
        }
    }

    /** Waits {@code duration}, or less if {@code stopping} is released first. */
    public static void pause(CountDownLatch stopping, Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
