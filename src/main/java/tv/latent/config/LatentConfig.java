package tv.latent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The whole, validated, frozen configuration of one LatentTV process. Made by {@link ConfigLoader}.
 *
 * @param file the YAML file it came from (for messages)
 * @param dataDir every file LatentTV writes lives under here
 * @param retention what the library keeps (the {@code retention} sections)
 * @param diskGuard when generation pauses for lack of disk space
 * @param iptv how media centers reach the channels (the {@code iptv} section)
 * @param studio moderation, the audience's limits and the Twitch chat server
 * @param currency the unit every price and cap is given in (a label: "USD", "credits")
 * @param budget the station's spend caps over all channels
 * @param database where state is kept: the SQLite file in the data directory, or a PostgreSQL
 *     database that several nodes share (the {@code database} section)
 * @param storage where media are kept: the data directory, or an S3-compatible bucket that the
 *     data directory caches (the {@code storage} section)
 */
public record LatentConfig(
        Path file,
        Path dataDir,
        Server server,
        Pipeline pipeline,
        Map<String, BackendConfig> backends,
        List<ChannelConfig> channels,
        Retention retention,
        DiskGuard diskGuard,
        Iptv iptv,
        StudioConfig studio,
        String currency,
        Budget budget,
        Database database,
        Storage storage) {

    public LatentConfig {
        backends = Map.copyOf(backends);
        channels = List.copyOf(channels);
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(diskGuard, "diskGuard");
        iptv = iptv == null ? Iptv.DEFAULT : iptv;
        Objects.requireNonNull(studio, "studio");
        currency = currency == null || currency.isBlank() ? "USD" : currency;
        budget = budget == null ? Budget.UNLIMITED : budget;
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(storage, "storage");
    }

    /** A configuration of one node on its own: SQLite in the data directory, media in the data directory. */
    public LatentConfig(
            Path file,
            Path dataDir,
            Server server,
            Pipeline pipeline,
            Map<String, BackendConfig> backends,
            List<ChannelConfig> channels,
            Retention retention,
            DiskGuard diskGuard,
            Iptv iptv,
            StudioConfig studio,
            String currency,
            Budget budget) {
        this(
                file,
                dataDir,
                server,
                pipeline,
                backends,
                channels,
                retention,
                diskGuard,
                iptv,
                studio,
                currency,
                budget,
                Database.SQLITE,
                Storage.LOCAL);
    }

    /** A configuration with the default {@code iptv} section, no moderation, the default audience limits Twitch's own chat server and no station-wide spend caps. */
    public LatentConfig(
            Path file,
            Path dataDir,
            Server server,
            Pipeline pipeline,
            Map<String, BackendConfig> backends,
            List<ChannelConfig> channels,
            Retention retention,
            DiskGuard diskGuard) {
        this(
                file,
                dataDir,
                server,
                pipeline,
                backends,
                channels,
                retention,
                diskGuard,
                Iptv.DEFAULT,
                StudioConfig.DEFAULT,
                "USD",
                Budget.UNLIMITED);
    }

    /** The same configuration with another data directory. */
    public LatentConfig withDataDir(Path dir) {
        return new LatentConfig(
                file, dir, server, pipeline, backends, channels, retention, diskGuard, iptv, studio, currency, budget,
                database, storage);
    }

    public Optional<ChannelConfig> channel(String id) {
        return channels.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** Where the web server listens, and what it allows. {@code port} 0 picks a free port. */
    public record Server(String host, int port, ServerLimits limits) {
        public Server(String host, int port) {
            this(host, port, ServerLimits.DEFAULT);
        }
    }

    /**
     * What the web server allows, so that viewers cannot hurt the channel. Beyond a cap a request
     * is answered 503 with {@code Retry-After}.
     *
     * @param maxConnections open connections; the process's open-file limit must be above it
     * @param maxEventClients server-sent event clients (now-playing streams) in all
     * @param maxEventClientsPerChannel server-sent event clients of one channel
     * @param idleTimeout a connection with no bytes either way for this long is closed
     * @param headerTimeout the longest a client may take to send a request's headers, from when
     *     the connection opened or its previous answer ended (defeats clients that trickle bytes)
     */
    public record ServerLimits(
            int maxConnections,
            int maxEventClients,
            int maxEventClientsPerChannel,
            Duration idleTimeout,
            Duration headerTimeout) {
        public static final ServerLimits DEFAULT =
                new ServerLimits(10_000, 5_000, 2_000, Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    /**
     * How the pipeline runs jobs.
     *
     * @param maxConcurrentJobs shot jobs in flight at once
     * @param ffmpegProcesses ffmpeg processes at once (default: the number of cores)
     * @param maxAttempts tries of a stage before the job fails
     * @param retryBackoff wait before the second try; doubles each time
     */
    public record Pipeline(int maxConcurrentJobs, int ffmpegProcesses, int maxAttempts, Duration retryBackoff) {}

    /**
     * What the library keeps, and for how long (the {@code retention} sections: the station's, and
     * each channel's own, resolved at load).
     *
     * @param maxDiskBytes all clips together, as counted on disk (master, segments, thumbnail), at
     *     most this many bytes; empty: <em>auto</em>, the library may grow until the disk's free
     *     space falls to twice the disk guard's threshold
     * @param defaults the limits of a channel that sets none of its own
     * @param channels each channel's limits where it sets any (its unset keys take the defaults)
     * @param failedJobsKept a failed job's row is kept this long after its last change (a
     *     mastered job's row goes with its clip)
     * @param every how often retention runs and leftovers are swept
     */
    public record Retention(
            OptionalLong maxDiskBytes,
            ClipLimits defaults,
            Map<String, ClipLimits> channels,
            Duration failedJobsKept,
            Duration every) {
        public static final Retention DEFAULT = new Retention(
                OptionalLong.empty(), ClipLimits.DEFAULT, Map.of(), Duration.ofDays(14), Duration.ofMinutes(10));

        public Retention {
            channels = Map.copyOf(channels);
        }

        /** The limits that hold for a channel. */
        public ClipLimits forChannel(String channelId) {
            return channels.getOrDefault(channelId, defaults);
        }
    }

    /**
     * What one channel keeps.
     *
     * @param maxAge clips mastered longer ago go; {@link Duration#ZERO}: no age limit
     * @param maxClips at most this many clips; 0: no limit
     * @param maxDiskBytes the channel's clips at most this many bytes on disk; 0: no limit
     * @param minClips the channel's newest this many clips are never deleted, whatever the limits
     *     say (reruns need something to choose from)
     */
    public record ClipLimits(Duration maxAge, int maxClips, long maxDiskBytes, int minClips) {
        public static final ClipLimits DEFAULT = new ClipLimits(Duration.ZERO, 0, 0, 100);
    }

    /**
     * When generation pauses for lack of disk space: below the larger of the two thresholds, the
     * pipeline and the lookahead start nothing new while playout airs on.
     *
     * @param minFreeBytes free bytes on the data directory's disk
     * @param minFreePercent free share of that disk, in percent; 0: only {@code minFreeBytes} counts
     * @param every how often free space is looked at
     */
    public record DiskGuard(long minFreeBytes, double minFreePercent, Duration every) {
        public static final DiskGuard DEFAULT = new DiskGuard(2L << 30, 0, Duration.ofSeconds(10));
    }

    /**
     * Where state is kept.
     *
     * @param url empty: the SQLite file {@code latenttv.db} in the data directory; else the JDBC URL
     *     of a PostgreSQL database ({@code jdbc:postgresql://host:5432/latenttv}), without credentials
     * @param userEnv the environment variable holding the user name; empty: the driver's default
     * @param passwordEnv the environment variable holding the password; empty: none
     * @param poolSize PostgreSQL connections this node's pool holds at most
     * @param lease how long a node's claim on a shot job lasts without renewal (renewed every third
     *     of it): a node that dies loses its jobs to the others after this long
     */
    public record Database(String url, String userEnv, String passwordEnv, int poolSize, Duration lease) {
        public static final Database SQLITE = new Database("", "", "", 10, Duration.ofSeconds(30));

        /** True when several nodes may share this database (PostgreSQL). */
        public boolean postgres() {
            return !url.isEmpty();
        }
    }

    /**
     * Where media are kept (masters, thumbnails, segments, the stage outputs of jobs in flight).
     *
     * @param bucket empty: only in the data directory; else the bucket that holds them
     * @param endpoint the S3-compatible store's URL; empty for AWS S3 itself
     * @param region the bucket's region (any value for most S3-compatible stores)
     * @param prefix put before every key, ending in {@code /}; empty for none
     * @param pathStyle address the bucket in the path ({@code host/bucket/key}), as most
     *     S3-compatible stores want
     * @param accessKeyEnv the environment variable holding the access key id
     * @param secretKeyEnv the environment variable holding the secret access key
     * @param cacheBytes clip directories this node keeps on its own disk, at most
     */
    public record Storage(
            String bucket,
            String endpoint,
            String region,
            String prefix,
            boolean pathStyle,
            String accessKeyEnv,
            String secretKeyEnv,
            long cacheBytes) {
        public static final Storage LOCAL = new Storage("", "", "us-east-1", "", true, "", "", 20L << 30);

        /** True when media live in a bucket. */
        public boolean bucketed() {
            return !bucket.isEmpty();
        }
    }

    /**
     * How media centers (Plex, Jellyfin, Emby, Channels DVR) and IPTV players reach the channels:
     * the M3U playlist, the XMLTV guide, the emulated HDHomeRun tuner and the continuous MPEG-TS
     * streams.
     *
     * @param publicUrl the base URL written into playlists, guides and the lineup (such as
     *     {@code http://192.168.1.20:8080}); empty: taken from each request's Host header
     * @param tunerCount continuous streams open at once, station-wide (the tuner's TunerCount);
     *     one more is answered 503 "all tuners busy"
     * @param deviceName the tuner's FriendlyName
     * @param ssdp announce the tuner on the local network (SSDP, UDP 1900)
     * @param clientBufferSeconds how far a stream client may fall behind the channel before it is
     *     dropped
     */
    public record Iptv(String publicUrl, int tunerCount, String deviceName, boolean ssdp, int clientBufferSeconds) {
        public static final Iptv DEFAULT = new Iptv("", 4, "LatentTV", false, 10);

        public Iptv {
            publicUrl = publicUrl == null ? "" : publicUrl;
        }
    }
}
