package tv.latent.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import tv.latent.director.ShotPlan;

/**
 * One shot's journey through the stages, as stored (one row per shot).
 *
 * @param order the stages this job goes through, in order
 * @param outputs what each finished stage made, by stage
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
        outputs = Map.copyOf(outputs);
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
            if (s != JobState.SCORE && outputs.containsKey(s)) {
                latest = outputs.get(s);
            }
        }
        return latest;
    }

    /**
     * What one stage made.
     *
     * @param file the output, relative to the data directory
     * @param fallback empty, or which backends failed before this one and why
     */
    public record StageRecord(
            String file, String backend, Map<String, String> params, double seconds, String fallback) {
        public StageRecord {
            params = Map.copyOf(params);
            fallback = fallback == null ? "" : fallback;
        }
    }
}
