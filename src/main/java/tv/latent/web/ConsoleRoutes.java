package tv.latent.web;

import io.javalin.http.Context;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import tv.latent.audit.Audit;
import tv.latent.auth.Auth;
import tv.latent.library.Clip;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.ShotJob;
import tv.latent.playout.NowPlaying;
import tv.latent.playout.Playout;

/**
 * The operator console at {@code /admin}: its routes (declared in the {@link RouteTable} with
 * their {@link Access}) and the pages they render. Every page is a template; actions are plain
 * forms that htmx enhances (an htmx request gets the changed fragment back, a plain form post a
 * redirect, a script with an API token a JSON answer). Every change goes through {@link Console},
 * which writes it to the audit log; logins, logouts and tokens are audited here.
 *
 * <p>Thread-safe.
 */
final class ConsoleRoutes {
    private static final DateTimeFormatter SHOWN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final int PAGE = 48;
    private static final int JOBS_SHOWN = 60;
    /** What replaces a deleted clip's card (no text of the clip's). */
    private static final String DELETED_CLIP = "<li class=\"card clip\"><p class=\"notice\">Deleted.</p></li>";

    private final Site site;
    private final Monitor monitor;
    private final Gate gate;
    private final Events events;

    ConsoleRoutes(Site site, Monitor monitor, Gate gate, Events events) {
        this.site = site;
        this.monitor = monitor;
        this.gate = gate;
        this.events = events;
    }

    /** Declares every console route. */
    void declare(RouteTable table) {
        Refusals routes = new Refusals(table);
        routes.get("/admin", Access.OPERATOR, this::channels);
        routes.post("/admin/login", Access.VIEWER, this::login);
        routes.post("/admin/logout", Access.OPERATOR, this::logout);

        routes.get("/admin/channels/new", Access.OPERATOR, this::newChannel);
        routes.post("/admin/channels", Access.OPERATOR, this::create);
        routes.get("/admin/channels/{id}", Access.OPERATOR, this::channel);
        routes.post("/admin/channels/{id}", Access.OPERATOR, this::update);
        routes.post("/admin/channels/{id}/pause", Access.OPERATOR, ctx -> pause(ctx, true));
        routes.post("/admin/channels/{id}/resume", Access.OPERATOR, ctx -> pause(ctx, false));
        routes.post("/admin/channels/{id}/delete", Access.OPERATOR, this::deleteChannel);

        routes.get("/admin/jobs", Access.OPERATOR, this::jobs);
        routes.get("/admin/jobs/events", Access.OPERATOR, ctx -> events.streamJobs(ctx, () -> jobRows("")));
        routes.post("/admin/jobs/{id}/retry", Access.OPERATOR, ctx -> jobAction(ctx, true));
        routes.post("/admin/jobs/{id}/cancel", Access.OPERATOR, ctx -> jobAction(ctx, false));

        routes.get("/admin/library", Access.OPERATOR, this::library);
        routes.post("/admin/clips/{id}/keep", Access.OPERATOR, ctx -> clipAction(ctx, "keep"));
        routes.post("/admin/clips/{id}/unkeep", Access.OPERATOR, ctx -> clipAction(ctx, "unkeep"));
        routes.post("/admin/clips/{id}/off-air", Access.OPERATOR, ctx -> clipAction(ctx, "off-air"));
        routes.post("/admin/clips/{id}/approve", Access.OPERATOR, ctx -> clipAction(ctx, "approve"));
        routes.post("/admin/clips/{id}/delete", Access.OPERATOR, ctx -> clipAction(ctx, "delete"));

        routes.get("/admin/backends", Access.OPERATOR, this::backends);
        routes.get("/admin/audit", Access.OPERATOR, this::audit);
        routes.get("/admin/tokens", Access.OPERATOR, ctx -> tokens(ctx, null, null));
        routes.post("/admin/tokens", Access.OPERATOR, this::createToken);
        routes.post("/admin/tokens/{id}/revoke", Access.OPERATOR, this::revokeToken);
    }

