package tv.latent.station;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import tv.latent.config.ChannelConfig;
import tv.latent.config.StageKind;
import tv.latent.generate.remote.EndpointPool;
import tv.latent.library.ClipLibrary;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.JobStore;
import tv.latent.pipeline.Lookahead;
import tv.latent.pipeline.Pipeline;
import tv.latent.pipeline.PipelineListener;
import tv.latent.pipeline.ShotJob;
import tv.latent.pipeline.Spending;
import tv.latent.playout.Playout;
import tv.latent.playout.PushStatus;
import tv.latent.retention.DiskGuard;
import tv.latent.retention.Retention;
import tv.latent.web.WebServer;

/**
 * Every LatentTV metric, bound in one place and written in the Prometheus text format for
 * {@code GET /metrics}. The parts of the station expose plain getters and listeners; only this
 * class knows Micrometer. Names start with {@code latenttv_}, are in base units (seconds, bytes)
 * and counters end in {@code _total}:
 *
 * <ul>
 *   <li>{@code latenttv_jobs{channel,state}}: shot jobs being made, by stage (read through the
 *       index of unfinished jobs, at most once a second); {@code latenttv_jobs_ended_total{channel,state}}:
 *       jobs mastered or failed since start
 *   <li>{@code latenttv_stage_duration_seconds{stage,backend}} (histogram) and
 *       {@code latenttv_stage_failures_total{stage,backend}}: every backend's try at a stage
 *   <li>{@code latenttv_backend_circuit_state{backend,endpoint}}: 0 closed, 1 half-open, 2 open
 *       (endpoints by index: their URLs stay private)
 *   <li>{@code latenttv_lookahead_fresh_seconds{channel}} and {@code latenttv_lookahead_target_seconds{channel}};
 *       {@code latenttv_generation_failing{channel}} (1 while the channel's shots keep failing)
 *   <li>{@code latenttv_airings_total{channel,kind}}: fresh, rerun and slate airings decided
 *   <li>{@code latenttv_push_up{channel,target}} and {@code latenttv_push_reconnects_total{channel,target}}
 *   <li>{@code latenttv_sse_clients{channel}}, {@code latenttv_sse_rejected_total},
 *       {@code latenttv_sse_dropped_total}; {@code latenttv_http_requests_seconds{method,route,status}}
 *       (histogram, status as {@code 2xx}...), {@code latenttv_http_connections},
 *       {@code latenttv_http_slow_clients_closed_total}
 *   <li>{@code latenttv_disk_free_bytes} (the data directory's file system) and
 *       {@code latenttv_library_clips{channel}} (an indexed count, at most every 30 s)
 *   <li>{@code latenttv_playout_events_dropped_total}; and the JVM's and process's own
 *       ({@code jvm_*}, {@code process_*}, {@code system_*})
 * </ul>
 *
 * <p>Thread-safe: values are read when scraped, by the scraping request's thread; counters are
 * fed by the pipeline's job threads and the web's request threads. {@link #close()} is idempotent.
 */
