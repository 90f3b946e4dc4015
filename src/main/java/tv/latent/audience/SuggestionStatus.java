package tv.latent.audience;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.JobStore;
import tv.latent.pipeline.ShotJob;
import tv.latent.playout.Playout;
import tv.latent.time.MonotonicClock;

/**
 * What a viewer is told of a suggestion: where it is in words ("In the queue with 3 votes.",
 * "Being made: airs in about 40 s.", "On air now!") and when it should air. While its shot is
 * made, the wait is the stages left at the channel's recent pace (read once a minute) or the
 * channel's decided timeline, whichever is longer; once made, its place on the timeline.
 *
 * <p>Thread-safe (a desk's pace is replaced whole).
 */
final class SuggestionStatus {
    /** Until a channel has made shots, each stage is guessed at this long. */
    private static final double STAGE_GUESS_SECONDS = 8;

    private final Playout playout;
    private final JobStore jobs;
    private final MonotonicClock monotonic;

    SuggestionStatus(Playout playout, JobStore jobs, MonotonicClock monotonic) {
        this.playout = playout;
        this.jobs = jobs;
        this.monotonic = monotonic;
    }

    SuggestionView view(ChannelDesk desk, Suggestion s, Instant now) {
        Optional<Duration> airsIn = Optional.empty();
        String status;
        switch (s.state()) {
            case PENDING -> status = "Waiting for a moderator's approval.";
            case QUEUED -> status = "In the queue with " + s.votes() + " vote" + (s.votes() == 1 ? "" : "s") + ".";
            case MAKING -> {
                airsIn = makingEta(desk, s, now);
                status = airsIn.map(d -> "Being made: airs in about " + about(d) + ".")
                        .orElse("Being made now.");
            }
            case READY -> {
                if (held(desk, s)) {
                    status = "Made: waiting for the operator's approval to air.";
                } else {
                    airsIn = readyEta(desk, s, now);
                    status = airsIn.map(d -> "Made: airs in about " + about(d) + ".")
                            .orElse("Made: airs next.");
                }
            }
            case ON_AIR -> {
                airsIn = Optional.of(Duration.ZERO);
                status = "On air now!";
            }
            case AIRED -> status = "Aired.";
            case REJECTED -> status = "A moderator decided not to use it.";
            case EXPIRED -> status = "Nobody picked it in time.";
            case FAILED -> status = "Sorry, it could not be made.";
            case REMOVED -> status = "Its clip was taken off air.";
            default -> throw new IllegalStateException(s.state().name());
        }
        return new SuggestionView(
                s.channelId(),
                s.number(),
                s.text(),
                s.displayName(),
                s.source(),
                s.state(),
                s.votes(),
                status,
                airsIn,
                s.createdAt());
    }

    private boolean held(ChannelDesk desk, Suggestion s) {
        try {
            return s.jobId().isPresent()
                    && playout.programmingState(desk.id, s.jobId().get())
                            .filter("HELD"::equals)
                            .isPresent();
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /**
     * While its shot is made: the stages left at the channel's recent pace, then the channel's
     * decided timeline (a clip mastered now airs after what is decided already).
     */
    private Optional<Duration> makingEta(ChannelDesk desk, Suggestion s, Instant now) {
        try {
            Optional<ShotJob> job =
                    s.jobId().isEmpty() ? Optional.empty() : jobs.find(s.jobId().get());
            Map<JobState, Double> pace = stageSeconds(desk);
            double left = 0;
            List<JobState> stages = job.map(ShotJob::order).orElse(JobState.order(true));
            for (JobState stage : stages) {
                if (job.isEmpty() || !job.get().outputs().containsKey(stage)) {
                    left += pace.getOrDefault(stage, STAGE_GUESS_SECONDS);
                }
            }
            if (job.isPresent()) {
                double spent = Duration.between(job.get().updatedAt(), now).toMillis() / 1000.0;
                double current = pace.getOrDefault(job.get().state(), STAGE_GUESS_SECONDS);
                left -= Math.min(Math.max(0, spent), current * 0.9);
            }
            Duration making = Duration.ofMillis(Math.round(Math.max(1, left) * 1000));
            Duration decided = playout.decidedUntil(desk.id)
                    .map(until -> Duration.between(now, until))
                    .filter(d -> !d.isNegative())
                    .orElse(Duration.ZERO);
            return Optional.of(making.compareTo(decided) > 0 ? making : decided);
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<Duration> readyEta(ChannelDesk desk, Suggestion s, Instant now) {
        try {
            Optional<Instant> at = playout.scheduledStart(desk.id, s.jobId().orElseThrow());
            if (at.isEmpty()) {
                at = playout.decidedUntil(desk.id);
            }
            return at.map(t -> Duration.between(now, t)).map(d -> d.isNegative() ? Duration.ZERO : d);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The channel's seconds per stage over its latest mastered shots (looked at once a minute). */
    private Map<JobState, Double> stageSeconds(ChannelDesk desk) throws SQLException {
        long now = monotonic.nanos();
        if (now - desk.stageSecondsAtNanos < Duration.ofMinutes(1).toNanos()) {
            return desk.stageSeconds;
        }
        Map<JobState, double[]> sums = new EnumMap<>(JobState.class);
        for (ShotJob job : jobs.list(desk.id, 30)) {
            if (job.state() == JobState.MASTERED) {
                job.outputs().forEach((stage, record) -> {
                    double[] sum = sums.computeIfAbsent(stage, k -> new double[2]);
                    sum[0] += record.seconds();
                    sum[1]++;
                });
            }
        }
        Map<JobState, Double> pace = new EnumMap<>(JobState.class);
        sums.forEach((stage, sum) -> pace.put(stage, sum[0] / sum[1]));
        desk.stageSeconds = pace;
        desk.stageSecondsAtNanos = now;
        return pace;
    }

    /** "45 s", "2 min", "3 h": rounded up. */
    static String about(Duration d) {
        long seconds = Math.max(1, (d.toMillis() + 999) / 1000);
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = (seconds + 59) / 60;
        if (minutes < 60) {
            return minutes + " min";
        }
        return ((minutes + 59) / 60) + " h";
    }
}
