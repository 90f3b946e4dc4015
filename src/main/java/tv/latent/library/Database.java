package tv.latent.library;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;

/**
 * The LatentTV database: one SQLite file (the default), or a PostgreSQL database that several
 * LatentTV nodes share. Migrated with Flyway on open, from one history per engine:
 * {@code db/migration} (SQLite) and {@code db/postgresql} (PostgreSQL), a twin of the same version
 * and description for every migration, differing only where the engines' types differ.
 *
 * <pre>{@code
 * try (Database db = Database.open(dataDir.resolve("latenttv.db"))) {              // SQLite
 *   int clips = db.read(c -> { ... });
 *   db.write(c -> { ... });        // one transaction, committed when the function returns
 * }
 * try (Database db = Database.open(Database.Postgres.of(url, user, password))) { ... }   // PostgreSQL
 * }</pre>
 *
 * <p>Statements are written once for both engines; where they cannot be, the one class that owns
 * the table chooses by {@link #dialect()}.
 *
 * <p>Thread-safe. SQLite allows one writer at a time, so writes are serialised on one connection;
 * reads use a second connection and see the last committed state (WAL mode). PostgreSQL reads and
 * writes borrow connections from a bounded pool (HikariCP); {@link #pinned()} gives work that must
 * stay on one session (an advisory lock and the writes it guards) a connection of its own.
 */
public final class Database implements AutoCloseable {
    /** The SQL engine behind a database. */
    public enum Dialect {
        SQLITE,
        POSTGRESQL
    }

    private static final String SQLITE_MIGRATIONS = "classpath:db/migration";
    private static final String POSTGRESQL_MIGRATIONS = "classpath:db/postgresql";

    private final Dialect dialect;
    private final String name;
    private final Path file;
    private final Engine engine;
    private final Postgres postgres;
    private final boolean ownsEngine;
    private volatile boolean closed;

    private Database(Dialect dialect, String name, Path file, Engine engine, Postgres postgres, boolean ownsEngine) {
        this.dialect = dialect;
        this.name = name;
        this.file = file;
        this.engine = engine;
        this.postgres = postgres;
        this.ownsEngine = ownsEngine;
    }