final class StationMetrics implements AutoCloseable {
    private static final Duration[] STAGE_BUCKETS = {
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofMinutes(2),
        Duration.ofMinutes(5),
        Duration.ofMinutes(10),
        Duration.ofMinutes(30)
    };
    private static final Duration[] HTTP_BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };
    private static final long JOBS_EVERY_NANOS = 1_000_000_000L;
    private static final long CLIPS_EVERY_NANOS = 30_000_000_000L;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** One timer per method, route and status class: routes are the web's fixed templates, so this stays small. */
    private final Map<String, Timer> requests = new ConcurrentHashMap<>();

    private volatile boolean closed;
    /** What each bind registers per channel, run again for a channel added later. */
    private final List<java.util.function.Consumer<ChannelConfig>> binders =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    StationMetrics() {
        // names Prometheus's linter rejects (a unit in nanoseconds, a gauge ending in _count); process_cpu_usage
        // and the JVM's own thread and memory gauges say as much
        registry.config()
                .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
                .meterFilter(MeterFilter.deny(id -> id.getName().equals("system.cpu.count")));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** Jobs by state, and every backend's tries at each stage (series made up front for each channel's chains). */
    void bindPipeline(JobStore jobs, Pipeline pipeline, List<ChannelConfig> channels) {
        Memo<Map<String, Map<JobState, Integer>>> unfinished = new Memo<>(JOBS_EVERY_NANOS, jobs::unfinishedCounts);
        perChannel(channels, channel -> {
            for (JobState state : JobState.values()) {
                if (state.terminal()) {
                    endedCounter(channel.id(), state);
                    continue;
                }
                gauge(
                        "latenttv.jobs",
                        "Shot jobs being made, by the stage they are at",
                        null,
                        m -> unfinished
                                .get()
                                .getOrDefault(channel.id(), Map.of())
                                .getOrDefault(state, 0),
                        "channel",
                        channel.id(),
                        "state",
                        tag(state));
            }
            for (StageKind kind : StageKind.values()) {
                if (kind != StageKind.DIRECTOR) {
                    for (String backend : channel.chain(kind)) {
                        stageTimer(JobState.valueOf(kind.name()), backend);
                        stageFailures(JobState.valueOf(kind.name()), backend);
                    }
                }
            }
            stageTimer(JobState.MASTER, "ffmpeg");
            stageFailures(JobState.MASTER, "ffmpeg");
        });
        pipeline.addListener(new PipelineListener() {
            @Override
            public void changed(ShotJob job) {
                if (job.state().terminal()) {
                    endedCounter(job.channelId(), job.state()).increment();
                }
            }

            @Override
            public void stageTried(ShotJob job, JobState stage, String backend, double seconds, boolean succeeded) {
                stageTimer(stage, backend).record(Duration.ofNanos((long) (seconds * 1e9)));
                if (!succeeded) {
                    stageFailures(stage, backend).increment();
                }
            }
        });
    }

    /** The circuit of each endpoint of each remote backend. */
    void bindBackends(Backends backends) {
        backends.circuits().forEach((backend, circuits) -> {
            for (int i = 0; i < circuits.size(); i++) {
                int endpoint = i;
                gauge(
                        "latenttv.backend.circuit.state",
                        "Circuit of a backend's endpoint: 0 closed, 1 half-open (one trial call), 2 open (skipped)",
                        null,
                        m -> circuitValue(backends.circuits().get(backend).get(endpoint)),
                        "backend",
                        backend,
                        "endpoint",
                        Integer.toString(endpoint));
            }
        });
    }

    /** Lookahead, generation state, airings by kind, push targets and dropped now-playing events. */
    void bindPlayout(Playout playout, List<ChannelConfig> channels, Function<String, Lookahead.Generation> generation) {
        perChannel(channels, channel -> {
            String id = channel.id();
            gauge(
                    "latenttv.lookahead.fresh",
                    "Seconds of fresh (never aired) clips ready for the channel",
                    "seconds",
                    m -> playout.unairedFreshSeconds(id),
                    "channel",
                    id);
            gauge(
                    "latenttv.lookahead.target",
                    "Seconds of fresh clips the channel keeps ready (its lookahead)",
                    "seconds",
                    m -> playout.lookaheadSeconds(id),
                    "channel",
                    id);
            gauge(
                    "latenttv.generation.failing",
                    "1 while the channel's shots keep failing (it airs reruns or the slate meanwhile)",
                    null,
                    m -> generation.apply(id).failing() ? 1 : 0,
                    "channel",
                    id);
            counter(
                    "latenttv.airings",
                    "Airings decided: fresh clips, reruns and slates",
                    m -> playout.airingCounts(id).fresh(),
                    "channel",
                    id,
                    "kind",
                    "fresh");
            counter(
                    "latenttv.airings",
                    "Airings decided: fresh clips, reruns and slates",
                    m -> playout.airingCounts(id).reruns(),
                    "channel",
                    id,
                    "kind",
                    "rerun");
            counter(
                    "latenttv.airings",
                    "Airings decided: fresh clips, reruns and slates",
                    m -> playout.airingCounts(id).slates(),
                    "channel",
                    id,
                    "kind",
                    "slate");
            for (PushStatus push : playout.pushes(id)) {
                String target = push.target();
                gauge(
                        "latenttv.push.up",
                        "1 while the push target's ffmpeg runs",
                        null,
                        m -> pushState(playout, id, target).up() ? 1 : 0,
                        "channel",
                        id,
                        "target",
                        target);
                counter(
                        "latenttv.push.reconnects",
                        "Times the push target's ffmpeg was started again after it ended",
                        m -> Math.max(0, pushState(playout, id, target).starts() - 1),
                        "channel",
                        id,
                        "target",
                        target);
            }
        });
        counter(
                "latenttv.playout.events.dropped",
                "Now-playing events dropped because listeners fell behind",
                m -> playout.eventsDropped());
    }

    /** Clips in the library per channel, and free space where the data lives. */
    void bindLibrary(ClipLibrary library, List<ChannelConfig> channels, Path dataDir) {
        perChannel(channels, channel -> {
            Memo<Integer> count = new Memo<>(CLIPS_EVERY_NANOS, () -> library.count(channel.id()));
            gauge(
                    "latenttv.library.clips",
                    "Clips in the channel's library",
                    null,
                    m -> count.get(),
                    "channel",
                    channel.id());
        });
        gauge("latenttv.disk.free", "Usable space on the file system of the data directory", "bytes", m -> {
            try {
                return Files.getFileStore(dataDir).getUsableSpace();
            } catch (IOException e) {
                return Double.NaN;
            }
        });
    }

    /** What retention deleted, and whether the disk guard pauses generation. */
    void bindRetention(DiskGuard guard, Retention retention) {
        gauge(
                "latenttv.generation.paused",
                "1 while the disk guard pauses generation for lack of free space (reruns air meanwhile)",
                null,
                m -> guard.paused() ? 1 : 0);
        counter("latenttv.clips.deleted", "Clips deleted by retention", m -> retention.clipsDeleted());
    }

    /** Event streams, connections and refusals of the web origin. */
    void bindWeb(WebServer web, List<ChannelConfig> channels) {
        perChannel(
                channels,
                channel -> gauge(
                        "latenttv.sse.clients",
                        "Now-playing event streams open",
                        null,
                        m -> web.eventClients(channel.id()),
                        "channel",
                        channel.id()));
        perChannel(
                channels,
                channel -> gauge(
                        "latenttv.ts.clients",
                        "Continuous MPEG-TS streams open (media centers' tuners, IPTV players)",
                        null,
                        m -> web.streamClients(channel.id()),
                        "channel",
                        channel.id()));
        counter(
                "latenttv.ts.rejected",
                "Continuous MPEG-TS streams refused because every tuner was busy (503)",
                m -> web.streamClientsRejected());
        counter(
                "latenttv.ts.dropped",
                "Continuous MPEG-TS streams dropped for falling more than their buffer behind",
                m -> web.streamClientsDropped());
        counter("latenttv.sse.rejected", "Event streams refused at a cap (503)", m -> web.eventClientsRejected());
        counter("latenttv.sse.dropped", "Event streams dropped for falling behind", m -> web.eventClientsDropped());
        gauge("latenttv.http.connections", "Connections open to the web origin", null, m -> web.connections());
        counter(
                "latenttv.http.slow.clients.closed",
                "Connections closed because their request headers did not arrive within the header timeout",
                m -> web.slowClientsClosed());
    }

    /**
     * What paid backends cost each channel: spend over the last hour and day and in all, 1 while the
     * channel is held at a budget cap, cost per aired minute (NaN before anything aired); read through
     * {@link Spending#status} at most once a second per channel.
     */
    void bindSpending(Spending spending, List<ChannelConfig> channels) {
        perChannel(channels, channel -> {
            String id = channel.id();
            Memo<Spending.ChannelSpend> spend = new Memo<>(JOBS_EVERY_NANOS, () -> spending.status(id));
            gauge(
                    "latenttv.spend.last.hour",
                    "Spent on paid backends over the last hour, in the configured currency",
                    null,
                    m -> spend.get().lastHour(),
                    "channel",
                    id);
            gauge(
                    "latenttv.spend.last.day",
                    "Spent on paid backends over the last 24 hours, in the configured currency",
                    null,
                    m -> spend.get().lastDay(),
                    "channel",
                    id);
            counter(
                    "latenttv.spend",
                    "Spent on paid backends since the channel began",
                    m -> spend.get().total(),
                    "channel",
                    id);
            gauge(
                    "latenttv.budget.capped",
                    "1 while the channel is held at a budget cap (its paid backends skipped, its chain falls back)",
                    null,
                    m -> spend.get().capped() == null ? 0 : 1,
                    "channel",
                    id);
            gauge(
                    "latenttv.cost.per.aired.minute",
                    "All the channel's spend over all the minutes of its clips aired",
                    null,
                    m -> {
                        Double cost = spend.get().costPerAiredMinute();
                        return cost == null ? Double.NaN : cost;
                    },
                    "channel",
                    id);
        });
    }

    /**
     * Registers {@code binder}'s series for each of {@code channels} now, and for every channel
     * added later ({@link #addChannel}).
     */
    private void perChannel(List<ChannelConfig> channels, java.util.function.Consumer<ChannelConfig> binder) {
        binders.add(binder);
        channels.forEach(binder);
    }

    /** A channel was put on air while the station runs: its series, as if it had been there from the start. */
    void addChannel(ChannelConfig channel) {
        if (!closed) {
            binders.forEach(b -> b.accept(channel));
        }
    }

    /** A channel went off air (or is about to be added again, changed): its series go. */
    void removeChannel(String channelId) {
        for (io.micrometer.core.instrument.Meter meter : registry.getMeters()) {
            if (channelId.equals(meter.getId().getTag("channel"))) {
                registry.remove(meter);
            }
        }
    }

    /** A request the web answered: counted by method, route template and status class, with its duration. */
    void requestHandled(String method, String route, int status, long nanos) {
        if (closed) {
            return;
        }
        String statusClass = status >= 100 && status < 600 ? (status / 100) + "xx" : "other";
        String key = method + ' ' + route + ' ' + statusClass;
        Timer timer = requests.computeIfAbsent(key, k -> Timer.builder("latenttv.http.requests")
                .description("Requests answered by the web origin")
                .tags("method", method, "route", route, "status", statusClass)
                .serviceLevelObjectives(HTTP_BUCKETS)
                .register(registry));
        timer.record(Duration.ofNanos(Math.max(0, nanos)));
    }

    /** Every metric, now, in the Prometheus text exposition format (0.0.4). */
    String scrape() {
        return registry.scrape();
    }

    private Timer stageTimer(JobState stage, String backend) {
        return Timer.builder("latenttv.stage.duration")
                .description("Time of one backend's try at a stage")
                .tags("stage", tag(stage), "backend", backend)
                .serviceLevelObjectives(STAGE_BUCKETS)
                .register(registry);
    }

    private Counter stageFailures(JobState stage, String backend) {
        return Counter.builder("latenttv.stage.failures")
                .description("Tries of a stage that failed, by backend")
                .tags("stage", tag(stage), "backend", backend)
                .register(registry);
    }

    private Counter endedCounter(String channelId, JobState state) {
        return Counter.builder("latenttv.jobs.ended")
                .description("Shot jobs mastered or failed for good")
                .tags("channel", channelId, "state", tag(state))
                .register(registry);
    }

    private static String tag(JobState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static double circuitValue(EndpointPool.Circuit circuit) {
        return switch (circuit) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    private static PushStatus pushState(Playout playout, String channelId, String target) {
        return playout.pushes(channelId).stream()
                .filter(p -> p.target().equals(target))
                .findFirst()
                .orElseThrow();
    }

    /** A gauge read at each scrape; a value that cannot be read now shows as NaN (and logs nothing). */
    private void gauge(
            String name, String description, String unit, ToDoubleFunction<StationMetrics> value, String... tags) {
        Gauge.builder(name, this, m -> {
                    try {
                        return value.applyAsDouble(m);
                    } catch (RuntimeException e) {
                        return Double.NaN;
                    }
                })
                .description(description)
                .baseUnit(unit)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }

    /** A counter kept elsewhere (a getter), read at each scrape. */
    private void counter(String name, String description, ToDoubleFunction<StationMetrics> value, String... tags) {
        FunctionCounter.builder(name, this, m -> {
                    try {
                        return value.applyAsDouble(m);
                    } catch (RuntimeException e) {
                        return 0;
                    }
                })
                .description(description)
                .tags(tags)
                .register(registry);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        gc.close();
        registry.close();
    }

    /** A value read at most once per interval: a scrape every second costs one query, not one per series. Thread-safe. */
    private static final class Memo<T> {
        @FunctionalInterface
        interface Read<T> {
            T read() throws SQLException;
        }

        private record Value<T>(long at, T value) {}

        private final long everyNanos;
        private final Read<T> read;
        private volatile Value<T> last;

        Memo(long everyNanos, Read<T> read) {
            this.everyNanos = everyNanos;
            this.read = read;
        }

        T get() {
            Value<T> v = last;
            long now = System.nanoTime();
            if (v != null && now - v.at() < everyNanos) {
                return v.value();
            }
            try {
                T fresh = read.read();
                last = new Value<>(now, fresh);
                return fresh;
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e); // the gauge shows NaN
            }
        }
    }
}
