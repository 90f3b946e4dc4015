package tv.latent.pipeline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.config.Budget;
import tv.latent.library.Database;

/**
 * What paid backends cost, and the caps that bound it: each channel's hourly and daily budget and
 * the station's over all channels (rolling windows on the wall clock). Before a paid call the
 * pipeline {@linkplain #reserve reserves} its estimated cost; a reservation that would pass a cap
 * is refused with the reason, and the chain falls back to the next backend (ultimately the free
 * embedded engines). A call that made something {@linkplain Reservation#commit commits} what it
 * actually cost (one row in {@code spend}, the channel's running total); a failed one releases its
 * reservation. Reserving before calling is what makes caps hold with jobs running at once.
 *
 * <pre>{@code
 * Spending spending = new Spending(db, "USD", Budget.UNLIMITED, Map.of("news", new Budget(1, 10)), clock);
 * Spending.Reservation r = spending.reserve("news", "fal", 0.12).orElseThrow(...);
 * r.commit(jobId, JobState.RENDER, 0.11);
 * }</pre>
 *
 * <p>Bounded: the {@code spend} table keeps a week of rows (older ones are pruned as new ones are
 * written); totals per channel are kept for good in {@code channel_costs}. Thread-safe.
 */
public final class Spending {
    private static final Logger LOG = LoggerFactory.getLogger(Spending.class);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration KEPT = Duration.ofDays(7);
    private static final int PRUNE_EVERY = 500;

    private final Database db;
    private final String currency;
    private final Budget station;
    private volatile Map<String, Budget> channels;
    private final InstantSource clock;
    private final Map<String, Double> reserved = new HashMap<>();
    private final Map<String, Double> averageCost = new HashMap<>();
    private final Map<String, String> lastRefusal = new HashMap<>();
    /** Aired seconds not yet written: an airing is counted in memory, written at most every {@link #AIRED_SAVE}. */
    private final Map<String, Double> unsavedAired = new HashMap<>();

    private double reservedTotal;
    private int writes;
    private long airedSavedAtMillis = Long.MIN_VALUE;

    /** How often aired seconds are written: the playout's airings must not each cost a write transaction. */
    private static final Duration AIRED_SAVE = Duration.ofSeconds(30);

    public Spending(Database db, String currency, Budget station, Map<String, Budget> channels, InstantSource clock) {
        this.db = db;
        this.currency = currency;
        this.station = station;
        this.channels = Map.copyOf(channels);
        this.clock = clock;
    }

    /** Sets a channel's own caps (a channel made or changed while the station runs). */
    public synchronized void budget(String channelId, Budget budget) {
        Map<String, Budget> next = new HashMap<>(channels);
        next.put(channelId, budget);
        channels = Map.copyOf(next);
    }

    /** The unit prices and caps are given in. */
    public String currency() {
        return currency;
    }

    /** An estimate of one call's cost held against the caps until committed or released. */
    public final class Reservation {
        private final String channelId;
        private final String backend;
        private final double amount;
        private boolean done;

        private Reservation(String channelId, String backend, double amount) {
            this.channelId = channelId;
            this.backend = backend;
            this.amount = amount;
        }

        /** Records what the call cost and frees the estimate. */
        public void commit(String jobId, JobState stage, double cost) throws SQLException {
            release();
            record(channelId, jobId, stage, backend, cost);
        }

        /** Frees the estimate: the call made nothing that is paid for. Idempotent. */
        public void release() {
            synchronized (Spending.this) {
                if (!done) {
                    done = true;
                    reserved.merge(channelId, -amount, Double::sum);
                    reservedTotal -= amount;
                }
            }
        }
    }

