package tv.latent.library;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time every node of a cluster agrees on: the database's clock, read at start and again every
 * {@link #RESAMPLE}, and carried forward between readings by this machine's monotonic clock. A
 * node whose own clock is minutes off, or steps, still stamps jobs, decides airings and computes
 * the live edge on the cluster's time. Between two readings it moves by at most the drift of the
 * monotonic clock (microseconds per second); a reading moves it to the database's time at once.
 *
 * <pre>{@code
 * try (ClusterClock clock = ClusterClock.start(db)) {
 *   Instant now = clock.instant();
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops the readings; idempotent.
 */
public final class ClusterClock implements InstantSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterClock.class);
    static final Duration RESAMPLE = Duration.ofSeconds(30);

    private record Reading(Instant at, long nanos) {}

    private final Database db;
    private volatile Reading reading;
    private volatile boolean closed;
    private final Thread sampler;

    private ClusterClock(Database db, Reading first) {
        this.db = db;
        this.reading = first;
        this.sampler = Thread.ofVirtual().name("cluster-clock").unstarted(this::loop);
    }

    /** Reads the database's clock now, then every {@link #RESAMPLE}. */
    public static ClusterClock start(Database db) throws SQLException {
        ClusterClock clock = new ClusterClock(db, read(db));
        Duration off = Duration.between(Instant.now(), clock.instant());
        if (off.abs().compareTo(Duration.ofSeconds(2)) > 0) {
            LOG.warn(
                    "this machine's clock is {} ms off the database's; this node keeps the database's time",
                    -off.toMillis());
        }
        clock.sampler.start();
        return clock;
    }

    /** The database's time, halfway through the round trip that read it. */
    private static Reading read(Database db) throws SQLException {
        long before = System.nanoTime();
        Instant at = db.now();
        long after = System.nanoTime();
        return new Reading(at, before + (after - before) / 2);
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(RESAMPLE);
                reading = read(db);
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                // the last reading carries on: it drifts by microseconds per second
                LOG.debug("reading the database's clock: {}", e.toString());
            }
        }
    }

    @Override
    public Instant instant() {
        Reading r = reading;
        return r.at().plusNanos(System.nanoTime() - r.nanos());
    }

    @Override
    public void close() {
        closed = true;
        sampler.interrupt();
    }
}