    /** The table, with every handler's {@link IllegalArgumentException} (a refusal from the station) answered 400. */
    private record Refusals(RouteTable table) {
        void get(String path, Access access, io.javalin.http.Handler handler) {
            table.get(path, access, refusing(handler));
        }

        void post(String path, Access access, io.javalin.http.Handler handler) {
            table.post(path, access, refusing(handler));
        }

        private static io.javalin.http.Handler refusing(io.javalin.http.Handler handler) {
            return ctx -> {
                try {
                    handler.handle(ctx);
                } catch (IllegalArgumentException e) {
                    throw HttpError.badRequest(Redaction.redact(e.getMessage()));
                }
            };
        }
    }

    private Console console() {
        if (site.console() == null) {
            throw HttpError.notFound("this station has no console");
        }
        return site.console();
    }

    static Auth.Operator operator(Context ctx) {
        Auth.Operator operator = ctx.attribute(Gate.OPERATOR);
        if (operator == null) {
            throw new HttpError(401, "log in first");
        }
        return operator;
    }

    static Views.Chrome chrome(Context ctx, String title) {
        Auth.Operator operator = operator(ctx);
        return new Views.Chrome(
                title + " · LatentTV console",
                operator.csrf().orElse(""),
                true,
                null,
                operator.name(),
                List.of("/assets/htmx.min.js", "/assets/console.js"));
    }

    /** The login form, for a request that needs an operator (the gate sets the status: 401, or 429 after a refusal). */
    static void loginPage(Context ctx, Gate gate, String message) {
        String name = Optional.ofNullable(ctx.isFormUrlencoded() ? ctx.formParam("name") : null)
                .orElse(Auth.FIRST_OPERATOR);
        Views.Chrome chrome =
                new Views.Chrome("Log in · LatentTV console", gate.viewerToken(ctx), true, null, null, List.of());
        html(ctx, Templates.render("login.jte", new Views.Login(chrome, message, name)));
    }

    private void login(Context ctx) throws Exception {
        Console console = console();
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
        Auth.Login login = console.auth().login(name, ctx.formParam("password"), ctx.ip());
        switch (login) {
            case Auth.LoggedIn in -> {
                Gate.setCookie(
                        ctx,
                        Gate.SESSION_COOKIE,
                        in.sessionCookie(),
                        console.auth().settings().session().toSeconds());
                console.audit().record(in.operator().name(), "login", "console", "from " + ctx.ip());
                ctx.redirect("/admin", io.javalin.http.HttpStatus.SEE_OTHER);
            }
            case Auth.Refused refused -> {
                if (refused.status() == 401) {
                    console.audit().record(printable(name), "login.failed", "console", "from " + ctx.ip());
                }
                if (refused.retryAfterSeconds() > 0) {
                    ctx.header("Retry-After", Integer.toString(refused.retryAfterSeconds()));
                }
                ctx.status(refused.status());
                loginPage(ctx, gate, refused.message());
            }
        }
    }

