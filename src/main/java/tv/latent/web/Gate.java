package tv.latent.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tv.latent.auth.Auth;
import tv.latent.time.MonotonicClock;
import tv.latent.time.SlidingWindow;

/**
 * The one before-handler that checks every matched request against its route's {@link Access}
 * (declared in {@link RouteTable}), and the security headers every answer carries.
 *
 * <ul>
 *   <li>{@link Access#PUBLIC}: nothing to check.
 *   <li>{@link Access#VIEWER}: the request comes from this origin's own page: it carries the viewer
 *       cookie ({@link #VIEWER_COOKIE}, set by every page) and the CSRF token made from it (header
 *       {@link #CSRF_HEADER} or form field {@link #CSRF_FIELD}), and no cross-site
 *       {@code Origin}/{@code Sec-Fetch-Site}; at most {@link #VIEWER_POSTS} such requests a minute
 *       per client address (429 beyond, with {@code Retry-After}).
 *   <li>{@link Access#OPERATOR}: a live session ({@link #SESSION_COOKIE}) or an API token
 *       ({@code Authorization: Bearer}), else 401; a state-changing request of a session must carry
 *       the session's CSRF token, else 403.
 * </ul>
 *
 * A route that declares no access level is refused (403): nothing is open by omission.
 *
 * <p>Thread-safe.
 */
final class Gate {
    static final String SESSION_COOKIE = "ltv_session";
    static final String VIEWER_COOKIE = "ltv_viewer";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String CSRF_FIELD = "_csrf";
    /** State-changing viewer requests one client address may make per minute. */
    static final int VIEWER_POSTS = 60;

    /** The operator a request was authenticated as ({@link Auth.Operator}), set for OPERATOR routes. */
    static final String OPERATOR = "latenttv.operator";

    /** Everything from this origin only; no inline script or style; no plugins; forms post here only. */
    static final String CSP =
            "default-src 'self'; img-src 'self' data:; media-src 'self' blob:; worker-src 'self' blob:;"
                    + " object-src 'none'; base-uri 'none'; form-action 'self'";
    /** The console may not be framed by any page (clickjacking). */
    static final String CONSOLE_CSP = CSP + "; frame-ancestors 'none'";