    /**
     * Holds {@code estimate} against the channel's and the station's caps for a call to
     * {@code backend}, or says which cap it would pass.
     *
     * @return the reservation, or empty with the reason readable from {@link #refusal}
     */
    public synchronized Optional<Reservation> reserve(String channelId, String backend, double estimate)
            throws SQLException {
        double guess = Math.max(estimate, averageCost.getOrDefault(backend, 0.0));
        Budget own = channels.getOrDefault(channelId, Budget.UNLIMITED);
        long now = clock.millis();
        double pending = reserved.getOrDefault(channelId, 0.0);
        String why = null;
        if (own.limited() || station.limited()) {
            double channelHour = sum(channelId, now - HOUR.toMillis());
            double channelDay = sum(channelId, now - DAY.toMillis());
            double stationHour = sum(null, now - HOUR.toMillis());
            double stationDay = sum(null, now - DAY.toMillis());
            why = over("channel hourly", channelHour + pending, guess, own.hourly());
            why = why != null ? why : over("channel daily", channelDay + pending, guess, own.daily());
            why = why != null ? why : over("station hourly", stationHour + reservedTotal, guess, station.hourly());
            why = why != null ? why : over("station daily", stationDay + reservedTotal, guess, station.daily());
        }
        if (why != null) {
            if (lastRefusal.put(channelId, why) == null) {
                LOG.warn("Channel {}: paid backends skipped until spend falls under the cap: {}", channelId, why);
            }
            return Optional.empty();
        }
        if (lastRefusal.remove(channelId) != null) {
            LOG.info("Channel {}: back under its budget caps, paid backends are used again", channelId);
        }
        reserved.merge(channelId, guess, Double::sum);
        reservedTotal += guess;
        return Optional.of(new Reservation(channelId, backend, guess));
    }

    /** Why the channel's last reservation was refused, while it was. */
    public synchronized Optional<String> refusal(String channelId) {
        return Optional.ofNullable(lastRefusal.get(channelId));
    }

