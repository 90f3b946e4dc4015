package tv.latent.pipeline;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tv.latent.director.ShotPlan;

/**
 * One shot's journey through the stages, as stored (one row per shot).
 *
 * <p>A job changes only through its named transitions ({@link #advanced}, {@link #retryAt},
 * {@link #failed}, {@link #mastered}); {@link JobStore#update} checks each against the
 * {@link JobState} table and the version. Immutable.
 *
 * @param order the stages this job goes through, in order
 * @param outputs what each finished stage made, by stage, iterated in the job's stage order
 * @param version increases with every stored change; an update naming an old version is a lost write
 */
public record ShotJob(
        String id,
        String channelId,
        ShotPlan plan,
        String director,
        String directorNote,
        List<JobState> order,
        JobState state,
        int attempts,
        Instant nextAttemptAt,
        String lastError,
        Map<JobState, StageRecord> outputs,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public ShotJob {
        order = List.copyOf(order);
        outputs = inStageOrder(order, outputs);
    }

    /** The outputs ordered as the job runs its stages (then MASTER), so provenance reads the same on every run. */
    private static Map<JobState, StageRecord> inStageOrder(List<JobState> order, Map<JobState, StageRecord> outputs) {
        Map<JobState, StageRecord> ordered = new LinkedHashMap<>();
        for (JobState stage : order) {
            StageRecord record = outputs.get(stage);
            if (record != null) {
                ordered.put(stage, record);
            }
        }
        for (var e : outputs.entrySet()) {
            ordered.putIfAbsent(e.getKey(), java.util.Objects.requireNonNull(e.getValue(), "stage record"));
        }
        return Collections.unmodifiableMap(ordered);
    }

    /**
     * {@code stage} made (or planned) {@code record}: the job moves on to the next stage of its
     * order, fresh attempts.
     */
    public ShotJob advanced(JobState stage, StageRecord record, Instant now) {
        return changed(after(stage), 0, now, "", withOutput(stage, record), now);
    }

    /** The current stage failed and is tried again at {@code at}; {@code attempts} counts the tries so far. */
    public ShotJob retryAt(int attempts, Instant at, String error, Instant now) {
        return changed(state, attempts, at, error, outputs, now);
    }

    /** The job gives up with its reason. */
    public ShotJob failed(int attempts, String error, Instant now) {
        return changed(JobState.FAILED, attempts, now, error, outputs, now);
    }

    /** The master stage made the clip: the job is done. */
    public ShotJob mastered(StageRecord master, Instant now) {
        return changed(JobState.MASTERED, 0, now, "", withOutput(JobState.MASTER, master), now);
    }

    /** The same job as stored with {@code storedVersion}. */
    ShotJob withVersion(long storedVersion) {
        return new ShotJob(
                id,
                channelId,
                plan,
                director,
                directorNote,
                order,
                state,
                attempts,
                nextAttemptAt,
                lastError,
                outputs,
                storedVersion,
                createdAt,
                updatedAt);
    }

    private Map<JobState, StageRecord> withOutput(JobState stage, StageRecord record) {
        Map<JobState, StageRecord> next = new LinkedHashMap<>(outputs);
        next.put(stage, record);
        return next;
    }

    private ShotJob changed(
            JobState nextState,
            int nextAttempts,
            Instant nextAttempt,
            String error,
            Map<JobState, StageRecord> nextOutputs,
            Instant now) {
        return new ShotJob(
                id,
                channelId,
                plan,
                director,
                directorNote,
                order,
                nextState,
                nextAttempts,
                nextAttempt,
                error,
                nextOutputs,
                version,
                createdAt,
                now);
    }

    /** The stage after {@code stage} in this job's order, or MASTERED after the last. */
    public JobState after(JobState stage) {
        int i = order.indexOf(stage);
        return i < 0 || i == order.size() - 1 ? JobState.MASTERED : order.get(i + 1);
    }

    /** The latest video made so far before {@code stage}: the input of a video stage. */
    public StageRecord videoBefore(JobState stage) {
        StageRecord latest = null;
        for (JobState s : order) {
            if (s == stage) {
                break;
            }
            if (s.makesVideo() && outputs.containsKey(s)) {
                latest = outputs.get(s);
            }
        }
        return latest;
    }

    /**
     * What one stage made, or, for a stage made only of ffmpeg filters, what it planned: its filters
     * then run inside a later ffmpeg run (see {@code Fusion}) and it made no file of its own.
     *
     * @param file the output, relative to the data directory; empty when the stage was planned
     * @param fallback empty, or which backends failed before this one and why
     */
    public record StageRecord(
            String file, String backend, Map<String, String> params, double seconds, String fallback) {
        public StageRecord {
            file = file == null ? "" : file;
            // kept in the order the backend gave them: provenance and the mp4 comment read the same on every run
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
            fallback = fallback == null ? "" : fallback;
        }

        /** Whether the stage was planned (fused into a later run) rather than run on its own. */
        public boolean planned() {
            return file.isEmpty();
        }
    }
}