    private static final Pattern VIEWER_ID = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);

    private final Optional<Auth> auth;
    private final byte[] viewerKey = new byte[32];
    private final SlidingWindow viewerPosts;
    private final LoginPage loginPage;

    /** Answers a request that needs an operator with the login form (status 401). */
    @FunctionalInterface
    interface LoginPage {
        void show(Context ctx, Gate gate, String message) throws Exception;
    }

    Gate(Optional<Auth> auth, MonotonicClock clock, LoginPage loginPage) {
        this.auth = auth;
        this.loginPage = loginPage;
        new SecureRandom().nextBytes(viewerKey);
        this.viewerPosts = new SlidingWindow(VIEWER_POSTS, Duration.ofMinutes(1), 10_000, clock);
    }

    /** Security headers on every answer; the console's pages may not be framed or cached. */
    void headers(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        if (console(ctx)) {
            ctx.header("Content-Security-Policy", CONSOLE_CSP);
            ctx.header("X-Frame-Options", "DENY");
            ctx.header("Cache-Control", "no-store");
        } else {
            ctx.header("Content-Security-Policy", CSP);
        }
    }

    static boolean console(Context ctx) {
        return ctx.path().equals("/admin") || ctx.path().startsWith("/admin/");
    }

    /** The access check of the matched route; throws {@link HttpError} to refuse. */
    void check(Context ctx) throws Exception {
        Access access = access(ctx.routeRoles());
        boolean changes = !SAFE.contains(ctx.method());
        switch (access) {
            case PUBLIC -> {
                if (changes) {
                    throw new HttpError(403, "this route is read only");
                }
            }
            case TUNER -> {
                // a POST that changes nothing, from media centers that have no page of ours
            }
            case VIEWER -> {
                if (changes) {
                    checkViewer(ctx);
                }
            }
            case OPERATOR -> checkOperator(ctx, changes);
        }
    }

    private static Access access(Set<RouteRole> roles) {
        for (RouteRole role : roles) {
            if (role instanceof Access access) {
                return access;
            }
        }
        throw new HttpError(403, "this route declares no access level");
    }

    private void checkViewer(Context ctx) {
        sameOrigin(ctx);
        String viewer = ctx.cookie(VIEWER_COOKIE);
        if (viewer == null || !VIEWER_ID.matcher(viewer).matches()) {
            throw new HttpError(403, "open the page first: this request did not come from one of its forms");
        }
        if (!same(viewerToken(viewer), sentToken(ctx))) {
            throw new HttpError(403, "the form's security token is missing or stale; reload the page");
        }
        Optional<Duration> wait = viewerPosts.acquire(ctx.ip());
        if (wait.isPresent()) {
            int seconds = (int) Math.max(1, (wait.get().toMillis() + 999) / 1000);
            throw HttpError.tooMany("too many requests from your address; try again in " + seconds + " s", seconds);
        }
    }

    private void checkOperator(Context ctx, boolean changes) throws Exception {
        if (auth.isEmpty()) {
            throw new HttpError(404, "this station has no console");
        }
        Optional<Auth.Operator> operator = authenticate(ctx);
        if (operator.isEmpty()) {
            if (!changes && wantsPage(ctx)) {
                ctx.status(401);
                loginPage.show(ctx, this, "");
                ctx.skipRemainingHandlers();
                return;
            }
            if (ctx.header("HX-Request") != null) {
                ctx.header("HX-Redirect", "/admin");
            }
            throw new HttpError(401, "log in first (or send an API token: Authorization: Bearer ...)");
        }
        if (changes && operator.get().csrf().isPresent()) {
            sameOrigin(ctx);
            if (!same(operator.get().csrf().get(), sentToken(ctx))) {
                throw new HttpError(403, "the form's security token is missing or stale; reload the page");
            }
        }
        ctx.attribute(OPERATOR, operator.get());
    }

    /** The operator of a session cookie or an API token; empty when neither is valid. */
    Optional<Auth.Operator> authenticate(Context ctx) throws SQLException {
        if (auth.isEmpty()) {
            return Optional.empty();
        }
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.get().token(authorization.substring(7).strip());
        }
        return auth.get().session(ctx.cookie(SESSION_COOKIE));
    }

    /** A browser navigating to a page (not a script, not htmx): it is shown the login form. */
    private static boolean wantsPage(Context ctx) {
        String accept = ctx.header("Accept");
        return ctx.header("HX-Request") == null && accept != null && accept.contains("text/html");
    }

    /** A browser tells where a request comes from; a request from another site is refused. */
    private static void sameOrigin(Context ctx) {
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            throw new HttpError(403, "cross-site requests are refused");
        }
        String origin = ctx.header("Origin");
        String host = ctx.header("Host");
        if (origin != null && !origin.equals("null") && host != null) {
            String bare = origin.replaceFirst("^https?://", "");
            if (!bare.equalsIgnoreCase(host)) {
                throw new HttpError(403, "cross-site requests are refused");
            }
        }
    }

    private static String sentToken(Context ctx) {
        String header = ctx.header(CSRF_HEADER);
        if (header != null) {
            return header;
        }
        return ctx.isFormUrlencoded() ? ctx.formParam(CSRF_FIELD) : null;
    }

    /**
     * The viewer's CSRF token for this request's page, setting the viewer cookie when the browser
     * has none yet (a random id; the token is a MAC of it under this process's key, so nothing is stored).
     */
    String viewerToken(Context ctx) {
        String viewer = ctx.cookie(VIEWER_COOKIE);
        if (viewer == null || !VIEWER_ID.matcher(viewer).matches()) {
            byte[] id = new byte[16];
            new SecureRandom().nextBytes(id);
            viewer = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
            setCookie(ctx, VIEWER_COOKIE, viewer, -1);
        }
        return viewerToken(viewer);
    }

    private String viewerToken(String viewer) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(viewerKey, "HmacSHA256"));
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(mac.doFinal(viewer.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java has HmacSHA256", e);
        }
    }

    /**
     * Sets a cookie that scripts cannot read and other sites' requests do not carry; {@code Secure}
     * when the browser talks TLS (to us, or to a proxy that says so in {@code X-Forwarded-Proto}).
     *
     * @param maxAgeSeconds negative: until the browser closes; 0: delete it now
     */
    static void setCookie(Context ctx, String name, String value, long maxAgeSeconds) {
        boolean tls =
                "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        ctx.res()
                .addHeader(
                        "Set-Cookie",
                        name + "=" + value + "; Path=/; HttpOnly; SameSite=Strict"
                                + (maxAgeSeconds >= 0 ? "; Max-Age=" + maxAgeSeconds : "")
                                + (tls ? "; Secure" : ""));
    }

    private static boolean same(String expected, String sent) {
        return sent != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
    }
}
