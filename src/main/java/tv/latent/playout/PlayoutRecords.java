package tv.latent.playout;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tv.latent.library.Database;

/**
 * What playout's records say about clips, for retention: which clips a channel still needs, and
 * taking a clip out of a channel's programming. The SQL stays with its tables ({@link
 * Programming}, {@link Timeline}); every question is a few indexed reads, whatever the size of
 * the library and of the channel's history.
 *
 * <pre>{@code
 * PlayoutRecords records = new PlayoutRecords(db);
 * Map<String, PlayoutRecords.Need> needed = records.needed("nature", candidates);
 * db.write(c -> { records.forget(c, "nature", clipId); ...delete the clip's row...; return null; });
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class PlayoutRecords {
    /**
     * Reruns next in line that are needed: the scheduler may be choosing among them at this very
     * moment (it decides a few seconds ahead, and at most a few airings at once).
     */
    public static final int RERUNS_AHEAD = 8;

    /** Newest airings whose clips are needed: on air, decided ahead, and just aired (the live window and more). */
    public static final int AIRINGS_KEPT = Timeline.KEPT_IN_MEMORY;

    private final Database db;

    public PlayoutRecords(Database db) {
        this.db = db;
    }

    /** Why playout still needs a clip. */
    public enum Need {
        /** Never aired: taken in as fresh (or held for an operator), or arrived and not taken in yet. */
        FRESH("fresh: not aired yet"),
        /** One of the channel's newest airings: on air, decided ahead, or just aired. */
        ON_TIMELINE("on the timeline (on air, scheduled or just aired)"),
        /** Among the next reruns the scheduler may choose. */
        NEXT_RERUN("next in line to rerun");

        private final String reason;

        Need(String reason) {
            this.reason = reason;
        }

        /** The reason in words, for logs and the {@code prune --dry-run} listing. */
        public String reason() {
            return reason;
        }
    }

    /** A clip of the library as retention names it: its id and its position in the order of arrival. */
    public record ClipRef(String clipId, long seq) {}

    /**
     * Which of {@code clips} (all of channel {@code channelId}) its playout still needs, and why;
     * clips absent from the answer are not needed. Four indexed reads.
     */
    public Map<String, Need> needed(String channelId, Collection<ClipRef> clips) throws SQLException {
        return db.read(c -> {
            long seen = Programming.seenSeq(c, channelId);
            Map<String, String> states = Programming.states(
                    c, channelId, clips.stream().map(ClipRef::clipId).toList());
            Set<String> onTimeline = Timeline.recentClipIds(c, channelId, AIRINGS_KEPT);
            List<String> reruns = Programming.nextReruns(c, channelId, RERUNS_AHEAD);
            Map<String, Need> out = new HashMap<>();
            for (ClipRef clip : clips) {
                String state = states.get(clip.clipId());
                if (onTimeline.contains(clip.clipId())) {
                    out.put(clip.clipId(), Need.ON_TIMELINE);
                } else if (reruns.contains(clip.clipId())) {
                    out.put(clip.clipId(), Need.NEXT_RERUN);
                } else if ("FRESH".equals(state) || "HELD".equals(state) || (state == null && clip.seq() > seen)) {
                    out.put(clip.clipId(), Need.FRESH);
                }
            }
            return out;
        });
    }

    /**
     * Takes a clip out of the channel's programming inside a caller's transaction: from its commit
     * on, the scheduler can never choose it again.
     */
    public void forget(Connection c, String channelId, String clipId) throws SQLException {
        Programming.forget(c, channelId, clipId);
    }
}
