package tv.latent.station;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.PipelineListener;
import tv.latent.pipeline.ShotJob;
import tv.latent.time.MonotonicClock;

/**
 * Each backend's calls and failures in the last hour and its latest errors, for the console, fed
 * by the pipeline's {@link PipelineListener#stageTried} (each backend's try at a stage) and
 * {@link PipelineListener#changed} (the error a failed try left on its job).
 *
 * <p>Bounded: per backend, 60 one-minute counters and the {@link #ERRORS_KEPT} latest errors; at
 * most {@link #BACKENDS} backends and {@link #TRIES_KEPT} jobs with failed tries not yet explained.
 * Thread-safe.
 */
final class BackendStats implements PipelineListener {
    static final int ERRORS_KEPT = 5;
    static final int BACKENDS = 256;
    static final int TRIES_KEPT = 1_000;
    private static final int MINUTES = 60;
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final MonotonicClock clock;
    private final InstantSource wall;
    /** By stage and name ("upscale/ffmpeg"): a built-in name serves several stages. */
    private final Map<String, Counts> byBackend = new LinkedHashMap<>();
    /** Backends (stage/name) whose try at a job's current stage failed, until the job's next change says why. */
    private final Map<String, List<String>> failedTries = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
            return size() > TRIES_KEPT;
        }
    };

    /** One backend: calls and failures per minute (a ring), and its latest errors, newest first. */
    private static final class Counts {
        final String name;
        final String stage;
        final long[] calls = new long[MINUTES];
        final long[] failures = new long[MINUTES];
        final long[] minuteOf = new long[MINUTES];
        final ArrayDeque<String> errors = new ArrayDeque<>();

        Counts(String name, String stage) {
            this.name = name;
            this.stage = stage;
        }

        void count(long minute, boolean failed) {
            int slot = (int) Math.floorMod(minute, (long) MINUTES);
            if (minuteOf[slot] != minute) {
                minuteOf[slot] = minute;
                calls[slot] = 0;
                failures[slot] = 0;
            }
            calls[slot]++;
            if (failed) {
                failures[slot]++;
            }
        }

        long sum(long[] counts, long minute) {
            long total = 0;
            for (int i = 0; i < MINUTES; i++) {
                if (minute - minuteOf[i] < MINUTES && minuteOf[i] <= minute) {
                    total += counts[i];
                }
            }
            return total;
        }
    }

    /** A backend's last hour, for the console. {@code errors}: "time: reason", newest first (not yet redacted). */
    record Hour(String backend, String stage, long calls, long failures, List<String> errors) {}

    BackendStats(MonotonicClock clock, InstantSource wall) {
        this.clock = clock;
        this.wall = wall;
    }

    @Override
    public void stageTried(ShotJob job, JobState stage, String backend, double seconds, boolean succeeded) {
        long minute = Math.floorDiv(clock.nanos(), MINUTE_NANOS);
        synchronized (this) {
            String key = stage.name().toLowerCase(java.util.Locale.ROOT) + "/" + backend;
            Counts counts = byBackend.get(key);
            if (counts == null && byBackend.size() < BACKENDS) {
                counts = new Counts(backend, stage.name().toLowerCase(java.util.Locale.ROOT));
                byBackend.put(key, counts);
            }
            if (counts == null) {
                return;
            }
            counts.count(minute, !succeeded);
            if (!succeeded) {
                failedTries.computeIfAbsent(job.id(), k -> new ArrayList<>()).add(key);
            }
        }
    }

    @Override
    public void changed(ShotJob job) {
        String reason = job.lastError();
        if (reason.isEmpty()) {
            // a fallback made the output: the failed backends' reasons are in its record
            ShotJob.StageRecord last = null;
            for (ShotJob.StageRecord record : job.outputs().values()) {
                last = record;
            }
            reason = last == null ? "" : last.fallback();
        }
        String at = Instant.ofEpochMilli(wall.millis()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "";
        synchronized (this) {
            List<String> failed = failedTries.remove(job.id());
            if (failed == null || reason.isEmpty()) {
                return;
            }
            for (String backend : failed) {
                Counts counts = byBackend.get(backend);
                if (counts != null) {
                    counts.errors.addFirst(
                            at + ": " + (reason.length() > 500 ? reason.substring(0, 499) + "…" : reason));
                    while (counts.errors.size() > ERRORS_KEPT) {
                        counts.errors.removeLast();
                    }
                }
            }
        }
    }

    /** Every backend heard of, in the order first heard. */
    synchronized List<Hour> lastHour() {
        long minute = Math.floorDiv(clock.nanos(), MINUTE_NANOS);
        List<Hour> out = new ArrayList<>();
        byBackend
                .values()
                .forEach(c -> out.add(new Hour(
                        c.name, c.stage, c.sum(c.calls, minute), c.sum(c.failures, minute), List.copyOf(c.errors))));
        return out;
    }
}
