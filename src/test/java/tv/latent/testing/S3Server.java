package tv.latent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import tv.latent.storage.S3Store;

/**
 * A real S3-compatible server for tests: S3Proxy (Maven Central, {@code org.gaul:s3proxy}, the
 * self-contained jar the build copies to {@code target/s3proxy/}), run as a child JVM on 127.0.0.1
 * and a free port, keeping objects in a temporary directory (its filesystem backend) and checking
 * AWS signatures with one key pair. A child process, so a test can stop it (an outage) and start
 * it again on the same port with the same objects.
 *
 * <p>Why S3Proxy: it implements the S3 REST API itself (it is what Apache jclouds tests against),
 * runs on the JVM the tests already have, starts in seconds and needs nothing else; MinIO is under
 * the AGPL and ships no Maven or Debian package, and Python mocks are not real servers.
 *
 * <pre>{@code
 * try (S3Server s3 = S3Server.start()) {
 *   S3Store.Settings bucket = s3.newBucket();
 *   s3.stop();          // the store is unreachable
 *   s3.startAgain();    // and back, with its objects
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key-not-a-secret";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final Path root;
    private final int port;
    private Process process;
    private boolean closed;

    private S3Server(Path root, int port) {
        this.root = root;
        this.port = port;
    }

    /** Starts a server of the caller's own; close it at the end. */
    public static S3Server start() {
        try {
            Path root = Files.createTempDirectory("latenttv-s3-");
            Files.createDirectories(root.resolve("blobs"));
            S3Server server = new S3Server(root, freePort());
            server.startAgain();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Creates a fresh, empty bucket and says how to reach it. */
    public S3Store.Settings newBucket() {
        String name = "test-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        try (S3Client s3 = client()) {
            s3.createBucket(b -> b.bucket(name));
        }
        return new S3Store.Settings(endpoint(), "us-east-1", name, "", true, ACCESS_KEY, SECRET_KEY);
    }

    /** The keys of every object in a bucket, sorted. */
    public List<String> keys(String bucket) {
        try (S3Client s3 = client()) {
            List<String> out = new ArrayList<>();
            s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach((S3Object o) -> out.add(o.key()));
            out.sort(Comparator.naturalOrder());
            return out;
        }
    }

    /** A client of this server (for a test's own look at the bucket). */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Stops the server (kills it): the store is unreachable until {@link #startAgain()}. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** Starts the server (again) on its port, with the objects it had. */
    public synchronized void startAgain() throws IOException, InterruptedException {
        if (process != null) {
            return;
        }
        Path jar = Path.of("target", "s3proxy", "s3proxy.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: the build copies it (mvn generate-test-resources)");
        }
        Path properties = root.resolve("s3proxy.properties");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "s3proxy.endpoint=" + endpoint(),
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + ACCESS_KEY,
                        "s3proxy.credential=" + SECRET_KEY,
                        "jclouds.provider=filesystem",
                        "jclouds.filesystem.basedir=" + root.resolve("blobs"),
                        ""));
        Path log = root.resolve("s3proxy.log");
        process = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-Xmx192m",
                        "-XX:+UseSerialGC",
                        "-jar",
                        jar.toString(),
                        "--properties",
                        properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("S3Proxy exited " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                new java.net.Socket("127.0.0.1", port).close();
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("S3Proxy did not listen on " + port + " within 2 minutes:\n" + Files.readString(log));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary directory left behind
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
