package tv.latent.web;

import io.javalin.security.RouteRole;

/**
 * Who may call a route, declared with the route in {@link RouteTable} and checked for every
 * matched request by the one before-handler, {@link Gate}.
 */
enum Access implements RouteRole {
    /** Anyone; read only (GET and HEAD). Viewer pages, HLS, the read-only API, health and metrics. */
    PUBLIC,
    /**
     * Anyone, but it changes state: the request must come from one of this origin's own pages (the
     * viewer cookie and its CSRF token, no cross-site origin) and is rate limited per client address.
     * Viewer suggestions and votes, and the login form.
     */
    VIEWER,
    /**
     * Anyone, with a POST that changes nothing: a media center's request to an emulated HDHomeRun
     * tuner to scan its channels. Its handler must not change state.
     */
    TUNER,
    /** A logged-in operator (session cookie, plus its CSRF token on a state-changing request) or an API token. */
    OPERATOR
}