    /** Opens (creating if needed) and migrates the SQLite database file. */
    public static Database open(Path file) throws SQLException {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create the directory of " + file + ": " + e.getMessage(), e);
        }
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        migrate(Flyway.configure().dataSource(url, null, null), SQLITE_MIGRATIONS);
        Connection writer = sqlite(url);
        Connection reader = sqlite(url);
        writer.setAutoCommit(false);
        return new Database(Dialect.SQLITE, file.toString(), file, new SqliteEngine(writer, reader), null, true);
    }

    /**
     * Where a PostgreSQL database is and how to log in (the user and password come from the
     * environment), and how many connections the pool may hold.
     *
     * @param url {@code jdbc:postgresql://host:port/database}, without credentials
     * @param poolSize connections the pool holds at most (work that pins a connection has its own)
     */
    public record Postgres(String url, String user, String password, int poolSize) {
        public static Postgres of(String url, String user, String password) {
            return new Postgres(url, user, password, 10);
        }

        @Override
        public String toString() {
            return url; // never the password
        }
    }

    /**
     * Opens and migrates a PostgreSQL database. Several nodes may open the same one at once: Flyway
     * migrates it under a lock of its own, once.
     */
    public static Database open(Postgres postgres) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setPoolName("latenttv-db");
        config.setJdbcUrl(postgres.url());
        config.setUsername(postgres.user());
        config.setPassword(postgres.password());
        config.setMaximumPoolSize(postgres.poolSize());
        config.setMinimumIdle(Math.min(2, postgres.poolSize()));
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        config.setValidationTimeout(Duration.ofSeconds(3).toMillis());
        config.setKeepaliveTime(Duration.ofSeconds(60).toMillis());
        // a pool that cannot connect at start is made anyway: Flyway's migrate below reports why, once
        config.setInitializationFailTimeout(-1);
        driverProperties(postgres).forEach((k, v) -> config.addDataSourceProperty((String) k, v));
        HikariDataSource pool = new HikariDataSource(config);
        try {
            migrate(Flyway.configure().dataSource(pool), POSTGRESQL_MIGRATIONS);
        } catch (RuntimeException e) {
            pool.close();
            throw new SQLException("cannot open the database " + postgres + ": " + rootMessage(e), e);
        }
        return new Database(Dialect.POSTGRESQL, postgres.url(), null, new PooledEngine(pool), postgres, true);
    }

    /**
     * Driver settings of every connection: bounded connects and reads, so a node cut off from the
     * database fails its calls in seconds instead of hanging, and keepalives, so the server drops
     * (and unlocks) the session of a node that went away within half a minute.
     */
    private static Properties driverProperties(Postgres postgres) {
        Properties p = new Properties();
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "30");
        p.setProperty("tcpKeepAlive", "true");
        // names the node in pg_stat_activity: an operator (or a test) sees which process holds what
        p.setProperty("ApplicationName", "latenttv-" + ProcessHandle.current().pid());
        if (postgres.user() != null) {
            p.setProperty("user", postgres.user());
        }
        if (postgres.password() != null) {
            p.setProperty("password", postgres.password());
        }
        return p;
    }

    private static void migrate(org.flywaydb.core.api.configuration.FluentConfiguration flyway, String location) {
        flyway.locations(location)
                .loggers("slf4j")
                // Flyway logs a table of the rows any migration statement returns (V1's SELECT 1)
                .outputQueryResults(false)
                .load()
                .migrate();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    private static Connection sqlite(String url) throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA busy_timeout=10000");
        }
        return connection;
    }

    /** The engine, for the few statements that cannot be written once for both. */
    public Dialect dialect() {
        return dialect;
    }

    /** The database file (SQLite); null for PostgreSQL. */
    public Path file() {
        return file;
    }

    /** What to call the database in messages: its file, or its URL (never credentials). */
    public String describe() {
        return name;
    }

    /** Runs {@code work} on a connection that sees the last committed state. */
    public <T> T read(SqlFunction<T> work) throws SQLException {
        ensureOpen();
        return engine.read(work);
    }

    /** Runs {@code work} in one write transaction: committed when it returns, rolled back when it throws. */
    public <T> T write(SqlFunction<T> work) throws SQLException {
        ensureOpen();
        return engine.write(work);
    }

    /**
     * The database's own clock: on PostgreSQL {@code clock_timestamp()}, the one time every node
     * agrees on; on SQLite (one process) this machine's clock.
     */
    public Instant now() throws SQLException {
        if (dialect == Dialect.SQLITE) {
            return Instant.now();
        }
        return read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT clock_timestamp()");
                    ResultSet r = s.executeQuery()) {
                r.next();
                return r.getTimestamp(1).toInstant();
            }
        });
    }

    /**
     * A database on a session of its own, for work that must stay on one session (a PostgreSQL
     * advisory lock, and the writes it guards: they fail once the session that holds the lock has
     * ended). Its reads and writes are serialised on one connection, not taken from the pool;
     * {@link #close()} ends the session. On SQLite, whose one process has one writer anyway, it is
     * this database (closing it leaves this one open).
     */
    public Database pinned() throws SQLException {
        ensureOpen();
        if (dialect == Dialect.SQLITE) {
            return new Database(dialect, name, file, engine, null, false);
        }
        Connection connection = DriverManager.getConnection(postgres.url(), driverProperties(postgres));
        try (Statement s = connection.createStatement()) {
            // the server notices a node that went away (and frees what its session held) within ~25 s
            s.execute("SET tcp_keepalives_idle = 10");
            s.execute("SET tcp_keepalives_interval = 5");
            s.execute("SET tcp_keepalives_count = 3");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return new Database(dialect, name, null, new PinnedEngine(connection), postgres, true);
    }

    /**
     * Whether this database still answers within {@code timeout}: for a {@link #pinned()} one,
     * whether its session is still the same, alive one.
     */
    public boolean answers(Duration timeout) {
        if (closed) {
            return false;
        }
        return engine.answers(timeout);
    }

    private void ensureOpen() throws SQLException {
        if (closed) {
            throw new SQLException("the database " + name + " is closed");
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (ownsEngine) {
            engine.close();
        }
    }

    /** Work on a connection. */
    @FunctionalInterface
    public interface SqlFunction<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Where connections come from. */
    private interface Engine {
        <T> T read(SqlFunction<T> work) throws SQLException;

        <T> T write(SqlFunction<T> work) throws SQLException;

        boolean answers(Duration timeout);

        void close();
    }

    private static <T> T transaction(Connection c, SqlFunction<T> work) throws SQLException {
        try {
            T result = work.apply(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException again) {
                e.addSuppressed(again); // a connection that broke mid-work: the first failure says why
            }
            throw e;
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing; nothing more to do
        }
    }

    private static boolean valid(Connection c, Duration timeout) {
        try {
            return c.isValid((int) Math.max(1, timeout.toSeconds()));
        } catch (SQLException e) {
            return false;
        }
    }

    /** SQLite: one writer connection and one reader connection, each behind its own lock. */
    private static final class SqliteEngine implements Engine {
        private final Connection writer;
        private final Connection reader;
        private final ReentrantLock writeLock = new ReentrantLock();
        private final ReentrantLock readLock = new ReentrantLock();

        SqliteEngine(Connection writer, Connection reader) {
            this.writer = writer;
            this.reader = reader;
        }

        @Override
        public <T> T read(SqlFunction<T> work) throws SQLException {
            readLock.lock();
            try {
                return work.apply(reader);
            } finally {
                readLock.unlock();
            }
        }

        @Override
        public <T> T write(SqlFunction<T> work) throws SQLException {
            writeLock.lock();
            try {
                return transaction(writer, work);
            } finally {
                writeLock.unlock();
            }
        }

        @Override
        public boolean answers(Duration timeout) {
            return valid(reader, timeout);
        }

        @Override
        public void close() {
            writeLock.lock();
            readLock.lock();
            try {
                closeQuietly(writer);
                closeQuietly(reader);
            } finally {
                readLock.unlock();
                writeLock.unlock();
            }
        }
    }

    /** PostgreSQL: a connection from the pool for each call. */
    private static final class PooledEngine implements Engine {
        private final HikariDataSource pool;

        PooledEngine(HikariDataSource pool) {
            this.pool = pool;
        }

        @Override
        public <T> T read(SqlFunction<T> work) throws SQLException {
            try (Connection c = pool.getConnection()) {
                return work.apply(c);
            }
        }

        @Override
        public <T> T write(SqlFunction<T> work) throws SQLException {
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    return transaction(c, work);
                } finally {
                    if (!c.isClosed()) {
                        c.setAutoCommit(true);
                    }
                }
            }
        }

        @Override
        public boolean answers(Duration timeout) {
            try (Connection c = pool.getConnection()) {
                return valid(c, timeout);
            } catch (SQLException e) {
                return false;
            }
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /** PostgreSQL: one session of its own, never replaced (when it ends, so does what it held). */
    private static final class PinnedEngine implements Engine {
        private final Connection connection;
        private final ReentrantLock lock = new ReentrantLock();

        PinnedEngine(Connection connection) {
            this.connection = connection;
        }

        @Override
        public <T> T read(SqlFunction<T> work) throws SQLException {
            lock.lock();
            try {
                return work.apply(connection);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public <T> T write(SqlFunction<T> work) throws SQLException {
            lock.lock();
            try {
                connection.setAutoCommit(false);
                try {
                    return transaction(connection, work);
                } finally {
                    if (!connection.isClosed()) {
                        connection.setAutoCommit(true);
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean answers(Duration timeout) {
            if (!lock.tryLock()) {
                return true; // in use right now: a broken session fails that work
            }
            try {
                return valid(connection, timeout);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                closeQuietly(connection);
            } finally {
                lock.unlock();
            }
        }
    }
}
