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
 * @param priority jobs of a higher priority run first, and jobs of priority 0 start no stage while
 *     one is made (0: the lookahead's shots; {@link #AHEAD}: a viewer's)
 * @param continues the id of the job this shot continues (starts from its last frame), or empty
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
        Instant updatedAt,
        int priority,
        String continues) {

    /** The priority of a shot that must air as soon as it can (a viewer's). */
    public static final int AHEAD = 1;

    /** What a refused shot's reason says after its stage, e.g. "render refused: content policy ...". */
    public static final String REFUSED = " refused: ";

    public ShotJob {
        order = List.copyOf(order);
        outputs = inStageOrder(order, outputs);
        continues = continues == null ? "" : continues;
    }

    /** Whether the job failed because a model refused its content (the director writes another shot). */
    public boolean refused() {
        return state == JobState.FAILED && lastError.contains(REFUSED);
    }

    /** The same job continuing {@code jobId}. */
    ShotJob continuing(String jobId) {
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
                version,
                createdAt,
                updatedAt,
                priority,
                jobId);
    }

    /** A job of the lookahead's priority (0). */
    public ShotJob(
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
        this(
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
                version,
                createdAt,
                updatedAt,
                0,
                "");
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

    /** The start of the reason of a job an operator cancelled: "cancelled by {operator}". */
    public static final String CANCELLED = "cancelled by ";

    /** True when an operator cancelled the job (it failed for no fault of a backend). */
    public boolean cancelled() {
        return state == JobState.FAILED && lastError.startsWith(CANCELLED);
    }

    /**
     * An operator sends the failed job back to work at {@code stage}, keeping {@code kept} (the
     * outputs of the stages before it): fresh attempts, due now.
     */
    public ShotJob retried(JobState stage, Map<JobState, StageRecord> kept, Instant now) {
        return changed(stage, 0, now, "", kept, now);
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
                updatedAt,
                priority,
                continues);
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
                now,
                priority,
                continues);
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
