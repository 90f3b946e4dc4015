package tv.latent.web;

import io.javalin.http.sse.SseClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.PipelineListener;
import tv.latent.pipeline.ShotJob;
import tv.latent.playout.NowPlaying;

/**
 * Live events to browsers: each channel's now-playing changes (from the playout's listener) as
 * server-sent events named {@code now-playing}, a keep-alive comment every 15 s, and the latest
 * progress of pipeline jobs for {@code /api/jobs}. Thread-safe.
 */
final class Events implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Events.class);
    private static final long KEEP_ALIVE_SECONDS = 15;

    private final Site site;
    private final Pages pages;
    private final Map<String, Set<SseClient>> clients = new ConcurrentHashMap<>();
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();
    private final Consumer<NowPlaying> listener = this::changed;
    private ScheduledExecutorService keepAlive;
    private volatile boolean closed;

    private record Progress(JobState stage, double fraction, String detail) {}

    Events(Site site) {
        this.site = site;
        this.pages = new Pages(site);
    }

    synchronized void start() {
        if (keepAlive != null || closed) {
            return;
        }
        site.playout().addListener(listener);
        if (site.pipeline() != null) {
            site.pipeline().addListener(new PipelineListener() {
                @Override
                public void progress(ShotJob job, JobState stage, double fraction, String detail) {
                    progress.put(job.id(), new Progress(stage, fraction, detail == null ? "" : detail));
                }

                @Override
                public void changed(ShotJob job) {
                    if (job.state().terminal()) {
                        progress.remove(job.id());
                    }
                }
            });
        }
        keepAlive = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("web-keepalive").daemon(true).factory());
        keepAlive.scheduleAtFixedRate(this::ping, KEEP_ALIVE_SECONDS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
    }

    /** Adds a browser to a channel's stream and sends it what plays now, so it never waits for the next change. */
    void join(SseClient client, String channelId) {
        Set<SseClient> set = clients.computeIfAbsent(channelId, id -> ConcurrentHashMap.newKeySet());
        set.add(client);
        client.onClose(() -> set.remove(client));
        if (closed) {
            client.close();
            return;
        }
        try {
            send(client, WebServer.JSON.writeValueAsString(pages.status(channelId)));
        } catch (Exception e) {
            LOG.debug("first event failed: {}", e.toString());
        }
    }

    private void changed(NowPlaying playing) {
        Set<SseClient> set = clients.get(playing.channelId());
        if (set == null || set.isEmpty()) {
            return;
        }
        String data;
        try {
            data = WebServer.JSON.writeValueAsString(pages.status(playing.channelId(), playing));
        } catch (Exception e) {
            LOG.warn("now-playing event for {} failed: {}", playing.channelId(), e.toString());
            return;
        }
        for (SseClient client : set) {
            send(client, data);
        }
    }

    private static void send(SseClient client, String data) {
        if (!client.terminated()) {
            client.sendEvent("now-playing", data);
        }
    }

    private void ping() {
        for (Set<SseClient> set : clients.values()) {
            for (SseClient client : set) {
                try {
                    if (!client.terminated()) {
                        client.sendComment("keep-alive");
                    }
                } catch (RuntimeException e) {
                    set.remove(client);
                }
            }
        }
    }

    /** A job as the API shows it: state, stages done and the running stage's progress. */
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
        out.put("detail", p == null ? "" : p.detail());
        out.put("attempts", job.attempts());
        out.put("lastError", job.lastError());
        out.put("createdAt", job.createdAt().toString());
        out.put("updatedAt", job.updatedAt().toString());
        return out;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        site.playout().removeListener(listener);
        if (keepAlive != null) {
            keepAlive.shutdownNow();
        }
        for (Set<SseClient> set : clients.values()) {
            for (SseClient client : set) {
                try {
                    client.close();
                } catch (RuntimeException e) {
                    // already gone
                }
            }
        }
        clients.clear();
    }
}
