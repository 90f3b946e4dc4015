package tv.latent.web;

import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import tv.latent.audience.Audience;
import tv.latent.audience.QueueSnapshot;
import tv.latent.audience.SuggestionView;
import tv.latent.audit.Audit;

/**
 * The console's studio at {@code /admin/studio}: for every channel, the viewers' suggestions
 * waiting for review (approve, or reject with a reason; both audited by the audience with the
 * operator's name), its public queue, and its studio settings (review policy, suggestions open
 * or closed: editable for console channels, through {@link Console#update} and so validated by
 * the YAML loader's rules); and moderation's recent decisions, read from the audit log.
 *
 * <pre>{@code
 * GET  /admin/studio                                        the page
 * GET  /admin/studio/events                                 live: a channel's section whenever its suggestions change
 * POST /admin/studio/tv/review    number=4&decision=approve  (or decision=reject&reason=...)
 * POST /admin/studio/tv/settings  policy=review-prompts&suggestions=open
 * GET  /api/channels/tv/review                              JSON: the suggestions waiting for review
 * }</pre>
 *
 * Actions answer like the console's others: an htmx request gets the channel's section back, a
 * form a redirect, a script (API token) JSON. All are {@link Access#OPERATOR}.
 *
 * <p>Thread-safe (stateless beyond the site).
 */
final class StudioRoutes {
    /** Moderation decisions shown, found among the latest {@link #DECISIONS_SCANNED} audit entries. */
    static final int DECISIONS_SHOWN = 30;

    static final int DECISIONS_SCANNED = 500;
    /** A reason longer than this is cut: it is read in the audit log, not stored as an essay. */
    static final int REASON_MAX = 200;

    private static final DateTimeFormatter SHOWN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final Pattern NUMBER = Pattern.compile("\\d{1,18}");
    /** The audit actions that are moderation's or an operator's decisions on what airs. */
    private static final Set<String> DECISIONS =
            Set.of("suggestion.approved", "suggestion.rejected", "clip.approve", "clip.off-air");

    private final Site site;
    private final Events events;

    StudioRoutes(Site site, Events events) {
        this.site = site;
        this.events = events;
    }

    void declare(RouteTable routes) {
        routes.get("/admin/studio", Access.OPERATOR, this::page);
        routes.get("/admin/studio/events", Access.OPERATOR, ctx -> {
            console(); // 404 without a console, before the stream starts
            events.streamStudio(ctx, this::liveSection);
        });
        routes.post("/admin/studio/{id}/review", Access.OPERATOR, this::review);
        routes.post("/admin/studio/{id}/settings", Access.OPERATOR, this::settings);
        routes.get("/api/channels/{id}/review", Access.OPERATOR, this::awaitingReview);
    }

    private Console console() {
        if (site.console() == null) {
            throw HttpError.notFound("this station has no console");
        }
        return site.console();
    }

    private Console.Channel known(String id) {
        return console().channels().stream()
                .filter(c -> c.id().equals(id))
                .findFirst()
                .orElseThrow(() -> HttpError.notFound("no channel '" + WebServer.printable(id) + "'"));
    }

    private void page(Context ctx) throws Exception {
        List<Views.StudioChannel> channels = new ArrayList<>();
        for (Console.Channel channel : console().channels()) {
            channels.add(section(channel, null));
        }
        ConsoleRoutes.html(
                ctx,
                Templates.render(
                        "studio.jte",
                        new Views.Studio(
                                ConsoleRoutes.chrome(ctx, "Studio"), ctx.queryParam("done"), channels, decisions())));
    }

    private Views.StudioChannel section(Console.Channel channel, String message) throws SQLException {
        boolean open = console()
                .settings(channel.id())
                .map(s -> !Boolean.FALSE.equals(s.get("suggestions")))
                .orElse(false);
        List<Views.Suggestion> pending = new ArrayList<>();
        List<Views.Suggestion> queued = new ArrayList<>();
        List<Views.Suggestion> picked = new ArrayList<>();
        Audience audience = site.audience();
        if (audience != null && audience.channel(channel.id()).isPresent()) {
            audience.awaitingReview(channel.id()).forEach(s -> pending.add(view(s)));
            QueueSnapshot queue = audience.queue(channel.id());
            queue.queued().forEach(s -> queued.add(view(s)));
            queue.picked().forEach(s -> picked.add(view(s)));
            queue.onAir().ifPresent(s -> picked.add(view(s)));
        }
        return new Views.StudioChannel(
                channel.id(),
                channel.title(),
                channel.origin() == Console.Origin.CONSOLE,
                channel.policy(),
                open,
                pending,
                queued,
                picked,
                message);
    }

    /**
     * A channel's section for the live studio stream, shared by every operator watching: no CSRF
     * token in its forms (the console's script fills in the page's own) and no notice; "" when the
     * channel is gone.
     */
    private String liveSection(String channelId) {
        try {
            for (Console.Channel channel : console().channels()) {
                if (channel.id().equals(channelId)) {
                    return Templates.render("studioChannel.jte", Map.of("c", section(channel, null), "csrf", ""));
                }
            }
            return "";
        } catch (SQLException e) {
            throw new IllegalStateException("the studio section of " + channelId + " could not be read", e);
        }
    }

