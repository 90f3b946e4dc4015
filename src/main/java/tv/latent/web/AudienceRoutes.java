package tv.latent.web;

import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tv.latent.audience.Audience;
import tv.latent.audience.QueueSnapshot;
import tv.latent.audience.Reply;
import tv.latent.audience.SuggestionView;
import tv.latent.audience.Viewer;
import tv.latent.config.StudioConfig;

/**
 * The audience's side of the web: a channel's public queue, a viewer's own suggestions, and the
 * suggestion box and votes of the watch page (declared in the {@link RouteTable}: reading is
 * {@link Access#PUBLIC}, suggesting and voting {@link Access#VIEWER}: the viewer cookie, its CSRF
 * token and the per-address limit of {@link Gate}, then the audience's own limits).
 *
 * <pre>{@code
 * GET  /api/channels/tv/queue              -> {"queued":[{"number":3,"text":"...","votes":2,...}],"picked":[...],"onAir":...}
 * GET  /api/channels/tv/suggestions/mine   -> this viewer's suggestions, with where each is ("airs in about 40 s")
 * POST /api/channels/tv/suggestions  text=a+red+fox&name=Ada  -> {"accepted":true,"message":"Thanks! ..."}
 * POST /api/channels/tv/votes        number=3                 -> {"accepted":false,"why":"ALREADY_VOTED",...}
 * }</pre>
 *
 * A refusal is answered with the audience's own sentence for the viewer: 429 with
 * {@code Retry-After} when trying later may work (a limit), 422 when the same request never will,
 * 403 on a channel that takes no suggestions. Every text a viewer wrote is sent as JSON text, and
 * shown by the page as text only.
 *
 * <p>Thread-safe (stateless beyond the site).
 */
final class AudienceRoutes {
    /** A viewer's own suggestions listed at most. */
    static final int MINE_SHOWN = 10;

    private static final Pattern NUMBER = Pattern.compile("\\d{1,18}");
    private static final Pattern VIEWER_ID = Pattern.compile("[A-Za-z0-9_-]{22}");

    private final Site site;
    private final Map<String, Site.Channel> channels;

    AudienceRoutes(Site site, Map<String, Site.Channel> channels) {
        this.site = site;
        this.channels = channels;
    }

    /** Declares the audience's routes. */
    void declare(RouteTable routes) {
        routes.get("/api/channels/{id}/queue", this::queue);
        routes.get("/api/channels/{id}/suggestions/mine", this::mine);
        routes.post("/api/channels/{id}/suggestions", Access.VIEWER, this::suggest);
        routes.post("/api/channels/{id}/votes", Access.VIEWER, this::vote);
    }

    /** The audience loop; 404 on a station without one (it makes no clips). */
    static Audience audience(Site site) {
        if (site.audience() == null) {
            throw HttpError.notFound("this station takes no suggestions");
        }
        return site.audience();
    }

    /** The channel of the path, which must be on air and have an audience loop. */
    private String channel(Context ctx) {
        String id = ctx.pathParam("id");
        Site.Channel channel = channels.get(id);
        if (channel == null || audience(site).channel(id).isEmpty()) {
            throw HttpError.notFound("no channel '" + WebServer.printable(id) + "'");
        }
        return channel.id();
    }

    private void queue(Context ctx) throws Exception {
        String channel = channel(ctx);
        Audience audience = audience(site);
        WebServer.json(ctx, queueJson(audience.queue(channel), audience.channel(channel)));
    }

    private void mine(Context ctx) throws Exception {
        String channel = channel(ctx);
        String viewer = ctx.cookie(Gate.VIEWER_COOKIE);
        List<Object> out = new ArrayList<>();
        if (viewer != null && VIEWER_ID.matcher(viewer).matches()) {
            for (SuggestionView v : audience(site).suggestionsOf(channel, viewer, MINE_SHOWN)) {
                out.add(suggestionJson(v));
            }
        }
        WebServer.json(ctx, out);
    }

    private void suggest(Context ctx) throws Exception {
        String channel = channel(ctx);
        Reply reply = audience(site).suggest(channel, viewer(ctx), ctx.ip(), field(ctx, "name"), field(ctx, "text"));
        answer(ctx, reply);
    }