    private void logout(Context ctx) throws Exception {
        Auth.Operator operator = operator(ctx);
        console().auth().logout(ctx.cookie(Gate.SESSION_COOKIE));
        Gate.setCookie(ctx, Gate.SESSION_COOKIE, "", 0);
        console().audit().record(operator.name(), "logout", "console", "");
        ctx.redirect("/admin", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    // --- channels

    private void channels(Context ctx) {
        List<Views.ChannelRow> rows = new ArrayList<>();
        for (Console.Channel channel : console().channels()) {
            rows.add(row(channel));
        }
        html(
                ctx,
                Templates.render(
                        "channels.jte", new Views.Channels(chrome(ctx, "Channels"), ctx.queryParam("done"), rows)));
    }

    private Views.ChannelRow row(Console.Channel channel) {
        Playout playout = site.playout();
        String id = channel.id();
        Optional<NowPlaying> now = WebServer.quietly(() -> playout.nowPlaying(id));
        Optional<NowPlaying> next = WebServer.quietly(() -> playout.upNext(id));
        long fresh;
        int lookahead;
        List<Views.Push> pushes = new ArrayList<>();
        try {
            fresh = Math.round(playout.unairedFreshSeconds(id));
            lookahead = playout.lookaheadSeconds(id);
            playout.pushes(id).forEach(p -> pushes.add(new Views.Push(p.target(), p.up())));
        } catch (RuntimeException e) {
            fresh = 0;
            lookahead = 0;
        }
        Monitor.Generation generation = monitor.generation(id);
        return new Views.ChannelRow(
                id,
                channel.title(),
                channel.theme(),
                channel.origin() == Console.Origin.YAML ? "from the YAML file" : "made in the console",
                channel.origin() == Console.Origin.CONSOLE,
                channel.paused(),
                channel.policy(),
                now.map(NowPlaying::title).orElse("—"),
                next.map(NowPlaying::title).orElse("—"),
                fresh,
                lookahead,
                pushes,
                channel.paused() ? "paused by an operator" : generation.state(),
                Redaction.redact(generation.reason()),
                awaitingReview(id));
    }

    /** How many viewers' suggestions wait for an operator on the channel; 0 without an audience loop. */
    private int awaitingReview(String channelId) {
        if (site.audience() == null || site.audience().channel(channelId).isEmpty()) {
            return 0;
        }
        try {
            return site.audience().queue(channelId).awaitingReview();
        } catch (java.sql.SQLException | RuntimeException e) {
            return 0; // the card goes without it
        }
    }

    private Console.Channel known(String id) {
        return console().channels().stream()
                .filter(c -> c.id().equals(id))
                .findFirst()
                .orElseThrow(() -> HttpError.notFound("no channel '" + WebServer.printable(id) + "'"));
    }

    private void newChannel(Context ctx) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("policy", "auto");
        values.put("lookaheadSeconds", "180");
        form(ctx, "new", "", values, List.of(), 200);
    }

    private void channel(Context ctx) {
        Console.Channel channel = known(ctx.pathParam("id"));
        Map<String, Object> settings = console().settings(channel.id()).orElseThrow(() -> HttpError.notFound("gone"));
        form(
                ctx,
                channel.origin() == Console.Origin.CONSOLE ? "edit" : "view",
                channel.id(),
                ChannelForm.values(settings),
                List.of(),
                200);
    }

    private void form(
            Context ctx, String mode, String id, Map<String, String> values, List<String> problems, int status) {
        String title = mode.equals("new") ? "New channel" : "Channel " + id;
        ctx.status(status);
        html(
                ctx,
                Templates.render(
                        "channelForm.jte",
                        new Views.ChannelForm(
                                chrome(ctx, title),
                                mode,
                                id,
                                values,
                                problems,
                                console().backendChoices())));
    }

    private void create(Context ctx) throws Exception {
        Map<String, Object> settings = ChannelForm.settings(ctx::formParam, true);
        List<String> problems = console().create(settings, operator(ctx).name());
        if (!problems.isEmpty()) {
            if (!wantsHtml(ctx)) {
                throw HttpError.badRequest(String.join("; ", problems));
            }
            form(ctx, "new", "", ChannelForm.values(settings), problems, 422);
            return;
        }
        done(ctx, "/admin?done=" + encode("channel " + settings.get("id") + " is on air"), "created");
    }

    private void update(Context ctx) throws Exception {
        Console.Channel channel = known(ctx.pathParam("id"));
        if (channel.origin() != Console.Origin.CONSOLE) {
            throw new HttpError(
                    409, "channel " + channel.id() + " is declared in the YAML file: edit the file and restart");
        }
        Map<String, Object> settings = ChannelForm.settings(ctx::formParam, false);
        List<String> problems =
                console().update(channel.id(), settings, operator(ctx).name());
        if (!problems.isEmpty()) {
            if (!wantsHtml(ctx)) {
                throw HttpError.badRequest(String.join("; ", problems));
            }
            Map<String, String> values = ChannelForm.values(settings);
            form(ctx, "edit", channel.id(), values, problems, 422);
            return;
        }
        done(ctx, "/admin?done=" + encode("channel " + channel.id() + " changed"), "changed");
    }

    private void pause(Context ctx, boolean pause) throws Exception {
        Console.Channel channel = known(ctx.pathParam("id"));
        console().pause(channel.id(), pause, operator(ctx).name());
        if (ctx.header("HX-Request") != null) {
            html(ctx, Templates.render("channelCard.jte", Map.of("c", row(known(channel.id())), "csrf", "")));
            return;
        }
        done(ctx, "/admin", pause ? "paused" : "resumed");
    }

    private void deleteChannel(Context ctx) throws Exception {
        Console.Channel channel = known(ctx.pathParam("id"));
        if (channel.origin() != Console.Origin.CONSOLE) {
            throw new HttpError(
                    409, "channel " + channel.id() + " is declared in the YAML file: remove it there and restart");
        }
        console().delete(channel.id(), operator(ctx).name());
        if (ctx.header("HX-Request") != null) {
            html(ctx, "");
            return;
        }
        done(ctx, "/admin?done=" + encode("channel " + channel.id() + " deleted"), "deleted");
    }

    // --- jobs

    private void jobs(Context ctx) throws Exception {
        html(
                ctx,
                Templates.render("jobs.jte", new Views.Jobs(chrome(ctx, "Jobs"), ctx.queryParam("done"), jobViews())));
    }

    private List<Views.Job> jobViews() throws java.sql.SQLException {
        List<Views.Job> out = new ArrayList<>();
        for (ShotJob job : site.jobs().list(null, JOBS_SHOWN)) {
            Map<String, Object> json = events.jobJson(job);
            out.add(new Views.Job(
                    job.id(),
                    job.channelId(),
                    job.plan().title(),
                    job.plan().prompt(),
                    job.state().name(),
                    (int) Math.round(((Number) json.get("progress")).doubleValue() * 100),
                    String.valueOf(json.get("detail")),
                    job.attempts(),
                    String.valueOf(json.get("lastError")),
                    job.state() == JobState.FAILED,
                    !job.state().terminal()));
        }
        return out;
    }

    /** The rows of the jobs table (the fragment the live stream swaps in); {@code csrf} empty: htmx sends it as a header. */
    String jobRows(String csrf) {
        try {
            return Templates.render("jobRows.jte", Map.of("jobs", jobViews(), "csrf", csrf));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("reading jobs: " + e.getMessage(), e);
        }
    }

    private void jobAction(Context ctx, boolean retry) throws Exception {
        String id = checkedId(ctx.pathParam("id"));
        String who = operator(ctx).name();
        boolean done = retry ? console().retry(id, who) : console().cancel(id, who);
        String message = done
                ? (retry ? "job sent back to work" : "job cancelled")
                : (retry ? "only a failed job can be retried" : "the job is finished already");
        if (ctx.header("HX-Request") != null) {
            html(ctx, jobRows(operator(ctx).csrf().orElse("")));
            return;
        }
        if (!done && !wantsHtml(ctx)) {
            throw new HttpError(409, message);
        }
        done(ctx, "/admin/jobs?done=" + encode(message), message);
    }

    // --- library

    private void library(Context ctx) throws Exception {
        String channel = Optional.ofNullable(ctx.queryParam("channel")).orElse("");
        if (!channel.isEmpty()) {
            known(channel);
        }
        int limit = PAGE;
        String more = ctx.queryParam("limit");
        if (more != null && more.matches("\\d{1,4}")) {
            limit = Math.max(1, Math.min(1000, Integer.parseInt(more)));
        }
        List<Views.Clip> clips = new ArrayList<>();
        List<Clip> found = site.library().list(channel.isEmpty() ? null : channel, limit + 1);
        for (Clip clip : found.subList(0, Math.min(limit, found.size()))) {
            clips.add(clipView(clip, null));
        }
        String next = found.size() > limit
                ? "/admin/library?channel=" + encode(channel) + "&limit=" + Math.min(1000, limit + PAGE)
                : null;
        List<String> ids =
                console().channels().stream().map(Console.Channel::id).toList();
        html(
                ctx,
                Templates.render("library.jte", new Views.Library(chrome(ctx, "Library"), channel, ids, clips, next)));
    }

    private Views.Clip clipView(Clip clip, String message) {
        String state;
        try {
            state = site.playout().programmingState(clip.channelId(), clip.id()).orElse("NEW");
        } catch (Exception e) {
            state = "NOT ON AIR";
        }
        return new Views.Clip(
                clip.id(),
                clip.channelId(),
                clip.title(),
                clip.prompt(),
                SHOWN.format(clip.masteredAt()),
                state,
                clip.kept(),
                provenance(clip),
                message);
    }

    /** The clip's provenance (director, seed, each stage's backend and settings), without file paths. */
    private static String provenance(Clip clip) {
        StringBuilder out = new StringBuilder();
        out.append("director: ").append(clip.director()).append('\n');
        out.append("seed: ").append(clip.seed()).append('\n');
        out.append("size: ")
                .append(clip.width())
                .append('×')
                .append(clip.height())
                .append(", ");
        out.append(clip.fps())
                .append(" fps, ")
                .append(String.format("%.2f s", clip.durationSeconds()))
                .append('\n');
        try {
            var tree = WebServer.JSON.readTree(clip.provenance());
            tree.properties().forEach(stage -> {
                out.append(stage.getKey()).append(':');
                var fields = stage.getValue();
                if (fields.isObject()) {
                    fields.properties().forEach(f -> {
                        if (!f.getKey().equals("file")) {
                            out.append(' ')
                                    .append(f.getKey())
                                    .append('=')
                                    .append(
                                            f.getValue().isTextual()
                                                    ? f.getValue().asText()
                                                    : f.getValue().toString());
                        }
                    });
                }
                out.append('\n');
            });
        } catch (Exception e) {
            out.append(clip.provenance());
        }
        return Redaction.redact(out.toString().strip());
    }

    private void clipAction(Context ctx, String action) throws Exception {
        String id = checkedId(ctx.pathParam("id"));
        Clip clip = site.library().find(id).orElseThrow(() -> HttpError.notFound("no such clip"));
        String who = operator(ctx).name();
        String message =
                switch (action) {
                    case "keep" -> {
                        console().keep(id, true, who);
                        yield "kept: retention never deletes it";
                    }
                    case "unkeep" -> {
                        console().keep(id, false, who);
                        yield "no longer kept";
                    }
                    case "off-air" -> {
                        String reason = Optional.ofNullable(ctx.formParam("reason"))
                                .orElse("")
                                .strip();
                        yield console().takeOffAir(id, reason, who)
                                ? "taken off air: it never airs again"
                                : "its channel does not air it";
                    }
                    case "approve" ->
                        console().approve(id, who) ? "approved: it airs as a fresh clip" : "it was not held";
                    case "delete" -> console().deleteClip(id, who);
                    default -> throw HttpError.notFound("no such action");
                };
        if (ctx.header("HX-Request") != null) {
            Optional<Clip> now = site.library().find(id);
            if (now.isEmpty()) {
                html(ctx, DELETED_CLIP);
                return;
            }
            html(ctx, Templates.render("clipCard.jte", Map.of("clip", clipView(now.get(), message), "csrf", "")));
            return;
        }
        done(ctx, "/admin/library?channel=" + encode(clip.channelId()), message);
    }

    // --- backends, audit, tokens

    private void backends(Context ctx) {
        List<Views.Backend> rows = new ArrayList<>();
        for (Console.Backend b : console().backends()) {
            rows.add(new Views.Backend(
                    b.name(),
                    b.stage(),
                    b.circuits(),
                    b.callsLastHour(),
                    b.failuresLastHour(),
                    b.errors().stream().map(Redaction::redact).toList()));
        }
        html(ctx, Templates.render("backends.jte", new Views.Backends(chrome(ctx, "Backends"), rows)));
    }

    private void audit(Context ctx) throws Exception {
        OptionalLong before = OptionalLong.empty();
        String param = ctx.queryParam("before");
        if (param != null) {
            if (!param.matches("\\d{1,18}")) {
                throw HttpError.badRequest("before must be an entry number");
            }
            before = OptionalLong.of(Long.parseLong(param));
        }
        Audit.Page page = console().audit().page(before, 50);
        List<Views.AuditEntry> entries = new ArrayList<>();
        for (Audit.Entry e : page.entries()) {
            entries.add(new Views.AuditEntry(SHOWN.format(e.at()), e.actor(), e.action(), e.subject(), e.detail()));
        }
        String older =
                page.next().isPresent() ? "/admin/audit?before=" + page.next().getAsLong() : null;
        html(ctx, Templates.render("audit.jte", new Views.Audit(chrome(ctx, "Audit log"), entries, older)));
    }

    private void tokens(Context ctx, String message, String created) throws Exception {
        List<Views.Token> tokens = new ArrayList<>();
        for (Auth.TokenInfo t : console().auth().tokens()) {
            tokens.add(new Views.Token(
                    t.id(),
                    t.name(),
                    t.operator(),
                    SHOWN.format(t.created()),
                    t.used().map(SHOWN::format).orElse("never")));
        }
        html(
                ctx,
                Templates.render("tokens.jte", new Views.Tokens(chrome(ctx, "API tokens"), message, created, tokens)));
    }

    private void createToken(Context ctx) throws Exception {
        Auth.Operator operator = operator(ctx);
        Auth.NewToken token;
        try {
            token = console().auth().createToken(operator.name(), ctx.formParam("name"));
        } catch (IllegalArgumentException e) {
            ctx.status(400);
            tokens(ctx, e.getMessage(), null);
            return;
        }
        console()
                .audit()
                .record(
                        operator.name(),
                        "token.create",
                        "token " + token.info().id(),
                        token.info().name());
        tokens(ctx, null, token.token());
    }

    private void revokeToken(Context ctx) throws Exception {
        Auth.Operator operator = operator(ctx);
        String id = checkedId(ctx.pathParam("id"));
        boolean revoked = console().auth().revokeToken(id);
        if (revoked) {
            console().audit().record(operator.name(), "token.revoke", "token " + id, "");
        }
        done(ctx, "/admin/tokens", revoked ? "revoked" : "no such token");
    }

    // --- answers

    /**
     * A finished action: a browser's form is sent to {@code page} (303), a script gets JSON. A
     * refusal the station gave is thrown as an {@link IllegalArgumentException} and answered 400 by
     * the server.
     */
    static void done(Context ctx, String page, String message) throws Exception {
        if (wantsHtml(ctx)) {
            ctx.redirect(page, io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("done", message);
        WebServer.json(ctx, body);
    }

    static boolean wantsHtml(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("text/html");
    }

    static void html(Context ctx, String page) {
        ctx.contentType("text/html; charset=utf-8").result(page);
    }

    private static String checkedId(String id) {
        if (!ID.matcher(id).matches()) {
            throw HttpError.notFound("no such id");
        }
        return id;
    }

    private static String printable(String s) {
        return WebServer.printable(s == null ? "" : s);
    }

    static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