    private String over(String cap, double spent, double estimate, double limit) {
        if (Double.isInfinite(limit) || spent + estimate <= limit + 1e-9) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "%s budget of %.2f %s reached (%.2f spent or held, this call about %.2f)",
                cap,
                limit,
                currency,
                spent,
                estimate);
    }

    private String reached(String cap, double spent, double limit) {
        if (Double.isInfinite(limit) || spent < limit - 1e-9) {
            return null;
        }
        return String.format(Locale.ROOT, "%s budget of %.2f %s reached (%.2f spent)", cap, limit, currency, spent);
    }

    private void record(String channelId, String jobId, JobState stage, String backend, double cost)
            throws SQLException {
        long now = clock.millis();
        boolean prune;
        synchronized (this) {
            averageCost.merge(backend, cost, (old, fresh) -> old * 0.7 + fresh * 0.3);
            prune = ++writes % PRUNE_EVERY == 0;
        }
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO spend (channel_id, job_id, stage, backend, amount, at_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, channelId);
                s.setString(2, jobId);
                s.setString(3, stage.name());
                s.setString(4, backend);
                s.setDouble(5, cost);
                s.setLong(6, now);
                s.executeUpdate();
            }
            addToTotals(c, channelId, cost, 0);
            if (prune) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM spend WHERE at_ms < ?")) {
                    s.setLong(1, now - KEPT.toMillis());
                    s.executeUpdate();
                }
            }
            return null;
        });
        LOG.info(
                "channel {}: {} {} cost {} {} (job {})",
                channelId,
                backend,
                stage.name().toLowerCase(Locale.ROOT),
                String.format(Locale.ROOT, "%.4f", cost),
                currency,
                jobId);
    }

    /**
     * Counts seconds of a clip aired on the channel (for cost per aired minute). Kept in memory and
     * written at most every 30 s; {@link #flush()} writes the rest.
     */
    public void aired(String channelId, double seconds) throws SQLException {
        if (seconds <= 0) {
            return;
        }
        Map<String, Double> toSave = null;
        synchronized (this) {
            unsavedAired.merge(channelId, seconds, Double::sum);
            long now = clock.millis();
            if (airedSavedAtMillis == Long.MIN_VALUE) {
                airedSavedAtMillis = now;
            } else if (now - airedSavedAtMillis >= AIRED_SAVE.toMillis()) {
                toSave = new HashMap<>(unsavedAired);
                unsavedAired.clear();
                airedSavedAtMillis = now;
            }
        }
        if (toSave != null) {
            save(toSave);
        }
    }

    /** Writes the aired seconds counted since the last write (at shutdown). */
    public void flush() throws SQLException {
        Map<String, Double> toSave;
        synchronized (this) {
            toSave = new HashMap<>(unsavedAired);
            unsavedAired.clear();
        }
        if (!toSave.isEmpty()) {
            save(toSave);
        }
    }

    private void save(Map<String, Double> aired) throws SQLException {
        db.write(c -> {
            for (var e : aired.entrySet()) {
                addToTotals(c, e.getKey(), 0, e.getValue());
            }
            return null;
        });
    }

    private static void addToTotals(Connection c, String channelId, double spent, double aired) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO channel_costs (channel_id, spent, aired_seconds) VALUES (?, ?, ?) ON CONFLICT (channel_id)"
                        + " DO UPDATE SET spent = channel_costs.spent + excluded.spent,"
                        + " aired_seconds = channel_costs.aired_seconds + excluded.aired_seconds")) {
            s.setString(1, channelId);
            s.setDouble(2, spent);
            s.setDouble(3, aired);
            s.executeUpdate();
        }
    }

    /** Spent since {@code fromMillis}, by one channel or (null) all of them; indexed. */
    private double sum(String channelId, long fromMillis) throws SQLException {
        return db.read(c -> {
            String sql = channelId == null
                    ? "SELECT COALESCE(SUM(amount), 0) FROM spend WHERE at_ms >= ?"
                    : "SELECT COALESCE(SUM(amount), 0) FROM spend WHERE channel_id = ? AND at_ms >= ?";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int i = 1;
                if (channelId != null) {
                    s.setString(i++, channelId);
                }
                s.setLong(i, fromMillis);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getDouble(1) : 0.0;
                }
            }
        });
    }

    /**
     * A channel's spend, for the API and metrics (plain values; {@code null} caps are unlimited).
     *
     * @param capped why the channel is held at a cap (its paid backends skipped), or null
     * @param costPerAiredMinute all-time spend over all-time minutes of clips aired, or null before any aired
     */
    public record ChannelSpend(
            String channelId,
            String currency,
            double lastHour,
            double lastDay,
            double total,
            Double hourlyCap,
            Double dailyCap,
            String capped,
            double airedMinutes,
            Double costPerAiredMinute) {}

    /** The channel's spend now. */
    public ChannelSpend status(String channelId) throws SQLException {
        long now = clock.millis();
        double hour = sum(channelId, now - HOUR.toMillis());
        double day = sum(channelId, now - DAY.toMillis());
        double[] totals = db.read(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("SELECT spent, aired_seconds FROM channel_costs WHERE channel_id = ?")) {
                s.setString(1, channelId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? new double[] {r.getDouble(1), r.getDouble(2)} : new double[] {0, 0};
                }
            }
        });
        Budget own = channels.getOrDefault(channelId, Budget.UNLIMITED);
        String capped = reached("channel hourly", hour, own.hourly());
        capped = capped != null ? capped : reached("channel daily", day, own.daily());
        if (capped == null && station.limited()) {
            capped = reached("station hourly", sum(null, now - HOUR.toMillis()), station.hourly());
            capped = capped != null
                    ? capped
                    : reached("station daily", sum(null, now - DAY.toMillis()), station.daily());
        }
        if (capped == null) {
            capped = refusal(channelId).orElse(null);
        }
        double minutes;
        synchronized (this) {
            minutes = (totals[1] + unsavedAired.getOrDefault(channelId, 0.0)) / 60;
        }
        return new ChannelSpend(
                channelId,
                currency,
                hour,
                day,
                totals[0],
                Double.isInfinite(own.hourly()) ? null : own.hourly(),
                Double.isInfinite(own.daily()) ? null : own.daily(),
                capped,
                minutes,
                minutes > 0 ? totals[0] / minutes : null);
    }

    /** The station's spend over the last hour and day, all channels. */
    public record StationSpend(String currency, double lastHour, double lastDay, Double hourlyCap, Double dailyCap) {}

    public StationSpend station() throws SQLException {
        long now = clock.millis();
        return new StationSpend(
                currency,
                sum(null, now - HOUR.toMillis()),
                sum(null, now - DAY.toMillis()),
                Double.isInfinite(station.hourly()) ? null : station.hourly(),
                Double.isInfinite(station.daily()) ? null : station.daily());
    }

    /** What one job's paid calls cost, summed from its {@code spend} rows (within the week kept). */
    public double ofJob(String jobId) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("SELECT COALESCE(SUM(amount), 0) FROM spend WHERE job_id = ?")) {
                s.setString(1, jobId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getDouble(1) : 0.0;
                }
            }
        });
    }
}
