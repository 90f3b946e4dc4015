package tv.latent.backend.http;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * What the builders of hosted-queue clients (fal, Replicate) add to {@link ClientBuilder}: how
 * often a job is polled, the time and size allowed for a download, and the wall clock a
 * {@code Retry-After} date is read against. Not thread-safe: configure on one thread.
 *
 * @param <B> the client's builder, which every setter returns
 */
public abstract class QueueClientBuilder<B extends QueueClientBuilder<B>> extends ClientBuilder<B> {
    private Duration pollInterval;
    private Duration transferTimeout = Duration.ofMinutes(10);
    private long maxDownloadBytes = 1024L * 1024 * 1024;
    private InstantSource clock = InstantSource.system();

    /** @param pollInterval the client's default poll interval */
    protected QueueClientBuilder(URI baseUri, Duration pollInterval) {
        super(baseUri);
        this.pollInterval = pollInterval;
    }

    /** How often a running job's status is read. */
    public B pollInterval(Duration value) {
        ClientOptions.requirePositive(value, "poll interval");
        pollInterval = value;
        return me();
    }

    /** Time allowed for one download (default 10 min). */
    public B transferTimeout(Duration value) {
        ClientOptions.requirePositive(value, "transfer timeout");
        transferTimeout = value;
        return me();
    }

    /** Largest file a download accepts (default 1 GiB). */
    public B maxDownloadBytes(long value) {
        if (value < 1) {
            throw new IllegalArgumentException("max download bytes must be positive, was " + value);
        }
        maxDownloadBytes = value;
        return me();
    }

    /** The wall clock a {@code Retry-After} date is measured against (default the system's). */
    public B clock(InstantSource value) {
        clock = Objects.requireNonNull(value);
        return me();
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    public Duration transferTimeout() {
        return transferTimeout;
    }

    public long maxDownloadBytes() {
        return maxDownloadBytes;
    }

    public InstantSource clock() {
        return clock;
    }

    @SuppressWarnings("unchecked") // B is the subclass by the class's contract
    private B me() {
        return (B) this;
    }
}
