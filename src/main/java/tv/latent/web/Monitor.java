package tv.latent.web;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the station tells the web about itself beyond what airs (how each channel's generation
 * goes, whether it is ready, its metrics), and what the web tells it back (each request it
 * answered). The composition root implements it; {@link #NONE} is a station that says nothing.
 *
 * <p>Implementations must be thread-safe and quick: every method runs on request threads.
 */
public interface Monitor {
    /** The route of a request no route matched. */
    String UNMATCHED = "unmatched";

    /** How a channel's generation goes, for {@code /api/channels/{id}}. */
    Generation generation(String channelId);

    /** Readiness checks, each run now (a real query, a real write), for {@code /health/ready}. */
    List<Check> readiness();

    /** Every metric in Prometheus text exposition format (version 0.0.4), for {@code /metrics}. */
    String metrics();

    /**
     * A request was answered.
     *
     * @param route the route's template ({@code /hls/{channel}/{segment}}), or {@link #UNMATCHED}
     * @param status the HTTP status sent
     */
    void requestHandled(String method, String route, int status, long nanos);

    /**
     * How a channel's generation goes. Reasons are shown only after {@link Redaction}.
     *
     * @param state {@link #NORMAL}, {@link #FAILING}, {@link #OFF} (this process makes no clips),
     *     or another word a newer station says (such as a disk guard's pause)
     * @param failedInARow jobs failed since the last clip was mastered
     * @param reason why it is not normal (the latest failure), empty when normal
     * @param retryIn when the station asks for a shot again, while failing
     */
    record Generation(String state, int failedInARow, String reason, Optional<Duration> retryIn) {
        public static final String NORMAL = "normal";
        public static final String FAILING = "failing";
        public static final String OFF = "off";
        /** The disk guard stopped generation until there is free space again (reruns air meanwhile). */
        public static final String PAUSED = "paused";

        public Generation {
            reason = reason == null ? "" : reason;
        }

        public static Generation normal() {
            return new Generation(NORMAL, 0, "", Optional.empty());
        }

        public static Generation off() {
            return new Generation(OFF, 0, "", Optional.empty());
        }
    }

    /**
     * One readiness check.
     *
     * @param name what was checked ({@code database}, {@code ffmpeg}, {@code dataDir}, {@code channel:tv})
     * @param detail what was found (shown after {@link Redaction})
     */
    record Check(String name, boolean ok, String detail) {}

    /** A monitor that knows nothing: generation normal, ready, no metrics, requests not counted. */
    Monitor NONE = new Monitor() {
        @Override
        public Generation generation(String channelId) {
            return Generation.normal();
        }

        @Override
        public List<Check> readiness() {
            return List.of();
        }

        @Override
        public String metrics() {
            return "";
        }

        @Override
        public void requestHandled(String method, String route, int status, long nanos) {}
    };
}
