package tv.latent.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.library.Database;

/**
 * The audit log: every operator and moderation action, who did what to what, when and why, kept in
 * the database ({@code audit_log}, append-only) and read newest first a page at a time.
 *
 * <pre>{@code
 * Audit audit = new Audit(db, InstantSource.system(), Duration.ofDays(400));
 * audit.record("alice", "clip.off-air", "tv/clip-42", "viewer complaint");
 * Audit.Page page = audit.page(OptionalLong.empty(), 50);   // newest 50
 * Audit.Page older = audit.page(page.next(), 50);           // the 50 before them
 * }</pre>
 *
 * <p>Entries older than {@code keep} are deleted, in batches, at most once an hour from
 * {@link #record} (and when {@link #prune} is called): the table stays bounded by the retention age.
 * Every text is capped ({@link #TEXT_MAX} characters) so one entry cannot grow the table without bound.
 *
 * <p>Thread-safe.
 */
public final class Audit {
    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);
    /** Longest actor, action, subject or detail kept; longer ones are cut with an ellipsis. */
    public static final int TEXT_MAX = 1_000;
    /** Most entries one page shows. */
    public static final int PAGE_MAX = 500;

    private static final int PRUNE_BATCH = 1_000;
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final Database db;
    private final InstantSource clock;
    private final Duration keep;
    private final AtomicLong lastPruneMs;

    /** One action. */
    public record Entry(long id, Instant at, String actor, String action, String subject, String detail) {}

    /**
     * Entries newest first, and where the next (older) page starts.
     *
     * @param next the argument for the next page; empty on the last page
     */
    public record Page(List<Entry> entries, OptionalLong next) {
        public Page {
            entries = List.copyOf(entries);
        }
    }

    /** @param keep entries older than this are deleted */
    public Audit(Database db, InstantSource clock, Duration keep) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("the audit log must be kept for a positive time, got " + keep);
        }
        this.keep = keep;
        this.lastPruneMs = new AtomicLong(clock.millis() - PRUNE_EVERY.toMillis()); // the first record prunes
    }

    /**
     * Appends an entry, now.
     *
     * @param actor who: an operator's name, {@code system}, {@code moderation}, {@code viewer:<id>}
     * @param action what, as a dotted word ({@code channel.create}, {@code clip.off-air}, {@code login.failed})
     * @param subject what it was done to ({@code channel tv}, {@code clip 1234}); may be empty
     * @param detail why, or what changed; may be empty
     */
    public void record(String actor, String action, String subject, String detail) throws SQLException {
        long now = clock.millis();
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO audit_log (at_ms, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)")) {
                s.setLong(1, now);
                s.setString(2, capped(actor));
                s.setString(3, capped(action));
                s.setString(4, capped(subject));
                s.setString(5, capped(detail));
                s.executeUpdate();
            }
            return null;
        });
        long last = lastPruneMs.get();
        if (now - last >= PRUNE_EVERY.toMillis() && lastPruneMs.compareAndSet(last, now)) {
            try {
                prune();
            } catch (SQLException e) {
                LOG.warn("pruning the audit log failed (tried again in an hour): {}", e.toString());
            }
        }
    }

    /**
     * A page of entries, newest first.
     *
     * @param before only entries with an id below this (a previous page's {@link Page#next}); empty for the newest
     * @param size 1 to {@link #PAGE_MAX}
     */
    public Page page(OptionalLong before, int size) throws SQLException {
        if (size < 1 || size > PAGE_MAX) {
            throw new IllegalArgumentException("page size must be 1.." + PAGE_MAX + ", got " + size);
        }
        List<Entry> entries = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id, at_ms, actor, action, subject, detail FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?")) {
                s.setLong(1, before.orElse(Long.MAX_VALUE));
                s.setInt(2, size + 1);
                List<Entry> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new Entry(
                                r.getLong(1),
                                Instant.ofEpochMilli(r.getLong(2)),
                                r.getString(3),
                                r.getString(4),
                                r.getString(5),
                                r.getString(6)));
                    }
                }
                return out;
            }
        });
        if (entries.size() <= size) {
            return new Page(entries, OptionalLong.empty());
        }
        List<Entry> shown = entries.subList(0, size);
        return new Page(shown, OptionalLong.of(shown.getLast().id()));
    }

    /** Deletes the entries older than the retention age, in batches; returns how many went. */
    public int prune() throws SQLException {
        long cutoff = clock.millis() - keep.toMillis();
        int total = 0;
        while (true) {
            int deleted = db.write(c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at_ms < ? ORDER BY at_ms, id LIMIT ?)")) {
                    s.setLong(1, cutoff);
                    s.setInt(2, PRUNE_BATCH);
                    return s.executeUpdate();
                }
            });
            total += deleted;
            if (deleted < PRUNE_BATCH) {
                return total;
            }
        }
    }

    private static String capped(String text) {
        String value = text == null ? "" : text;
        return value.length() <= TEXT_MAX ? value : value.substring(0, TEXT_MAX - 1) + "…";
    }
}
