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

    /** Where the web server listens. {@code port} 0 picks a free port. */
    public record Server(String host, int port) {}

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
