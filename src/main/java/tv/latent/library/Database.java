package tv.latent.library;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;

/**
 * The LatentTV database: one SQLite file, migrated with Flyway from {@code db/migration} on open.
 *
 * <pre>{@code
 * try (Database db = Database.open(dataDir.resolve("latenttv.db"))) {
 *   int clips = db.read(c -> { ... });
 *   db.write(c -> { ... });        // one transaction, committed when the function returns
 * }
 * }</pre>
 *
 * <p>Thread-safe. SQLite allows one writer at a time, so writes are serialised on one
 * connection; reads use a second connection and see the last committed state (WAL mode).
 */
public final class Database implements AutoCloseable {
    private final Path file;
    private final Connection writer;
    private final Connection reader;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();
    private volatile boolean closed;

    private Database(Path file, Connection writer, Connection reader) {
        this.file = file;
        this.writer = writer;
        this.reader = reader;
    }

    /** Opens (creating if needed) and migrates the database file. */
    public static Database open(Path file) throws SQLException {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create the directory of " + file + ": " + e.getMessage(), e);
        }
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/migration")
                .loggers("slf4j")
                // Flyway logs a table of the rows any migration statement returns (V1's SELECT 1)
                .outputQueryResults(false)
                .load()
                .migrate();
        Connection writer = connect(url);
        Connection reader = connect(url);
        writer.setAutoCommit(false);
        return new Database(file, writer, reader);
    }

    private static Connection connect(String url) throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA busy_timeout=10000");
        }
        return connection;
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** Runs {@code work} on the read connection. */
    public <T> T read(SqlFunction<T> work) throws SQLException {
        readLock.lock();
        try {
            ensureOpen();
            return work.apply(reader);
        } finally {
            readLock.unlock();
        }
    }

    /** Runs {@code work} in one write transaction: committed when it returns, rolled back when it throws. */
    public <T> T write(SqlFunction<T> work) throws SQLException {
        writeLock.lock();
        try {
            ensureOpen();
            try {
                T result = work.apply(writer);
                writer.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                writer.rollback();
                throw e;
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void ensureOpen() throws SQLException {
        if (closed) {
            throw new SQLException("the database " + file + " is closed");
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        readLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly(writer);
            closeQuietly(reader);
        } finally {
            readLock.unlock();
            writeLock.unlock();
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing; nothing more to do
        }
    }

    /** Work on a connection. */
    @FunctionalInterface
    public interface SqlFunction<T> {
        T apply(Connection connection) throws SQLException;
    }
}
