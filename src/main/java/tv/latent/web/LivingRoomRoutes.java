package tv.latent.web;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.iptv.LivingRoom;
import tv.latent.iptv.TunedChannel;

/**
 * The routes media centers and IPTV players use, all public and read only: the M3U playlist, the
 * XMLTV guide, the emulated HDHomeRun tuner and each channel's continuous MPEG-TS. Links in the
 * answers start with the configured public URL, else the address the client used (its Host header).
 *
 * <p>Thread-safe.
 */
final class LivingRoomRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(LivingRoomRoutes.class);
    private static final Pattern STREAM_NAME = Pattern.compile("([a-z0-9][a-z0-9_-]{0,63})\\.ts");
    /** How long a client refused for want of a tuner is asked to wait. */
    private static final int BUSY_RETRY_SECONDS = 10;

    private final LivingRoom room;
    private final StreamClients streams;

    LivingRoomRoutes(LivingRoom room, StreamClients streams) {
        this.room = room;
        this.streams = streams;
    }

    /** {@code GET /iptv/channels.m3u}. */
    void m3u(Context ctx) throws SQLException {
        ctx.header("Cache-Control", "no-cache")
                .contentType("audio/x-mpegurl; charset=utf-8")
                .result(room.m3u(base(ctx)));
    }

    /** {@code GET /iptv/xmltv.xml}. */
    void xmltv(Context ctx) throws SQLException {
        ctx.header("Cache-Control", "public, max-age=300")
                .contentType("application/xml; charset=utf-8")
                .result(room.xmltv(base(ctx)));
    }

    /** {@code GET /discover.json}. */
    void discover(Context ctx) throws IOException {
        WebServer.json(ctx, room.discover(base(ctx)));
    }

    /** {@code GET /lineup.json}. */
    void lineup(Context ctx) throws IOException {
        WebServer.json(ctx, room.lineupJson(base(ctx)));
    }

    /** {@code GET /lineup_status.json}. */
    void lineupStatus(Context ctx) throws IOException {
        WebServer.json(ctx, room.lineupStatus());
    }

    /** {@code POST /lineup.post}: a channel scan, which has nothing to find; answered at once. */
    void scan(Context ctx) {
        ctx.status(200).result("");
    }

    /** {@code GET /device.xml}. */
    void deviceXml(Context ctx) {
        ctx.header("Cache-Control", "no-cache")
                .contentType("application/xml; charset=utf-8")
                .result(room.deviceXml(base(ctx)));
    }

    /**
     * {@code GET /iptv/channel/{id}.ts}: the channel's continuous MPEG-TS from the live point, until
     * the client leaves or falls behind.
     *
     * @throws HttpError 404 for an unknown channel; 503 "all tuners busy" when every tuner streams
     */
    void stream(Context ctx) throws InterruptedException {
        var name = STREAM_NAME.matcher(ctx.pathParam("file"));
        Optional<TunedChannel> channel = name.matches() ? room.channel(name.group(1)) : Optional.empty();
        if (channel.isEmpty()) {
            throw HttpError.notFound("no channel stream '" + WebServer.printable(ctx.pathParam("file")) + "'");
        }
        HttpServletResponse res = ctx.res();
        if ("HEAD".equals(ctx.method().name())) {
            res.setStatus(200);
            res.setContentType("video/mp2t");
            return;
        }
        String channelId = channel.get().id();
        Optional<StreamClients.Client> joined = streams.join(channelId, Events.aborter(ctx));
        if (joined.isEmpty()) {
            int tuners = room.tunerCount();
            throw HttpError.unavailable(
                    "all tuners busy: " + tuners + " of " + tuners + " streams are in use; try again later",
                    BUSY_RETRY_SECONDS);
        }
        StreamClients.Client client = joined.get();
        try {
            res.setStatus(200);
            res.setCharacterEncoding(null);
            res.setContentType("video/mp2t");
            res.setHeader("Cache-Control", "no-cache, no-store");
            res.setHeader("X-Accel-Buffering", "no"); // a proxy in front must not hold the stream back
            client.serve(res.getOutputStream());
        } catch (IOException e) {
            LOG.debug("stream of {} ended: {}", channelId, e.toString());
        } finally {
            streams.leave(channelId, client);
        }
    }

    private String base(Context ctx) {
        String local = ctx.req().getLocalAddr();
        String host = local.contains(":") ? "[" + local + "]" : local;
        return room.baseUrl(
                ctx.header("Host"), "http://" + host + ":" + ctx.req().getLocalPort());
    }
}
