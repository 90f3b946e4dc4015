package tv.latent.cli;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import tv.latent.config.ChannelConfig;
import tv.latent.config.LatentConfig;
import tv.latent.playout.Playout;
import tv.latent.playout.PushTarget;
import tv.latent.web.Site;
import tv.latent.web.WebServer;

/**
 * A running LatentTV station: the app (database, library, pipeline), the playout of every
 * channel, the lookahead feeder and the web server, all in one process. {@code serve} and
 * {@code demo} run one; the web tests start one on port 0.
 *
 * <pre>{@code
 * try (Station station = Station.start(config, Station.Options.serving(0))) {
 *   System.out.println(station.watchUrl("demo"));
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops, in order: web, feeder, playout, pipeline, database. Idempotent.
 */
public final class Station implements AutoCloseable {
    /** Synthetic variable names under which the YAML's push URLs are handed to the playout. */
    private static final String PUSH_URL_PREFIX = "LATENTTV_PUSH_URL_";

    private final App app;
    private final Playout playout;
    private final WebServer web;

    /**
     * @param port overrides the configuration's port when not null (0: any free port)
     * @param generate whether the pipeline and the lookahead feeder run (off: playout airs the library as it is)
     * @param environment where push targets' stream keys are read ({@code System::getenv})
     * @param feederTick how often each channel's lookahead is checked
     */
    public record Options(Integer port, boolean generate, UnaryOperator<String> environment, Duration feederTick) {
        public static Options serving(Integer port) {
            return new Options(port, true, System::getenv, Duration.ofSeconds(1));
        }
    }

    private Station(App app, Playout playout, WebServer web) {
        this.app = app;
        this.playout = playout;
        this.web = web;
    }

    /** Opens and starts everything; on failure closes what was started and rethrows. */
    public static Station start(LatentConfig config, Options options) throws Exception {
        int port = options.port() != null ? options.port() : config.server().port();
        WebServer.checkPort(config.server().host(), port);
        App app = App.open(config);
        try {
            Map<String, String> pushUrls = new HashMap<>();
            List<tv.latent.playout.ChannelConfig> playoutChannels = new ArrayList<>();
            for (ChannelConfig channel : config.channels()) {
                List<PushTarget> targets = new ArrayList<>();
                for (ChannelConfig.PushTarget push : channel.push()) {
                    String variable = PUSH_URL_PREFIX
                            + (channel.id() + "_" + push.name())
                                    .toUpperCase(Locale.ROOT)
                                    .replaceAll("[^A-Z0-9_]", "_");
                    pushUrls.put(variable, push.url());
                    targets.add(
                            new PushTarget(push.name(), variable, push.keyEnv().isEmpty() ? null : push.keyEnv()));
                }
                playoutChannels.add(new tv.latent.playout.ChannelConfig(
                        channel.id(), channel.title(), channel.format(), targets, channel.lookaheadSeconds()));
            }
            // the playout reads push URLs by variable name: the YAML's URLs answer to synthetic names, keys come from
            // the environment
            UnaryOperator<String> environment = name -> pushUrls.containsKey(name)
                    ? pushUrls.get(name)
                    : options.environment().apply(name);
            Playout playout = new Playout(
                    app.jobs().database(),
                    new LibraryCatalog(app.library()),
                    app.ffmpeg(),
                    config.dataDir(),
                    playoutChannels,
                    InstantSource.system(),
                    environment);
            app.closeWithApp(playout);
            // playout first: its slate airs while the pipeline makes the first clips, and gets the CPU before them
            playout.start();
            if (options.generate()) {
                app.pipeline().start();
                Feeder feeder = new Feeder(
                        playout, app.pipeline(), app.jobs(), app::director, config.channels(), options.feederTick());
                app.closeWithApp(feeder);
                feeder.start();
            }
            List<Site.Channel> channels = config.channels().stream()
                    .map(c -> new Site.Channel(c.id(), c.title(), c.theme()))
                    .toList();
            Site site = new Site(
                    channels,
                    playout,
                    app.library(),
                    app.jobs(),
                    options.generate() ? app.pipeline() : null,
                    config.dataDir());
            WebServer web = WebServer.start(site, config.server().host(), port);
            app.closeWithApp(web);
            return new Station(app, playout, web);
        } catch (Exception | Error e) {
            app.close();
            throw e;
        }
    }

    public App app() {
        return app;
    }

    public Playout playout() {
        return playout;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        return web.url();
    }

    public String watchUrl(String channelId) {
        return web.url() + "/watch/" + channelId;
    }

    @Override
    public void close() {
        app.close();
    }
}
