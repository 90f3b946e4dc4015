package tv.latent.backend.testing;

import io.javalin.Javalin;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The file host a hosted queue's results point at (fal's CDN, {@code replicate.delivery}): another
 * origin than the API (its own port on 127.0.0.1), so tests can see that downloads from it carry
 * no credentials. Files are kept in memory; a file can be named that answers 404 (an expired link).
 *
 * <p>Thread-safe.
 */
public final class FakeCdn implements AutoCloseable {

    /** One GET the CDN received, with the Authorization header it carried ("" when none). */
    public record Fetch(String path, String authorization) {}

    private final Javalin app;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, String> types = new ConcurrentHashMap<>();
    private final List<Fetch> fetches = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public FakeCdn() {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            config.routes.get("/files/{id}/{name}", ctx -> {
                fetches.add(new Fetch(
                        ctx.path(),
                        String.valueOf(ctx.header("Authorization") == null ? "" : ctx.header("Authorization"))));
                String key = ctx.pathParam("id") + "/" + ctx.pathParam("name");
                byte[] body = files.get(key);
                if (body == null) {
                    ctx.status(404).contentType("text/plain").result("Not Found");
                    return;
                }
                ctx.status(200)
                        .contentType(types.getOrDefault(key, "application/octet-stream"))
                        .result(body);
            });
        });
        app.start("127.0.0.1", 0);
    }

    /** Stores {@code content} and returns its URL. */
    public URI put(String name, byte[] content, String contentType) {
        String key = UUID.randomUUID().toString().substring(0, 12) + "/" + name;
        files.put(key, content.clone());
        types.put(key, contentType);
        return URI.create(base() + "/files/" + key);
    }

    /** A URL on this CDN that answers 404, as an expired output link does. */
    public URI gone(String name) {
        return URI.create(
                base() + "/files/expired-" + UUID.randomUUID().toString().substring(0, 6) + "/" + name);
    }

    public String base() {
        return "http://127.0.0.1:" + app.port();
    }

    /** Every GET received, oldest first. */
    public List<Fetch> fetches() {
        return List.copyOf(fetches);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            app.stop();
        }
    }
}
