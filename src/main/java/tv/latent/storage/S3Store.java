package tv.latent.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import tv.latent.time.Backoff;
import tv.latent.time.MonotonicClock;

/**
 * Media in an S3-compatible bucket (AWS S3, Cloudflare R2, Ceph, Garage, SeaweedFS, MinIO, S3Proxy),
 * through the AWS SDK v2 with an endpoint override and path-style addressing where the store wants
 * it. Checksums are sent and checked only where the S3 API requires them, which every compatible
 * store accepts.
 *
 * <pre>{@code
 * try (S3Store media = S3Store.open(new S3Store.Settings(URI.create("http://127.0.0.1:9000"), "us-east-1",
 *         "latenttv", "", true, accessKey, secretKey))) {
 *   media.store("clips/tv/c1/master.mp4", master);
 * }
 * }</pre>
 *
 * <p>A failed call marks the store unreachable: {@link #writable()} is false (generation pauses),
 * {@link #tryStore} gives up at once, and one virtual thread probes the bucket with a backoff until
 * it answers again. {@link #store} retries with the same backoff meanwhile. Thread-safe;
 * {@link #close()} is idempotent and stops waiting callers.
 */
public final class S3Store implements MediaStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3Store.class);
    static final Backoff RETRY = Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(30));
    /** The longest one try of {@link #tryStore} may take: a channel's scheduler calls it. */
    static final Duration TRY_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Where the bucket is and how to sign in (the keys come from the environment).
     *
     * @param endpoint the store's address; null for AWS S3 itself
     * @param prefix put before every key (such as {@code station-a/}); empty for none
     * @param pathStyle {@code https://host/bucket/key} instead of {@code https://bucket.host/key}
     */
    public record Settings(
            URI endpoint,
            String region,
            String bucket,
            String prefix,
            boolean pathStyle,
            String accessKey,
            String secretKey) {
        public Settings {
            Objects.requireNonNull(bucket, "bucket");
            region = region == null || region.isBlank() ? "us-east-1" : region;
            prefix = prefix == null ? "" : prefix;
        }

        @Override
        public String toString() {
            return "s3://" + bucket + "/" + prefix + (endpoint == null ? "" : " at " + endpoint);
        }
    }

    private final Settings settings;
    private final S3Client s3;
    private final MonotonicClock monotonic = MonotonicClock.system();
    private final Object probeLock = new Object();
    private volatile boolean reachable = true;
    private volatile boolean closed;
    private Thread prober;

    private S3Store(Settings settings, S3Client s3) {
        this.settings = settings;
        this.s3 = s3;
    }

    /**
     * Connects to the bucket. A bucket that does not exist is an error; a store that does not
     * answer is not (the node serves from its cache and probes it).
     *
     * @throws IOException when the bucket does not exist or refuses the keys
     */
    public static S3Store open(Settings settings) throws IOException {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
                .forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)
                        .apiCallAttemptTimeout(Duration.ofSeconds(60))
                        .apiCallTimeout(Duration.ofMinutes(3)));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        S3Store store = new S3Store(settings, builder.build());
        try {
            store.s3.headBucket(b -> b.bucket(settings.bucket()).overrideConfiguration(store::quick));
        } catch (NoSuchBucketException e) {
            store.close();
            throw new IOException("the bucket " + settings + " does not exist; create it first");
        } catch (SdkServiceException e) {
            if (e.statusCode() == 404 || e.statusCode() == 403) {
                store.close();
                throw new IOException("the bucket " + settings + " "
                        + (e.statusCode() == 404 ? "does not exist; create it first" : "refuses these keys (403)"));
            }
            store.down("checking the bucket", e);
        } catch (SdkException e) {
            store.down("checking the bucket", e);
        }
        return store;
    }

    private void quick(software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration.Builder o) {
        o.apiCallTimeout(TRY_TIMEOUT).apiCallAttemptTimeout(TRY_TIMEOUT);
    }

    private String key(String key) {
        if (key.startsWith("/") || key.contains("..") || key.contains("\\")) {
            throw new IllegalArgumentException("not a media key: '" + key + "'");
        }
        return settings.prefix() + key;
    }

    @Override
    public boolean isLocal() {
        return false;
    }

    @Override
    public void store(String key, Path file) throws IOException, InterruptedException {
        long size = Files.size(file); // a file that is not there fails here, not in a retry loop
        int failures = 0;
        while (true) {
            if (closed) {
                throw new IOException("the media store is closed; " + key + " was not stored");
            }
            try {
                s3.putObject(b -> b.bucket(settings.bucket()).key(key(key)).contentType(contentType(key)), body(file));
                reachable = true;
                return;
            } catch (SdkException | java.io.UncheckedIOException e) {
                stoppedMeanwhile(e);
                failures++;
                down("storing " + key, e);
                Duration wait = RETRY.delay(failures);
                if (failures == 1 || failures % 10 == 0) {
                    LOG.warn(
                            "storing {} ({} bytes) in {} failed ({} in a row), trying again in {} ms: {}",
                            key,
                            size,
                            settings,
                            failures,
                            wait.toMillis(),
                            e.toString());
                }
                sleep(wait);
            }
        }
    }

    /** The SDK reports an interrupted call as its own exception: the caller is stopping, the store is fine. */
    private static void stoppedMeanwhile(Exception e) throws InterruptedException {
        if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
            Thread.interrupted();
            throw new InterruptedException("stopped while storing: " + e.getMessage());
        }
    }

    private static RequestBody body(Path file) {
        return RequestBody.fromFile(file);
    }

    @Override
    public boolean tryStore(String key, Path file) {
        if (!reachable || closed) {
            return false;
        }
        try {
            s3.putObject(
                    b -> b.bucket(settings.bucket())
                            .key(key(key))
                            .contentType(contentType(key))
                            .overrideConfiguration(this::quick),
                    body(file));
            return true;
        } catch (SdkException | java.io.UncheckedIOException e) {
            if (!(e instanceof AbortedException)) {
                down("storing " + key, e);
            }
            return false;
        }
    }

    @Override
    public boolean fetch(String key, Path local) throws IOException {
        if (Files.exists(local)) {
            return true;
        }
        if (closed) {
            throw new IOException("the media store is closed");
        }
        Files.createDirectories(local.toAbsolutePath().getParent());
        Path part = local.resolveSibling("." + local.getFileName() + ".fetch-" + Long.toHexString(System.nanoTime()));
        try {
            s3.getObject(b -> b.bucket(settings.bucket()).key(key(key)), ResponseTransformer.toFile(part));
            try {
                Files.move(part, local, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another request fetched it meanwhile: the same bytes
            }
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (SdkServiceException e) {
            if (e.statusCode() == 404) {
                return false;
            }
            down("fetching " + key, e);
            throw new IOException("fetching " + key + " from " + settings + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            if (!(e instanceof AbortedException)) {
                down("fetching " + key, e);
            }
            throw new IOException("fetching " + key + " from " + settings + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    @Override
    public void deleteAll(String prefix) throws IOException {
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("refusing to delete the whole bucket");
        }
        try {
            eachPage(key(prefix), null, page -> {
                // one by one: every S3-compatible store has DeleteObject, not all have the batch form
                for (S3Object o : page.contents()) {
                    s3.deleteObject(b -> b.bucket(settings.bucket()).key(o.key()));
                }
            });
        } catch (SdkException e) {
            down("deleting " + prefix, e);
            throw new IOException("deleting " + prefix + " from " + settings + ": " + e.getMessage(), e);
        }
    }

    @Override
    public java.util.Set<String> children(String folder) throws IOException {
        if (!folder.endsWith("/")) {
            throw new IllegalArgumentException("not a folder: '" + folder + "'");
        }
        String listed = key(folder);
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        try {
            eachPage(listed, "/", page -> {
                page.commonPrefixes().forEach(p -> out.add(child(listed, p.prefix())));
                page.contents().forEach(o -> out.add(child(listed, o.key())));
            });
        } catch (SdkException e) {
            down("listing " + folder, e);
            throw new IOException("listing " + folder + " in " + settings + ": " + e.getMessage(), e);
        }
        out.remove("");
        return out;
    }

    /** Lists the keys under {@code prefix} (grouped at {@code delimiter} when not null) a page at a time, to {@code each}. */
    private void eachPage(String prefix, String delimiter, java.util.function.Consumer<ListObjectsV2Response> each) {
        String token = null;
        do {
            ListObjectsV2Response page = s3.listObjectsV2(ListObjectsV2Request.builder()
                    .bucket(settings.bucket())
                    .prefix(prefix)
                    .delimiter(delimiter)
                    .continuationToken(token)
                    .build());
            each.accept(page);
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
    }

    /** The name of {@code key} below {@code listed}, without a trailing slash. */
    private static String child(String listed, String key) {
        String name = key.substring(Math.min(listed.length(), key.length()));
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }

    @Override
    public boolean writable() {
        return reachable && !closed;
    }

    /** Marks the store unreachable (when it is not already) and starts probing it. */
    private void down(String what, Exception e) {
        if (e instanceof SdkServiceException s && s.statusCode() < 500 && s.statusCode() != 429) {
            return; // the store answered: a refusal of one call, not an outage
        }
        synchronized (probeLock) {
            if (!reachable || closed) {
                return;
            }
            reachable = false;
            LOG.warn(
                    "the media store {} does not answer ({}: {}); uploads wait, serving goes on from this node's cache",
                    settings,
                    what,
                    e.toString());
            prober = Thread.ofVirtual().name("media-store-probe").start(this::probe);
        }
    }

    private void probe() {
        long since = monotonic.nanos();
        int failures = 0;
        while (!closed) {
            try {
                sleep(RETRY.delay(++failures));
                s3.headBucket(b -> b.bucket(settings.bucket()).overrideConfiguration(this::quick));
                reachable = true;
                LOG.warn(
                        "the media store {} answers again after {} s; uploads go on",
                        settings,
                        Duration.ofNanos(monotonic.nanos() - since).toSeconds());
                return;
            } catch (InterruptedException e) {
                return;
            } catch (SdkException e) {
                // still down: the next probe after a longer wait
            }
        }
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d);
    }

    private static String contentType(String key) {
        String name = key.toLowerCase(Locale.ROOT);
        if (name.endsWith(".mp4")) {
            return "video/mp4";
        }
        if (name.endsWith(".ts")) {
            return "video/mp2t";
        }
        if (name.endsWith(".jpg")) {
            return "image/jpeg";
        }
        if (name.endsWith(".wav")) {
            return "audio/wav";
        }
        return "application/octet-stream";
    }

    @Override
    public void close() {
        Thread p;
        synchronized (probeLock) {
            if (closed) {
                return;
            }
            closed = true;
            p = prober;
        }
        if (p != null) {
            p.interrupt();
        }
        s3.close();
    }

    @Override
    public String toString() {
        return settings.toString();
    }
}
