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
 * @param currency the unit every price and cap is given in (a label: "USD", "credits")
 * @param budget the station's spend caps over all channels
 */
public record LatentConfig(
        Path file,
        Path dataDir,
        Server server,
        Pipeline pipeline,
        Map<String, BackendConfig> backends,
        List<ChannelConfig> channels,
        String currency,
        Budget budget) {

    public LatentConfig {
        backends = Map.copyOf(backends);
        channels = List.copyOf(channels);
        currency = currency == null || currency.isBlank() ? "USD" : currency;
        budget = budget == null ? Budget.UNLIMITED : budget;
    }

    /** A configuration without station-wide spend caps. */
    public LatentConfig(
            Path file,
            Path dataDir,
            Server server,
            Pipeline pipeline,
            Map<String, BackendConfig> backends,
            List<ChannelConfig> channels) {
        this(file, dataDir, server, pipeline, backends, channels, "USD", Budget.UNLIMITED);
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
