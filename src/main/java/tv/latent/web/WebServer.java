package tv.latent.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.library.Clip;
import tv.latent.pipeline.ShotJob;
import tv.latent.playout.HlsResponse;
import tv.latent.playout.NowPlaying;
import tv.latent.time.MonotonicClock;

/**
 * The LatentTV web origin: channel pages, the live HLS of each channel, a JSON API and live
 * now-playing events.
 *
 * <pre>{@code
 * try (WebServer web = WebServer.start(site, "127.0.0.1", 0)) {
 *   System.out.println("Watch: " + web.url() + "/watch/demo");
 * }
 * }</pre>
 *
 * <p>Routes: {@code GET /}, {@code /watch/{channel}}, {@code /hls/{channel}/live.m3u8},
 * {@code /hls/{channel}/{segment}}, {@code /api/channels}, {@code /api/channels/{id}},
 * {@code /api/channels/{id}/events} (server-sent events), {@code /api/clips?channel=},
 * {@code /api/jobs?channel=}, {@code /thumbs/{clipId}.jpg}, {@code /assets/{name}},
 * {@code /health/live}, {@code /health/ready}, {@code /metrics}; for media centers (when the site has a
 * {@link tv.latent.iptv.LivingRoom}) {@code /iptv/channels.m3u}, {@code /iptv/xmltv.xml},
 * {@code /iptv/channel/{id}.ts}, {@code /discover.json}, {@code /lineup.json},
 * {@code /lineup_status.json}, {@code /device.xml} (and {@code POST /lineup.post}); clip pages
 * ({@link ClipPages}) {@code /clips/{id}}, {@code /clips/{id}/video.mp4},
 * {@code /clips/{id}/export.gif}, {@code /clips/{id}/export.webp}. All are public and
 * read only.
 * No URL part is ever used as a file path: channels are looked up by id, segments by the
 * playout's own names, thumbnails through the library, assets from a fixed table. No answer
 * carries a backend URL or an absolute path: texts the station made go through
 * {@link Redaction}.
 *
 * <p>Viewers cannot hurt the channel ({@link Limits}): connections and event streams are capped
 * (503 with {@code Retry-After} beyond), idle connections and clients that trickle their headers
 * are closed, and each event stream has a bounded queue of its own; continuous MPEG-TS streams are
 * capped at the tuner count (503 "all tuners busy" beyond) and a client that falls behind is dropped.
 *
 * <p>Thread-safe; Jetty runs requests on virtual threads. {@link #close()} is idempotent.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CLIP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    /**
     * Connections the kernel holds until Jetty accepts them. Java's default is 50: a thousand
     * viewers connecting at once (a link shared in chat, a restart) overflowed it, and each
     * dropped connection attempt waited 1, 3, 7... s for the client's retry, up to a minute.
     */
    private static final int ACCEPT_QUEUE = 1024;
    /** hls.js as pinned in tools/package.json, shipped in the jar: the watch page loads nothing from the internet. */
    static final String HLS_JS = "web/vendor/hls.js/hls.min.js";
    /** htmx as pinned in tools/package.json, shipped in the jar: the console's forms and live fragments. */
    static final String HTMX_JS = "web/vendor/htmx/htmx.min.js";

    /** How long a client refused at the connection cap is asked to wait. */
    private static final int BUSY_RETRY_SECONDS = 5;
    /** Stack traces of failed requests at most this often: a database that is down must not flood the log. */
    private static final long STACK_EVERY_NANOS = 60_000_000_000L;

    private final Javalin app;
    private final Events events;
    private final StreamClients streams;
    private final ConnectionGuard guard;
    private final String url;
    private boolean closed;

    private WebServer(Javalin app, Events events, StreamClients streams, ConnectionGuard guard, String url) {
        this.app = app;
        this.events = events;
        this.streams = streams;
        this.guard = guard;
        this.url = url;
    }

    /**
     * Starts the server on {@code host}:{@code port} (0 picks a free port) with the default
     * {@link Limits} and no {@link Monitor}.
     *
     * @throws IllegalStateException when the port is taken, saying so
     */
    public static WebServer start(Site site, String host, int port) {
        return start(site, Monitor.NONE, Limits.DEFAULT, host, port);
    }

    /**
     * Starts the server on {@code host}:{@code port} (0 picks a free port).
     *
     * @param monitor what the station says about itself (generation, health, metrics), and hears of each request
     * @throws IllegalStateException when the port is taken, saying so
     */
    public static WebServer start(Site site, Monitor monitor, Limits limits, String host, int port) {
        // Jetty reports a taken port only as a failed start; ask the OS first, to say what is wrong
        if (port != 0 && !portFree(host, port)) {
            throw portTaken(host, port, null);
        }
        Pages pages = new Pages(site, monitor);
        Events events = new Events(site, pages, limits);
        StreamClients streams = streams(site, limits);
        ConnectionGuard guard = new ConnectionGuard(limits.headerTimeout());
        Javalin app = create(site, monitor, limits, pages, events, streams, guard);
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            events.close();
            streams.close();
            try {
                app.stop();
            } catch (RuntimeException ignored) {
                // it never started
            }
            if (isBindFailure(e)) {
                throw portTaken(host, port, e);
            }
            throw e;
        }
        events.start();
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        return new WebServer(app, events, streams, guard, "http://" + shownHost + ":" + app.port());
    }

    private static StreamClients streams(Site site, Limits limits) {
        return new StreamClients(site.playout(), limits.maxStreamClients(), limits.streamClientBuffer());
    }

    /**
     * Fails fast, before anything else starts, when {@code port} (not 0) is taken on {@code host}.
     *
     * @throws IllegalStateException saying which port and what to do
     */
    public static void checkPort(String host, int port) {
        if (port != 0 && !portFree(host, port)) {
            throw portTaken(host, port, null);
        }
    }

    private static boolean portFree(String host, int port) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static IllegalStateException portTaken(String host, int port, Throwable cause) {
        return new IllegalStateException(
                "cannot listen on " + host + ":" + port + ": the port is in use by another program;"
                        + " stop it, or choose another port with --port N (--port 0 picks a free one)",
                cause);
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || t.getClass().getSimpleName().contains("Bind")) {
                return true;
            }
        }
        return false;
    }

    /** The routes of the site on an unstarted Javalin: what {@link #start} serves (tests may reuse it). */
    public static Javalin create(Site site) {
        Pages pages = new Pages(site, Monitor.NONE);
        return create(
                site,
                Monitor.NONE,
                Limits.DEFAULT,
                pages,
                new Events(site, pages, Limits.DEFAULT),
                streams(site, Limits.DEFAULT),
                new ConnectionGuard(Limits.DEFAULT.headerTimeout()));
    }

    private static Javalin create(
            Site site,
            Monitor monitor,
            Limits limits,
            Pages pages,
            Events events,
            StreamClients streams,
            ConnectionGuard guard) {
        Map<String, Asset> assets = assets();
        AtomicLong lastStack = new AtomicLong(System.nanoTime() - STACK_EVERY_NANOS);
        // a live view: channels made, changed and deleted in the console show at once
        Map<String, Site.Channel> channels = site.byId();
        Gate gate = new Gate(
                Optional.ofNullable(site.console()).map(Console::auth),
                MonotonicClock.system(),
                ConsoleRoutes::loginPage);
        ConsoleRoutes console = new ConsoleRoutes(site, monitor, gate, events);

        return Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.startup.startupWatcherEnabled = false;
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(2_000);
                server.insertHandler(guard); // sees each request's headers complete and its answer end
            });
            // Javalin's own connector, with a listen backlog that fits a crowd arriving at once
            config.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(config.jetty.host);
                connector.setPort(config.jetty.port);
                connector.setAcceptQueueSize(ACCEPT_QUEUE);
                connector.setIdleTimeout(limits.idleTimeout().toMillis());
                connector.addEventListener(guard);
                // past the cap (answered 503 below) and a margin, stop accepting: open files stay bounded
                server.addBean(new NetworkConnectionLimit(connectionBackstop(limits), connector));
                return connector;
            });
            config.requestLogger.http((ctx, millis) -> counted(ctx, millis, monitor));
            // every route is declared with its access level; the gate checks it before each matched route
            RouteTable routes = new RouteTable(config.routes);
            routes.before(gate::headers);
            routes.beforeMatched(gate::check);

            // over the connection cap, everything but health and metrics is refused (they must see an overloaded
            // station)
            routes.before(ctx -> {
                if (guard.open() > limits.maxConnections()
                        && !ctx.path().startsWith("/health/")
                        && !ctx.path().equals("/metrics")) {
                    throw HttpError.unavailable("too many connections; try again shortly", BUSY_RETRY_SECONDS);
                }
            });
            routes.get("/health/live", ctx -> json(ctx, Map.of("status", "live")));
            routes.get("/health/ready", ctx -> ready(ctx, monitor));
            routes.get("/metrics", ctx -> ctx.header("Cache-Control", "no-cache")
                    .contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(monitor.metrics()));

            routes.get("/", ctx -> html(ctx, pages.index(gate.viewerToken(ctx))));
            routes.get(
                    "/watch/{channel}",
                    ctx -> html(ctx, pages.watch(channel(channels, ctx.pathParam("channel")), gate.viewerToken(ctx))));

            routes.get("/hls/{channel}/live.m3u8", ctx -> {
                Site.Channel channel = channel(channels, ctx.pathParam("channel"));
                // no memo here: playout renders the text once per window, and every origin answers the
                // same instant with the same bytes
                hls(ctx, site.playout().resolve(channel.id(), "live.m3u8"));
            });
            routes.get("/hls/{channel}/{segment}", ctx -> {
                Site.Channel channel = channel(channels, ctx.pathParam("channel"));
                hls(ctx, site.playout().segment(channel.id(), ctx.pathParam("segment")));
            });

            routes.get("/api/channels", ctx -> {
                List<Object> list = new java.util.ArrayList<>();
                for (Site.Channel channel : channels.values()) {
                    list.add(pages.status(channel));
                }
                json(ctx, list);
            });
            routes.get("/api/channels/{id}", ctx -> json(ctx, pages.status(channel(channels, ctx.pathParam("id")))));
            routes.get(
                    "/api/channels/{id}/events",
                    ctx -> events.stream(
                            ctx, channel(channels, ctx.pathParam("id")).id()));
            routes.get("/api/clips", ctx -> {
                String channel = optionalChannel(channels, ctx.queryParam("channel"));
                List<Object> list = new java.util.ArrayList<>();
                for (Clip clip : site.library().list(channel, limit(ctx))) {
                    list.add(Pages.clipJson(clip));
                }
                json(ctx, list);
            });
            routes.get("/api/jobs", ctx -> {
                String channel = optionalChannel(channels, ctx.queryParam("channel"));
                List<Object> list = new java.util.ArrayList<>();
                for (ShotJob job : site.jobs().list(channel, limit(ctx))) {
                    list.add(events.jobJson(job));
                }
                json(ctx, list);
            });

            // the living room: M3U, XMLTV, the emulated HDHomeRun tuner, continuous MPEG-TS (public, read only)
            LivingRoomRoutes tv = site.livingRoom() == null ? null : new LivingRoomRoutes(site.livingRoom(), streams);
            if (tv != null) {
                routes.get("/iptv/channels.m3u", tv::m3u);
                routes.get("/iptv/xmltv.xml", tv::xmltv);
                routes.get("/iptv/channel/{file}", tv::stream);
                routes.get("/discover.json", tv::discover);
                routes.get("/lineup.json", tv::lineup);
                routes.get("/lineup_status.json", tv::lineupStatus);
                routes.postChangingNothing("/lineup.post", tv::scan);
                routes.get("/device.xml", tv::deviceXml);
            }

            routes.get("/favicon.ico", ctx -> ctx.status(204));
            routes.get("/thumbs/{file}", ctx -> thumbnail(site, ctx));
            routes.get("/assets/{name}", ctx -> {
                Asset asset = assets.get(ctx.pathParam("name"));
                if (asset == null) {
                    throw HttpError.notFound("no such asset");
                }
                ctx.header("Cache-Control", "public, max-age=3600")
                        .contentType(asset.type())
                        .result(asset.bytes());
            });

            new ClipPages(site).declare(routes);
            console.declare(routes);
            new StudioRoutes(site, events).declare(routes);
            new AudienceRoutes(site, channels).declare(routes);

            routes.exception(HttpError.class, (e, ctx) -> {
                if (e.retryAfterSeconds() > 0) {
                    // a refused client should not hold on to its connection either
                    ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()))
                            .header("Connection", "close");
                }
                error(ctx, e.status(), e.getMessage());
            });
            routes.exception(Exception.class, (e, ctx) -> {
                long now = System.nanoTime();
                long last = lastStack.get();
                boolean withStack = now - last >= STACK_EVERY_NANOS && lastStack.compareAndSet(last, now);
                LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), e.toString(), withStack ? e : null);
                error(ctx, 500, "internal error");
            });
            // unmatched routes and Javalin's own errors (bad method, ...) get the same JSON body
            routes.error(404, ctx -> {
                String type = ctx.res().getContentType();
                if (type == null || !type.startsWith("application/json")) {
                    error(ctx, 404, "not found");
                }
            });
            routes.error(405, ctx -> error(ctx, 405, "method not allowed"));
        });
    }

    /** Tells the monitor of an answered request, by its route's template (not its path: a bounded set). */
    private static void counted(Context ctx, float millis, Monitor monitor) {
        var endpoint = ctx.endpoints().lastHttpEndpoint();
        monitor.requestHandled(
                ctx.method().name(), endpoint == null ? Monitor.UNMATCHED : endpoint.path, ctx.statusCode(), (long)
                        (millis * 1_000_000.0));
    }

    /** Where Jetty stops accepting: the cap plus a margin in which connections are still answered (with 503). */
    static int connectionBackstop(Limits limits) {
        return limits.maxConnections() + Math.max(64, limits.maxConnections() / 10);
    }

    /** 200 when every check passes, else 503; the body lists each check (details redacted). */
    private static void ready(Context ctx, Monitor monitor) throws JsonProcessingException {
        List<Map<String, Object>> checks = new java.util.ArrayList<>();
        boolean ready = true;
        for (Monitor.Check check : monitor.readiness()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", check.name());
            one.put("ok", check.ok());
            one.put("detail", Redaction.redact(check.detail()));
            checks.add(one);
            ready &= check.ok();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "unready");
        body.put("checks", checks);
        ctx.status(ready ? 200 : 503);
        json(ctx, body);
    }

    private static Site.Channel channel(Map<String, Site.Channel> channels, String id) {
        Site.Channel channel = channels.get(id);
        if (channel == null) {
            throw HttpError.notFound("no channel '" + printable(id) + "'");
        }
        return channel;
    }

    private static String optionalChannel(Map<String, Site.Channel> channels, String id) {
        return id == null || id.isEmpty() ? null : channel(channels, id).id();
    }

    private static int limit(Context ctx) {
        String value = ctx.queryParam("limit");
        if (value == null) {
            return 100;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw HttpError.badRequest("limit must be 1..1000");
    }

    /** Echoes a client-given name back only as short, plain text. */
    static String printable(String s) {
        String shown = s.codePoints()
                .filter(c -> c >= 0x20 && c != 0x7f && c < 0xd800)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return shown.length() > 64 ? shown.substring(0, 64) + "…" : shown;
    }

    private static void hls(Context ctx, HlsResponse response) {
        switch (response) {
            case HlsResponse.Found found -> {
                // segments are binary: no charset parameter on their type (Jetty adds one once an encoding is set)
                ctx.res().setCharacterEncoding(null);
                ctx.status(HttpStatus.OK)
                        .header("Cache-Control", found.cacheControl())
                        .contentType(found.contentType());
                writeBody(ctx, found.body());
            }
            case HlsResponse.NotFound notFound -> throw HttpError.notFound(notFound.reason());
        }
    }

    /**
     * Writes the whole body in one call to Jetty's own stream: segments are up to megabytes and
     * already compressed, so Javalin's result pipeline (a stream copy in small chunks behind a
     * compression check) only costs time.
     */
    private static void writeBody(Context ctx, byte[] body) {
        try {
            ctx.res().setContentLength(body.length);
            if (!"HEAD".equals(ctx.method().name())) {
                ctx.res().getOutputStream().write(body);
            }
        } catch (IOException e) {
            // the client went away mid-body: nothing to answer
            LOG.debug("{} {}: client gone: {}", ctx.method(), ctx.path(), e.toString());
        }
    }

    private static void thumbnail(Site site, Context ctx) throws SQLException, IOException {
        String file = ctx.pathParam("file");
        if (!file.endsWith(".jpg")
                || !CLIP_ID.matcher(file.substring(0, file.length() - 4)).matches()) {
            throw HttpError.notFound("no such thumbnail");
        }
        Optional<Clip> clip = site.library().find(file.substring(0, file.length() - 4));
        if (clip.isEmpty()) {
            throw HttpError.notFound("no such thumbnail");
        }
        // the library stores paths relative to the data directory; refuse anything that resolves elsewhere
        ClipPages.fetched(site, clip.get().thumbnail());
        Path thumb = ClipPages.underData(site.dataDir(), clip.get().thumbnail(), "no such thumbnail");
        ctx.res().setCharacterEncoding(null);
        ctx.header("Cache-Control", "public, max-age=86400")
                .contentType("image/jpeg")
                .result(Files.readAllBytes(thumb));
    }

    private static void html(Context ctx, String page) {
        ctx.header("Cache-Control", "no-cache")
                .contentType("text/html; charset=utf-8")
                .result(page);
    }

    static void json(Context ctx, Object value) throws JsonProcessingException {
        ctx.header("Cache-Control", "no-cache").contentType(JSON_TYPE).result(JSON.writeValueAsString(value));
    }

    private static void error(Context ctx, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        try {
            ctx.status(status).contentType(JSON_TYPE).result(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.status(status).result("{\"status\":" + status + "}");
        }
    }

    private record Asset(String type, byte[] bytes) {}

    /** The only files under /assets: read once from the jar. */
    private static Map<String, Asset> assets() {
        Map<String, Asset> assets = new LinkedHashMap<>();
        assets.put("hls.min.js", new Asset("text/javascript; charset=utf-8", resource(HLS_JS)));
        assets.put("latenttv.css", new Asset("text/css; charset=utf-8", resource("web/latenttv.css")));
        assets.put("watch.js", new Asset("text/javascript; charset=utf-8", resource("web/watch.js")));
        assets.put("htmx.min.js", new Asset("text/javascript; charset=utf-8", resource(HTMX_JS)));
        assets.put("console.js", new Asset("text/javascript; charset=utf-8", resource("web/console.js")));
        assets.put("clip.js", new Asset("text/javascript; charset=utf-8", resource("web/clip.js")));
        assets.put("console.css", new Asset("text/css; charset=utf-8", resource("web/console.css")));
        return Map.copyOf(assets);
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " in the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        return url;
    }

    public int port() {
        return app.port();
    }

    /** Connections open now. */
    public int connections() {
        return guard.open();
    }

    /** Connections closed because their request headers did not arrive within the header timeout, since start. */
    public long slowClientsClosed() {
        return guard.closedSlow();
    }

    /** Now-playing event streams open now, all channels. */
    public int eventClients() {
        return events.clients();
    }

    /** Now-playing event streams of one channel open now. */
    public int eventClients(String channelId) {
        return events.clients(channelId);
    }

    /** Event streams refused at a cap, since start. */
    public long eventClientsRejected() {
        return events.rejected();
    }

    /** Event streams dropped because they fell behind, since start. */
    public long eventClientsDropped() {
        return events.dropped();
    }

    /** Continuous MPEG-TS streams open now, all channels. */
    public int streamClients() {
        return streams.count();
    }

    /** Continuous MPEG-TS streams of one channel open now. */
    public int streamClients(String channelId) {
        return streams.count(channelId);
    }

    /** Streams refused because every tuner was busy, since start. */
    public long streamClientsRejected() {
        return streams.rejected();
    }

    /** Streams dropped because their client fell more than its buffer behind, since start. */
    public long streamClientsDropped() {
        return streams.dropped();
    }

    /** Closes event and MPEG-TS streams, then stops Jetty (bounded by its stop timeout). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        events.close();
        streams.close();
        app.stop();
    }

    static Optional<NowPlaying> quietly(Lookup lookup) {
        try {
            return lookup.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            LOG.debug("now playing lookup failed: {}", e.toString());
            return Optional.empty();
        }
    }

    @FunctionalInterface
    interface Lookup {
        Optional<NowPlaying> get() throws Exception;
    }
}