    private static Views.Suggestion view(SuggestionView s) {
        return new Views.Suggestion(
                s.number(),
                s.text(),
                s.displayName().isEmpty() ? "a viewer" : s.displayName(),
                s.source().name().toLowerCase(java.util.Locale.ROOT),
                s.votes(),
                s.status(),
                SHOWN.format(s.createdAt()));
    }

    /** Moderation's and operators' latest decisions on what airs, newest first. */
    private List<Views.AuditEntry> decisions() throws Exception {
        List<Views.AuditEntry> out = new ArrayList<>();
        for (Audit.Entry e :
                console().audit().page(OptionalLong.empty(), DECISIONS_SCANNED).entries()) {
            if (e.actor().equals("moderation") || DECISIONS.contains(e.action())) {
                out.add(new Views.AuditEntry(SHOWN.format(e.at()), e.actor(), e.action(), e.subject(), e.detail()));
                if (out.size() == DECISIONS_SHOWN) {
                    break;
                }
            }
        }
        return out;
    }

    private void review(Context ctx) throws Exception {
        Console.Channel channel = known(ctx.pathParam("id"));
        Audience audience = AudienceRoutes.audience(site);
        if (audience.channel(channel.id()).isEmpty()) {
            throw HttpError.notFound("channel " + channel.id() + " takes no suggestions here");
        }
        String number = field(ctx, "number");
        if (!NUMBER.matcher(number).matches()) {
            throw HttpError.badRequest("number must be the suggestion's number");
        }
        long n = Long.parseLong(number);
        String operator = ConsoleRoutes.operator(ctx).name();
        String decision = field(ctx, "decision");
        boolean done;
        String message;
        switch (decision) {
            case "approve" -> {
                done = audience.approve(channel.id(), n, operator);
                message = done ? "#" + n + " approved: it joins the queue" : "#" + n + " does not wait for review";
            }
            case "reject" -> {
                String reason = WebServer.printable(field(ctx, "reason"));
                if (reason.length() > REASON_MAX) {
                    reason = reason.substring(0, REASON_MAX);
                }
                done = audience.reject(channel.id(), n, operator, reason);
                message = done ? "#" + n + " rejected" : "#" + n + " does not wait any more";
            }
            default -> throw HttpError.badRequest("decision must be approve or reject");
        }
        answer(ctx, channel.id(), done, message);
    }

    private void settings(Context ctx) throws Exception {
        Console.Channel channel = known(ctx.pathParam("id"));
        if (channel.origin() != Console.Origin.CONSOLE) {
            throw new HttpError(
                    409, "channel " + channel.id() + " is declared in the YAML file: edit the file and restart");
        }
        Map<String, Object> settings =
                new LinkedHashMap<>(console().settings(channel.id()).orElseThrow(() -> HttpError.notFound("gone")));
        String policy = field(ctx, "policy");
        if (!policy.isEmpty()) {
            settings.put("policy", policy);
        }
        String suggestions = field(ctx, "suggestions");
        if (!suggestions.isEmpty()) {
            settings.put("suggestions", ChannelForm.suggestions(suggestions));
        }
        List<String> problems;
        try {
            problems = console()
                    .update(channel.id(), settings, ConsoleRoutes.operator(ctx).name());
        } catch (IllegalArgumentException e) {
            problems = List.of(Redaction.redact(e.getMessage()));
        }
        if (!problems.isEmpty()) {
            if (ctx.header("HX-Request") == null && !ConsoleRoutes.wantsHtml(ctx)) {
                throw HttpError.badRequest(String.join("; ", problems));
            }
            answer(ctx, channel.id(), false, "not saved: " + String.join("; ", problems));
            return;
        }
        answer(ctx, channel.id(), true, "studio settings of " + channel.id() + " saved");
    }

    private void awaitingReview(Context ctx) throws Exception {
        Console.Channel channel = known(ctx.pathParam("id"));
        Audience audience = AudienceRoutes.audience(site);
        if (audience.channel(channel.id()).isEmpty()) {
            throw HttpError.notFound("channel " + channel.id() + " takes no suggestions here");
        }
        List<Object> out = new ArrayList<>();
        for (SuggestionView s : audience.awaitingReview(channel.id())) {
            out.add(AudienceRoutes.suggestionJson(s));
        }
        WebServer.json(ctx, out);
    }

    /** An htmx request gets the channel's section, a form a redirect, a script JSON (409 when nothing was done). */
    private void answer(Context ctx, String channelId, boolean done, String message) throws Exception {
        if (ctx.header("HX-Request") != null) {
            ConsoleRoutes.html(
                    ctx,
                    Templates.render(
                            "studioChannel.jte",
                            Map.of(
                                    "c",
                                    section(known(channelId), message),
                                    "csrf",
                                    ConsoleRoutes.operator(ctx).csrf().orElse(""))));
            return;
        }
        if (!done && !ConsoleRoutes.wantsHtml(ctx)) {
            throw new HttpError(409, message);
        }
        ConsoleRoutes.done(ctx, "/admin/studio?done=" + ConsoleRoutes.encode(message), message);
    }

    private static String field(Context ctx, String name) {
        String value = ctx.isFormUrlencoded() || ctx.isMultipartFormData() ? ctx.formParam(name) : null;
        return value == null ? "" : value.strip();
    }
}
