package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import io.javalin.security.Roles;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.auth.Auth;
import tv.latent.config.LatentConfig;
import tv.latent.station.Station;

/**
 * Who may call what: every route is read from the router (so a route added tomorrow is checked
 * too) and called without a session, and every state-changing one with a session but without its
 * CSRF token; the login form's limits under a flood; API tokens; security headers; the console's
 * channel form validated with the YAML loader's own messages.
 */
class ConsoleAccessTest {
    private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);
    static final UnaryOperator<String> ENV = name -> name.equals(Auth.PASSWORD_ENV) ? ConsoleClient.PASSWORD : null;

    @TempDir
    Path dir;

    private Station station;

    @BeforeEach
    void start() throws Exception {
        LatentConfig config = Stations.load(Stations.config(dir, ""), ENV);
        Stations.fillLibrary(config, 3);
        station = Station.start(config, new Station.Options(0, false, ENV, Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        station.close();
    }

    /** Every HTTP route of the router, as the served station has it (same routing code, unstarted). */
    private List<Endpoint> routes() throws java.sql.SQLException {
        Site site = new Site(
                () -> List.of(),
                station.playout(),
                station.library(),
                station.jobs(),
                null,
                station.layout().root(),
                Optional::empty,
                station.console(),
                station.livingRoom(),
                null,
                null,
                station.audience().orElse(null),
                tv.latent.storage.MediaStore.local());
        Javalin app = WebServer.create(site);
        List<Endpoint> out = new ArrayList<>();
        for (ParsedEndpoint parsed : app.unsafe.internalRouter.allHttpHandlers()) {
            if (parsed.endpoint.method.isHttpMethod()) {
                out.add(parsed.endpoint);
            }
        }
        return out;
    }

    private static Access access(Endpoint endpoint) {
        Roles roles = endpoint.metadata(Roles.class);
        assertThat(roles)
                .as("%s %s declares an access level", endpoint.method, endpoint.path)
                .isNotNull();
        assertThat(roles.getRoles()).hasSize(1);
        return (Access) roles.getRoles().iterator().next();
    }

    private static String concrete(String path) {
        return path.replace("{channel}", Stations.CHANNEL)
                .replace("{id}", Stations.CHANNEL)
                .replace("{segment}", "0.ts")
                .replace("{file}", "clip-000.jpg")
                .replace("{name}", "latenttv.css");
    }

    private HttpResponse<String> call(ConsoleClient client, Endpoint route, boolean page) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(station.url() + concrete(route.path)))
                .timeout(Duration.ofSeconds(5));
        if (page) {
            request.header("Accept", "text/html");
        }
        if (SAFE.contains(route.method)) {
            return client.send(request.method(route.method.name(), HttpRequest.BodyPublishers.noBody()));
        }
        return client.send(request.header("Content-Type", "application/x-www-form-urlencoded")
                .method(route.method.name(), HttpRequest.BodyPublishers.ofString("name=x&reason=y")));
    }

    static String unescaped(String html) {
        return html.replace("&#39;", "'")
                .replace("&#34;", "\"")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    @Test
    void everyRouteDeclaresItsAccessAndOnlyReadOnlyRoutesArePublic() throws Exception {
        List<Endpoint> routes = routes();
        assertThat(routes).hasSizeGreaterThan(20);
        for (Endpoint route : routes) {
            Access access = access(route);
            if (access == Access.TUNER) {
                // the tuner's channel scan, which media centers post without a page of ours: it changes nothing
                assertThat(route.path).isEqualTo("/lineup.post");
                continue;
            }
            if (access == Access.PUBLIC) {
                assertThat(SAFE).as("%s %s is public", route.method, route.path).contains(route.method);
            }
            if (route.path.startsWith("/admin")) {
                assertThat(access).as("%s %s", route.method, route.path).isNotEqualTo(Access.PUBLIC);
            }
        }
    }

    @Test
    void everyConsoleAndStateChangingRouteRefusesAClientWithoutASession() throws Exception {
        ConsoleClient stranger = new ConsoleClient(station.url());
        int checked = 0;
        for (Endpoint route : routes()) {
            if (!route.path.startsWith("/admin") && SAFE.contains(route.method) || route.path.equals("/lineup.post")) {
                continue;
            }
            if (route.path.endsWith("/events")) {
                // an event stream that would stay open: asked as a script, it is refused at once
                assertThat(call(stranger, route, false).statusCode()).isEqualTo(401);
                continue;
            }
            for (boolean page : new boolean[] {true, false}) {
                int status = call(stranger, route, page).statusCode();
                assertThat(status)
                        .as("%s %s without a session (%s)", route.method, route.path, page ? "a page" : "a script")
                        .isIn(401, 403);
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(15);
    }

    @Test
    void everyStateChangingRouteRefusesASessionWithoutItsCsrfToken() throws Exception {
        ConsoleClient operator = new ConsoleClient(station.url());
        assertThat(operator.login(Auth.FIRST_OPERATOR, ConsoleClient.PASSWORD).statusCode())
                .isEqualTo(303);
        int checked = 0;
        for (Endpoint route : routes()) {
            if (SAFE.contains(route.method) || access(route) == Access.TUNER) {
                continue;
            }
            // the operator's session cookie and a viewer cookie ride along: only the token is missing
            assertThat(call(operator, route, true).statusCode())
                    .as("%s %s with a session, without a CSRF token", route.method, route.path)
                    .isEqualTo(403);
            checked++;
        }
        assertThat(checked).isGreaterThan(10);
        // and with the token, the same session works
        operator.page("/admin");
        assertThat(operator.post("/admin/channels/tv/pause", Map.of()).statusCode())
                .isEqualTo(303);
        assertThat(station.console().channels().getFirst().paused()).isTrue();
    }

    @Test
    void aPageWithoutASessionIsTheLoginFormAndTheRightPasswordOpensTheConsole() throws Exception {
        ConsoleClient browser = new ConsoleClient(station.url());
        HttpResponse<String> page = browser.page("/admin/jobs");
        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.body()).contains("action=\"/admin/login\"", "type=\"password\"");

        HttpResponse<String> wrong = browser.post("/admin/login", Map.of("name", "admin", "password", "nope"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong name or password.");

        HttpResponse<String> in = browser.login(Auth.FIRST_OPERATOR, ConsoleClient.PASSWORD);
        assertThat(in.statusCode()).isEqualTo(303);
        String cookie = in.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(Gate.SESSION_COOKIE + "="))
                .findFirst()
                .orElseThrow();
        assertThat(cookie).contains("HttpOnly", "SameSite=Strict", "Path=/");
        assertThat(browser.page("/admin/jobs").statusCode()).isEqualTo(200);

        HttpResponse<String> out = browser.post("/admin/logout", Map.of());
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(browser.page("/admin/jobs").statusCode()).isEqualTo(401);
        assertThat(station.audit().page(java.util.OptionalLong.empty(), 10).entries())
                .extracting(e -> e.action())
                .contains("login", "login.failed", "logout");
    }

    @Test
    void aLoginFloodIsRefusedPerAccountAndPerAddressWithClearFeedback() throws Exception {
        ConsoleClient attacker = new ConsoleClient(station.url());
        attacker.page("/admin");
        List<Integer> statuses = new ArrayList<>();
        String lastBody = "";
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> answer =
                    attacker.post("/admin/login", Map.of("name", "admin", "password", "guess-" + i));
            statuses.add(answer.statusCode());
            lastBody = answer.body();
            if (answer.statusCode() == 429) {
                assertThat(answer.headers().firstValue("Retry-After")).isPresent();
            }
        }
        assertThat(statuses.subList(0, 5)).containsOnly(401);
        assertThat(statuses.subList(5, 30)).containsOnly(429);
        assertThat(lastBody).contains("Too many failed logins for this account. Try again in");
        // the right password does not get through while the account waits
        assertThat(attacker.post("/admin/login", Map.of("name", "admin", "password", ConsoleClient.PASSWORD))
                        .statusCode())
                .isEqualTo(429);
        // other names from the same address: the address's limit (10 attempts) holds too
        String body = "";
        int refused = 0;
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> answer =
                    attacker.post("/admin/login", Map.of("name", "user" + i, "password", "guess"));
            if (answer.statusCode() == 429) {
                refused++;
                body = answer.body();
            }
        }
        assertThat(refused).isEqualTo(5);
        assertThat(body).contains("Too many login attempts from your address. Try again in");
    }

    @Test
    void anApiTokenIsShownOnceStoredHashedAndWorksWithoutCsrfUntilRevoked() throws Exception {
        ConsoleClient operator = new ConsoleClient(station.url());
        operator.login(Auth.FIRST_OPERATOR, ConsoleClient.PASSWORD);
        operator.page("/admin/tokens");
        HttpResponse<String> made = operator.post("/admin/tokens", Map.of("name", "ci robot"));
        assertThat(made.statusCode()).isEqualTo(200);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("ltv_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}")
                .matcher(made.body());
        assertThat(m.find()).as(made.body()).isTrue();
        String token = m.group();
        assertThat(operator.page("/admin/tokens").body()).doesNotContain(token).contains("ci robot");

        ConsoleClient robot = new ConsoleClient(station.url());
        HttpResponse<String> paused =
                robot.send(HttpRequest.newBuilder(URI.create(station.url() + "/admin/channels/tv/pause"))
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
        assertThat(paused.body()).contains("paused");

        String id = token.substring(4, 16);
        operator.page("/admin/tokens");
        assertThat(operator.post("/admin/tokens/" + id + "/revoke", Map.of()).statusCode())
                .isEqualTo(303);
        HttpResponse<String> after =
                robot.send(HttpRequest.newBuilder(URI.create(station.url() + "/admin/channels/tv/resume"))
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(after.statusCode()).isEqualTo(401);
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndTheConsoleMayNotBeFramed() throws Exception {
        ConsoleClient browser = new ConsoleClient(station.url());
        for (String path : List.of("/", "/watch/tv", "/api/channels", "/admin")) {
            HttpResponse<String> answer = browser.page(path);
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(answer.headers().firstValue("Referrer-Policy")).contains("same-origin");
            String csp = answer.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).contains("default-src 'self'").doesNotContain("unsafe-inline", "unsafe-eval");
            if (path.startsWith("/admin")) {
                assertThat(csp).contains("frame-ancestors 'none'");
            }
            assertThat(answer.body()).doesNotContain("<script>").doesNotContain("onclick=", "onload=", "style=\"");
        }
    }

    @Test
    void theChannelFormIsValidatedWithTheYamlLoadersOwnMessages() throws Exception {
        ConsoleClient operator = new ConsoleClient(station.url());
        operator.login(Auth.FIRST_OPERATOR, ConsoleClient.PASSWORD);
        operator.page("/admin/channels/new");
        HttpResponse<String> answer = operator.post(
                "/admin/channels",
                Map.of(
                        "id",
                        "news",
                        "theme",
                        "a quiet harbour",
                        "lookaheadSeconds",
                        "5",
                        "format.width",
                        "wide",
                        "stages.render",
                        "nonesuch"));
        assertThat(answer.statusCode()).isEqualTo(422);
        List<String> expected;
        java.nio.file.Files.createDirectories(dir.resolve("yaml"));
        try {
            Stations.load(
                    Stations.config(
                            dir.resolve("yaml"),
                            "  - id: news\n    theme: a quiet harbour\n    lookaheadSeconds: 5\n"
                                    + "    format: {width: wide}\n    stages: {render: [nonesuch]}\n"),
                    ENV);
            throw new AssertionError("the YAML loader took it");
        } catch (tv.latent.config.ConfigException e) {
            expected = e.problems().stream()
                    .filter(p -> p.startsWith("channels[1]."))
                    .map(p -> p.substring("channels[1].".length()))
                    .toList();
        }
        assertThat(expected).hasSize(3);
        for (String problem : expected) {
            assertThat(unescaped(answer.body())).contains(problem);
        }
        assertThat(station.console().channels()).extracting(Console.Channel::id).containsExactly("tv");
    }
}
