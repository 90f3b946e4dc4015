package tv.latent.retention;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The SQLite JDBC driver with a window onto the SQL our code prepares: while recording, every
 * statement text is kept, so a test can ask SQLite how it runs each one ({@code EXPLAIN QUERY
 * PLAN}) without copying any of it. Installed in place of the real driver for one test class.
 */
final class RecordingDriver implements Driver {
    private final Driver real;
    private volatile boolean recording;
    private final Set<String> statements = ConcurrentHashMap.newKeySet();
    private final AtomicInteger prepared = new AtomicInteger();

    private RecordingDriver(Driver real) {
        this.real = real;
    }

    /** Puts a recording driver in front of SQLite's: connections opened from now on are recorded. */
    static RecordingDriver install() throws SQLException {
        Driver real = DriverManager.getDriver("jdbc:sqlite::memory:");
        RecordingDriver recording = new RecordingDriver(real);
        DriverManager.registerDriver(recording);
        DriverManager.deregisterDriver(real);
        return recording;
    }

    /** Gives SQLite's own driver back. */
    void uninstall() throws SQLException {
        DriverManager.registerDriver(real);
        DriverManager.deregisterDriver(this);
    }

    /** Starts keeping the statements prepared from now on, forgetting earlier ones. */
    void start() {
        statements.clear();
        prepared.set(0);
        recording = true;
    }

    void stop() {
        recording = false;
    }

    /** The distinct statement texts prepared while recording. */
    Set<String> statements() {
        return Set.copyOf(statements);
    }

    /** How many statements were prepared while recording. */
    int prepared() {
        return prepared.get();
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Connection connection = real.connect(url, info);
        if (connection == null) {
            return null;
        }
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (recording && method.getName().equals("prepareStatement")) {
                        statements.add((String) args[0]);
                        prepared.incrementAndGet();
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return real.acceptsURL(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return real.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return real.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return real.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return real.jdbcCompliant();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return real.getParentLogger();
    }
}
