package tv.latent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole, validated, frozen configuration of one LatentTV process. Made by {@link ConfigLoader}.
 *
 * @param file the YAML file it came from (for messages)
 * @param dataDir every file LatentTV writes lives under here
 */
public record LatentConfig(
        Path file,
        Path dataDir,
        Server server,
        Pipeline pipeline,
        Map<String, BackendConfig> backends,
        List<ChannelConfig> channels) {

    public LatentConfig {
        backends = Map.copyOf(backends);
        channels = List.copyOf(channels);
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
}
