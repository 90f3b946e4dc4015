package tv.latent.cli;

import java.io.IOException;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.config.ChannelConfig;
import tv.latent.config.LatentConfig;
import tv.latent.director.Director;
import tv.latent.library.ClipLibrary;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.media.Ffmpeg;
import tv.latent.pipeline.BackendFactory;
import tv.latent.pipeline.ChannelStages;
import tv.latent.pipeline.JobStore;
import tv.latent.pipeline.Pipeline;

/**
 * The whole of LatentTV wired from one configuration: database, library, backends, pipeline.
 * The CLI commands and the end-to-end tests build it the same way.
 *
 * <pre>{@code
 * try (App app = App.open(config)) {
 *   app.pipeline().start();
 * }
 * }</pre>
 *
 * <p>Closing stops the parts in reverse order of start; idempotent.
 */
public final class App implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private final LatentConfig config;
    private final DataLayout layout;
    private final Database db;
    private final Ffmpeg ffmpeg;
    private final ClipLibrary library;
    private final JobStore jobs;
    private final BackendFactory backends;
    private final Map<String, Director> directors;
    private final Pipeline pipeline;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private boolean closed;

    private App(LatentConfig config, InstantSource clock) throws IOException, SQLException {
        this.config = config;
        this.layout = new DataLayout(config.dataDir()).prepare();
        this.ffmpeg = Ffmpeg.locate(config.pipeline().ffmpegProcesses());
        this.db = Database.open(layout.database());
        closeables.add(db);
        this.library = new ClipLibrary(db, layout);
        this.jobs = new JobStore(db);
        this.backends = new BackendFactory(config, ffmpeg);
        closeables.add(backends);
        Map<String, ChannelStages> stages = new LinkedHashMap<>();
        Map<String, Director> directorsByChannel = new LinkedHashMap<>();
        for (ChannelConfig channel : config.channels()) {
            stages.put(channel.id(), backends.stagesFor(channel));
            directorsByChannel.put(channel.id(), backends.directorFor(channel));
        }
        this.directors = Map.copyOf(directorsByChannel);
        this.pipeline = new Pipeline(jobs, library, layout, ffmpeg, config.pipeline(), stages, clock);
        closeables.add(pipeline);
    }

    /** Wires everything; nothing runs until {@code pipeline().start()}. */
    public static App open(LatentConfig config) throws IOException, SQLException {
        return new App(config, InstantSource.system());
    }

    /**
     * Checks the remote backends before work starts (see {@link BackendFactory#checkAtStart()}):
     * throws when a model server's API no longer matches; an unreachable one only warns.
     */
    public List<String> checkBackends() throws InterruptedException {
        return backends.checkAtStart();
    }

    public LatentConfig config() {
        return config;
    }

    public DataLayout layout() {
        return layout;
    }

    public Ffmpeg ffmpeg() {
        return ffmpeg;
    }

    public ClipLibrary library() {
        return library;
    }

    public JobStore jobs() {
        return jobs;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    public Director director(String channelId) {
        Director director = directors.get(channelId);
        if (director == null) {
            throw new IllegalArgumentException(
                    "no channel '" + channelId + "' (channels: " + String.join(", ", directors.keySet()) + ")");
        }
        return director;
    }

    public ChannelConfig channel(String channelId) {
        return config.channel(channelId)
                .orElseThrow(() -> new IllegalArgumentException(
                        "no channel '" + channelId + "' (channels: " + String.join(", ", directors.keySet()) + ")"));
    }

    /** Registers a part to close with the app, before the ones already registered. */
    public void closeWithApp(AutoCloseable part) {
        closeables.add(part);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", closeables.get(i).getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