    private void vote(Context ctx) throws Exception {
        String channel = channel(ctx);
        String number = field(ctx, "number").strip();
        if (!NUMBER.matcher(number).matches()) {
            throw HttpError.badRequest("number must be the suggestion's number");
        }
        answer(ctx, audience(site).vote(channel, Viewer.web(viewer(ctx), ctx.ip(), ""), Long.parseLong(number)));
    }

    /** The viewer cookie, which the gate has checked on every VIEWER route. */
    private static String viewer(Context ctx) {
        String viewer = ctx.cookie(Gate.VIEWER_COOKIE);
        if (viewer == null || !VIEWER_ID.matcher(viewer).matches()) {
            throw new HttpError(403, "open the page first: this request did not come from one of its forms");
        }
        return viewer;
    }

    private static String field(Context ctx, String name) {
        String value = ctx.isFormUrlencoded() || ctx.isMultipartFormData() ? ctx.formParam(name) : null;
        return value == null ? "" : value;
    }

    private static void answer(Context ctx, Reply reply) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        switch (reply) {
            case Reply.Accepted accepted -> {
                body.put("accepted", true);
                body.put("message", accepted.message());
                body.put("suggestion", suggestionJson(accepted.suggestion()));
            }
            case Reply.Refused refused -> {
                body.put("accepted", false);
                body.put("why", refused.why().name());
                body.put("message", refused.message());
                Optional<Duration> retry = refused.retryAfter();
                body.put("retryAfterSeconds", retry.map(AudienceRoutes::seconds).orElse(null));
                if (retry.isPresent()) {
                    ctx.header("Retry-After", Long.toString(seconds(retry.get())));
                }
                ctx.status(
                        switch (refused.why()) {
                            case NO_SUCH_CHANNEL -> 404;
                            case CLOSED -> 403;
                            default -> retry.isPresent() ? 429 : 422;
                        });
            }
        }
        WebServer.json(ctx, body);
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /**
     * A channel's public queue as the API and the watch page's live stream send it.
     *
     * @param channel the channel's audience settings (whether it takes suggestions, whether they are reviewed)
     */
    static Map<String, Object> queueJson(QueueSnapshot snapshot, Optional<Audience.Channel> channel) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("channel", snapshot.channelId());
        out.put("open", channel.map(Audience.Channel::open).orElse(false));
        out.put(
                "reviewed",
                channel.map(c -> c.policy() == StudioConfig.Policy.REVIEW_PROMPTS)
                        .orElse(false));
        out.put(
                "queued",
                snapshot.queued().stream().map(AudienceRoutes::suggestionJson).toList());
        out.put(
                "picked",
                snapshot.picked().stream().map(AudienceRoutes::suggestionJson).toList());
        out.put("onAir", snapshot.onAir().map(AudienceRoutes::suggestionJson).orElse(null));
        out.put("awaitingReview", snapshot.awaitingReview());
        out.put("at", snapshot.at().toString());
        return out;
    }

    /** A suggestion as viewers see it: no viewer id, no moderation reason. */
    static Map<String, Object> suggestionJson(SuggestionView v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("number", v.number());
        out.put("text", v.text());
        out.put("name", v.displayName());
        out.put("source", v.source().name().toLowerCase(Locale.ROOT));
        out.put("state", v.state().name());
        out.put("votes", v.votes());
        out.put("status", v.status());
        out.put("airsInSeconds", v.airsIn().map(AudienceRoutes::seconds).orElse(null));
        out.put("createdAt", v.createdAt().toString());
        return out;
    }

    /** Whose suggestion a clip was made of, for the caption; null for the director's own clips. */
    static Map<String, Object> creditJson(Site site, String channelId, String clipId) {
        if (site.audience() == null) {
            return null;
        }
        try {
            return site.audience()
                    .credit(channelId, clipId)
                    .map(c -> {
                        Map<String, Object> out = new LinkedHashMap<>();
                        out.put("name", c.displayName());
                        out.put("number", c.number());
                        out.put("source", c.source().name().toLowerCase(Locale.ROOT));
                        return out;
                    })
                    .orElse(null);
        } catch (SQLException e) {
            return null; // the caption goes without it
        }
    }
}
