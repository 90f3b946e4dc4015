package tv.latent.web;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.audience.Audience;
import tv.latent.audience.AudienceListener;
import tv.latent.audience.QueueSnapshot;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.PipelineListener;
import tv.latent.pipeline.ShotJob;
import tv.latent.playout.NowPlaying;

/**
 * Live events to browsers: each channel's now-playing changes (from the playout's listener, on
 * its event thread) as server-sent events named {@code now-playing}, its viewers' queue (from the
 * audience's listener) as events named {@code queue}, at most one a second per channel with the
 * latest queue, the console's jobs table and studio sections as they change, and the latest
 * progress of pipeline jobs for {@code /api/jobs}.
 *
 * <p>Each stream is served on its own request's virtual thread from a bounded queue
 * ({@link EventClients}): the playout's event thread only queues, so a slow or stuck browser
 * never delays another browser, the playout or the pipeline; one that falls
 * {@link EventClients#QUEUED} events behind is dropped. Beyond the caps of {@link Limits} a
 * stream is refused with 503. A quiet stream gets a keep-alive comment every 15 s (sooner when
 * the idle timeout is shorter), so that proxies and the idle timeout leave it open.
 *
 * <p>Thread-safe.
 */
final class Events implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Events.class);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** How long a refused browser is asked to wait before it tries again. */
    static final int RETRY_AFTER_SECONDS = 30;
    /** The stream key of the console's jobs (channel ids have no colon). */
    static final String JOBS = "admin:jobs";
    /** The stream key of the console's studio: a channel's section whenever its suggestions changed. */
    static final String STUDIO = "admin:studio";
    /** How often the console's jobs stream may be rendered and sent, and each channel's queue at most. */
    private static final Duration JOBS_EVERY = Duration.ofSeconds(1);

    private final Site site;
    private final Pages pages;
    private final EventClients clients;
    private final Duration keepAlive;
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();
    private final Consumer<NowPlaying> listener = this::changed;
    /** Set when a job changed or made progress; the console's job stream renders at most once a second then. */
    private final AtomicBoolean jobsChanged = new AtomicBoolean(true);
    /** The latest queue of each channel not sent yet (one entry per channel: bounded by the lineup). */
    private final Map<String, QueueSnapshot> queues = new ConcurrentHashMap<>();
    /** Channels whose suggestions changed since the studio stream last sent them (bounded by the lineup). */
    private final Set<String> studioChanged = ConcurrentHashMap.newKeySet();

    private final AudienceListener audienceListener = new AudienceListener() {
        @Override
        public void queueChanged(QueueSnapshot snapshot) {
            if (clients.count(snapshot.channelId()) > 0) {
                queues.put(snapshot.channelId(), snapshot);
            }
            if (clients.count(STUDIO) > 0) {
                studioChanged.add(snapshot.channelId());
            }
        }
    };

    private volatile Supplier<String> jobRows;
    private volatile Function<String, String> studioSection;
    private Thread jobsPublisher;
    private boolean started;
    private volatile boolean closed;

    private record Progress(JobState stage, double fraction, String detail) {}

    Events(Site site, Pages pages, Limits limits) {
        this.site = site;
        this.pages = pages;
        this.clients = new EventClients(limits.maxEventClients(), limits.maxEventClientsPerChannel());
        Duration half = limits.idleTimeout().dividedBy(2);
        this.keepAlive = half.compareTo(KEEP_ALIVE) < 0 ? half : KEEP_ALIVE;
    }

    synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        site.playout().addListener(listener);
        if (site.pipeline() != null) {
            site.pipeline().addListener(new PipelineListener() {
                @Override
                public void progress(ShotJob job, JobState stage, double fraction, String detail) {
                    progress.put(job.id(), new Progress(stage, fraction, detail == null ? "" : detail));
                    jobsChanged.set(true);
                }

                @Override
                public void changed(ShotJob job) {
                    if (job.state().terminal()) {
                        progress.remove(job.id());
                    }
                    jobsChanged.set(true);
                }
            });
        }
        if (site.audience() != null) {
            site.audience().addListener(audienceListener);
        }
        jobsPublisher = Thread.ofVirtual().name("web-events-publisher").start(this::publishEverySecond);
    }

    /**
     * Serves the console's live jobs stream (event {@code jobs}: the rendered rows of the jobs
     * table) on the calling request thread, like {@link #stream}; the rows are rendered at most once
     * a second, only while something changed and someone watches.
     */
    void streamJobs(Context ctx, Supplier<String> rows) throws InterruptedException {
        jobRows = rows;
        jobsChanged.set(true);
        stream(ctx, JOBS, null);
    }

    /**
     * Serves the console's live studio stream (event {@code studio}: one channel's rendered section,
     * whose element id names the channel) on the calling request thread, like {@link #stream}; a
     * channel's section is rendered at most once a second, only after its suggestions changed and
     * while someone watches. {@code section} renders a channel's section, or "" when it has none.
     */
    void streamStudio(Context ctx, Function<String, String> section) throws InterruptedException {
        studioSection = section;
        stream(ctx, STUDIO, null);
    }

    /** Once a second: each channel's changed queue, and the console's jobs while they changed and someone watches. */
    private void publishEverySecond() {
        while (!closed) {
            try {
                Thread.sleep(JOBS_EVERY);
            } catch (InterruptedException e) {
                return;
            }
            publishQueues();
            publishStudio();
            Supplier<String> rows = jobRows;
            if (rows == null || clients.count(JOBS) == 0 || !jobsChanged.getAndSet(false)) {
                continue;
            }
            try {
                clients.publish(JOBS, EventClients.frame("jobs", rows.get()));
            } catch (RuntimeException e) {
                LOG.warn("the console's jobs event failed: {}", e.toString());
            }
        }
    }

    /**
     * Serves a browser's now-playing stream on the calling (request) thread until the browser
     * leaves, is dropped or the server closes: first what plays now, so it never waits for the
     * next change, then every change.
     *
     * @throws HttpError 503 when the channel or the origin has as many streams as allowed
     */
    void stream(Context ctx, String channelId) throws InterruptedException {
        stream(
                ctx,
                channelId,
                () -> EventClients.frame("now-playing", statusJson(channelId, null)) + queueFrame(channelId, null));
    }

    /** The channel's queue as an event ({@code snapshot} null: as it is now); "" without an audience loop for it. */
    private String queueFrame(String channelId, QueueSnapshot snapshot) {
        Audience audience = site.audience();
        if (audience == null || audience.channel(channelId).isEmpty()) {
            return "";
        }
        try {
            QueueSnapshot queue = snapshot == null ? audience.queue(channelId) : snapshot;
            return EventClients.frame(
                    "queue",
                    WebServer.JSON.writeValueAsString(AudienceRoutes.queueJson(queue, audience.channel(channelId))));
        } catch (java.sql.SQLException | com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            LOG.warn("queue event for {} failed: {}", channelId, e.toString());
            return "";
        }
    }

    /** Sends each channel's latest queue that changed since the last round. */
    private void publishQueues() {
        for (String channelId : List.copyOf(queues.keySet())) {
            QueueSnapshot snapshot = queues.remove(channelId);
            if (snapshot != null && clients.count(channelId) > 0) {
                String frame = queueFrame(channelId, snapshot);
                if (!frame.isEmpty()) {
                    clients.publish(channelId, frame);
                }
            }
        }
    }

    /** Sends the studio's section of each channel whose suggestions changed since the last round. */
    private void publishStudio() {
        Function<String, String> section = studioSection;
        if (section == null || studioChanged.isEmpty()) {
            return;
        }
        for (String channelId : List.copyOf(studioChanged)) {
            studioChanged.remove(channelId);
            if (clients.count(STUDIO) == 0) {
                continue;
            }
            try {
                String html = section.apply(channelId);
                if (!html.isEmpty()) {
                    clients.publish(STUDIO, EventClients.frame("studio", html));
                }
            } catch (RuntimeException e) {
                LOG.warn("the studio's event for {} failed: {}", channelId, e.toString());
            }
        }
    }

    /** Serves one stream of {@code key} on the calling thread, {@code first} (if any) before every later event. */
    private void stream(Context ctx, String key, Supplier<String> first) throws InterruptedException {
        String channelId = key;
        Optional<EventClients.Client> joined = clients.join(channelId, aborter(ctx));
        if (joined.isEmpty()) {
            throw HttpError.unavailable(
                    "too many live event streams; the page keeps playing, try again later", RETRY_AFTER_SECONDS);
        }
        EventClients.Client client = joined.get();
        try {
            HttpServletResponse res = ctx.res();
            res.setStatus(200);
            res.setCharacterEncoding("UTF-8");
            res.setContentType("text/event-stream");
            res.setHeader("Cache-Control", "no-cache");
            res.setHeader("X-Accel-Buffering", "no"); // a proxy in front must not hold events back
            if (first != null) {
                client.offer(first.get());
            }
            OutputStream out = res.getOutputStream();
            client.serve(out, keepAlive);
        } catch (IOException e) {
            LOG.debug("event stream of {} ended: {}", channelId, e.toString());
        } finally {
            clients.leave(client);
        }
    }

    /** What closes the client's connection: a write blocked on a browser that stopped reading then fails at once. */
    static Runnable aborter(Context ctx) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        if (request == null) {
            return () -> {}; // not on Jetty: the idle timeout ends a blocked write
        }
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        return endPoint::close;
    }

    private void changed(NowPlaying playing) {
        if (clients.count(playing.channelId()) == 0) {
            return;
        }
        String data;
        try {
            data = statusJson(playing.channelId(), playing);
        } catch (RuntimeException e) {
            LOG.warn("now-playing event for {} failed: {}", playing.channelId(), e.toString());
            return;
        }
        clients.publish(playing.channelId(), EventClients.frame("now-playing", data));
    }

    private String statusJson(String channelId, NowPlaying playing) {
        try {
            return WebServer.JSON.writeValueAsString(
                    playing == null ? pages.status(channelId) : pages.status(channelId, playing));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Event streams open now, all channels. */
    int clients() {
        return clients.count();
    }

    /** Event streams of one channel open now. */
    int clients(String channelId) {
        return clients.count(channelId);
    }

    /** Event streams refused at a cap, since start. */
    long rejected() {
        return clients.rejected();
    }

    /** Event streams dropped for falling behind, since start. */
    long dropped() {
        return clients.dropped();
    }

    /** A job as the API shows it: state, stages done, the running stage's progress, and its last error (redacted). */
    Map<String, Object> jobJson(ShotJob job) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", job.id());
        out.put("channel", job.channelId());
        out.put("title", job.plan().title());
        out.put("prompt", job.plan().prompt());
        out.put("state", job.state().name());
        out.put("stagesDone", job.outputs().size());
        out.put("stages", job.order().size());
        Progress p = job.state().terminal() ? null : progress.get(job.id());
        double stageFraction = p != null && p.stage() == job.state() && p.fraction() >= 0 ? p.fraction() : 0;
        double overall = job.state() == JobState.MASTERED
                ? 1
                : Math.min(
                        1,
                        (job.outputs().size() + stageFraction)
                                / Math.max(1, job.order().size()));
        out.put("progress", Math.round(overall * 1000) / 1000.0);
        out.put("detail", p == null ? "" : Redaction.redact(p.detail()));
        out.put("attempts", job.attempts());
        out.put("lastError", Redaction.redact(job.lastError()));
        out.put("createdAt", job.createdAt().toString());
        out.put("updatedAt", job.updatedAt().toString());
        return out;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        site.playout().removeListener(listener);
        if (site.audience() != null) {
            site.audience().removeListener(audienceListener);
        }
        clients.close();
        Thread publisher;
        synchronized (this) {
            publisher = jobsPublisher;
        }
        if (publisher != null) {
            publisher.interrupt();
        }
    }
}
