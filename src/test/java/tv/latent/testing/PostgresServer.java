package tv.latent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import tv.latent.library.Database;

/**
 * A real PostgreSQL server for tests: Debian's {@code postgresql} package, a cluster made with
 * {@code initdb} in a temporary directory (as the {@code postgres} user when the tests run as
 * root, as PostgreSQL refuses root), listening on 127.0.0.1 and a free port, with password login
 * for one user. Each test takes a fresh database of its own ({@link #newDatabase()}).
 *
 * <pre>{@code
 * Database.Postgres where = PostgresServer.shared().newDatabase();
 * try (Database db = Database.open(where)) { ... }
 * try (PostgresServer own = PostgresServer.start()) {   // one a test may stop and restart
 *   own.restart();
 * }
 * }</pre>
 *
 * <p>{@link #shared()} is started once per test JVM and stopped when it exits; a test that stops
 * or restarts the server starts its own. Thread-safe.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String USER = "latenttv";
    public static final String PASSWORD = "test-password-not-a-secret";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;

    private final Path bin;
    private final Path root;
    private final Path data;
    private final Path log;
    private final int port;
    private boolean closed;

    private PostgresServer(Path bin, Path root, int port) {
        this.bin = bin;
        this.root = root;
        this.data = root.resolve("data");
        this.log = root.resolve("postgres.log");
        this.port = port;
    }

    /** The server the tests of this JVM share (started at first use, stopped when the JVM exits). */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
            PostgresServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-stop"));
        }
        return shared;
    }

    /** A new server of the caller's own (to stop, restart or break); close it at the end. */
    public static PostgresServer start() {
        try {
            Path bin = binaries();
            Path root = Files.createTempDirectory("latenttv-pg-");
            PostgresServer server = new PostgresServer(bin, root, freePort());
            server.initdb();
            server.startServer();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** A JDBC URL of database {@code name} on this server. */
    public String url(String name) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    /** Creates a fresh, empty database and says where it is, with this server's login. */
    public Database.Postgres newDatabase() {
        String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("creating a test database on " + url("postgres") + ": " + e, e);
        }
        return Database.Postgres.of(url(name), USER, PASSWORD);
    }

    /** Stops the server at once (fast shutdown: sessions are ended), as an outage does. */
    public synchronized void stop() throws IOException, InterruptedException {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"));
        }
    }

    /** Starts it again on the same port, with its data. */
    public synchronized void startAgain() throws IOException, InterruptedException {
        startServer();
    }

    /** Stops and starts the server: every session ends, the data stays. */
    public void restart() throws IOException, InterruptedException {
        stop();
        startAgain();
    }

    /** The server's log, for a failing test's message. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } catch (IOException | InterruptedException e) {
            // a server that will not stop: its directory goes anyway
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary directory left behind
        }
    }

    private void initdb() throws IOException, InterruptedException {
        Path password = root.resolve("password");
        Files.writeString(password, PASSWORD);
        giveToServerUser(root);
        giveToServerUser(password);
        run(List.of(
                bin.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                USER,
                "--pwfile=" + password,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync"));
    }

    private void startServer() throws IOException, InterruptedException {
        String options = String.join(
                " ",
                "-p " + port,
                "-c listen_addresses=127.0.0.1",
                "-c unix_socket_directories=" + root,
                "-c max_connections=300",
                // a test cluster: speed over durability (a fast shutdown still writes everything)
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off");
        run(List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-l",
                log.toString(),
                "-o",
                options,
                "-t",
                "120",
                "-w",
                "start"));
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void giveToServerUser(Path path) throws IOException {
        if (!root()) {
            return;
        }
        UserPrincipal postgres =
                path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(path, postgres);
        if (Files.isDirectory(path)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** Runs a PostgreSQL program (as the postgres user when we are root), output to the server's log. */
    private void run(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path output = Files.createTempFile("latenttv-pg-cmd-", ".log");
        try {
            Process p = new ProcessBuilder(full)
                    .directory(Path.of("/").toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new IOException(String.join(" ", full) + " did not finish in 3 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", full) + " exited " + p.exitValue() + ":\n"
                        + Files.readString(output) + "\n" + log());
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Debian's PostgreSQL programs: the newest {@code /usr/lib/postgresql/N/bin}, or those on the PATH. */
    private static Path binaries() throws IOException {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var newest = versions.filter(
                                v -> Files.isExecutable(v.resolve("bin").resolve("initdb")))
                        .max(Comparator.comparingInt(PostgresServer::version));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb"))) {
                return Path.of(dir);
            }
        }
        throw new IOException("PostgreSQL is not installed: the tests need Debian's postgresql package"
                + " (./latenttv test installs it; or apt-get install postgresql)");
    }

    private static int version(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString().toLowerCase(Locale.ROOT));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
