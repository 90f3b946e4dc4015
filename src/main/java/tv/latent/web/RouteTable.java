package tv.latent.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.ExceptionHandler;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * The one table of routes: every route is declared here with its {@link Access} level, which
 * Javalin keeps as the route's role and {@link Gate} checks before the handler runs. A route with
 * no access level cannot be declared: a GET without one is {@link Access#PUBLIC}; a state-changing
 * route must name {@link Access#VIEWER} or {@link Access#OPERATOR}.
 *
 * <pre>{@code
 * RouteTable routes = new RouteTable(config.routes);
 * routes.get("/watch/{channel}", ctx -> ...);                          // public, read only
 * routes.get("/admin/jobs", Access.OPERATOR, ctx -> ...);
 * routes.post("/admin/channels/{id}/pause", Access.OPERATOR, ctx -> ...);
 * }</pre>
 *
 * <p>Used while the server is configured, on one thread.
 */
final class RouteTable {
    /** One declared route. */
    record Route(HandlerType method, String path, Access access) {}

    private final RoutesConfig routes;
    private final List<Route> declared = new ArrayList<>();

    RouteTable(RoutesConfig routes) {
        this.routes = routes;
    }

    /** A public, read-only GET route. */
    RouteTable get(String path, Handler handler) {
        return get(path, Access.PUBLIC, handler);
    }

    RouteTable get(String path, Access access, Handler handler) {
        return add(HandlerType.GET, path, access, handler);
    }

    /** A state-changing route: its access must be {@link Access#VIEWER} or {@link Access#OPERATOR}. */
    RouteTable post(String path, Access access, Handler handler) {
        return add(HandlerType.POST, path, access, handler);
    }

    /**
     * A POST that changes nothing, which outside clients send without a page of ours (an HDHomeRun
     * tuner's channel scan from a media center): public, and its handler must not change state.
     */
    RouteTable postChangingNothing(String path, Handler handler) {
        routes.addHttpHandler(HandlerType.POST, path, handler, Access.TUNER);
        declared.add(new Route(HandlerType.POST, path, Access.TUNER));
        return this;
    }

    RouteTable delete(String path, Access access, Handler handler) {
        return add(HandlerType.DELETE, path, access, handler);
    }

    private RouteTable add(HandlerType method, String path, Access access, Handler handler) {
        if (access == null) {
            throw new IllegalArgumentException(method + " " + path + ": every route declares its access level");
        }
        boolean safe = method == HandlerType.GET || method == HandlerType.HEAD;
        if (!safe && access == Access.PUBLIC) {
            throw new IllegalArgumentException(
                    method + " " + path + " changes state: it must be VIEWER or OPERATOR, not PUBLIC");
        }
        routes.addHttpHandler(method, path, handler, access);
        declared.add(new Route(method, path, access));
        return this;
    }

    /** A handler for every request, matched or not (limits, security headers); it declares no route. */
    RouteTable before(Handler handler) {
        routes.before(handler);
        return this;
    }

    /** The one handler run before every matched route: the access check. */
    RouteTable beforeMatched(Handler handler) {
        routes.beforeMatched(handler);
        return this;
    }

    <E extends Exception> RouteTable exception(Class<E> type, ExceptionHandler<? super E> handler) {
        routes.exception(type, handler);
        return this;
    }

    RouteTable error(int status, Handler handler) {
        routes.error(status, handler);
        return this;
    }

    /** Every route declared, in order. */
    List<Route> declared() {
        return List.copyOf(declared);
    }
}
