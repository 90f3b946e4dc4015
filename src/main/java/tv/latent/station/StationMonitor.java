package tv.latent.station;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import tv.latent.pipeline.Lookahead;
import tv.latent.web.Monitor;

/**
 * What the station tells its web origin about itself: each channel's generation, the readiness
 * checks and the metrics; and the requests the web answered, counted into the metrics.
 * Thread-safe.
 */
final class StationMonitor implements Monitor {
    private final Function<String, Lookahead.Generation> generation;
    private final Supplier<Optional<String>> paused;
    private final boolean generating;
    private final StationHealth health;
    private final StationMetrics metrics;

    /**
     * @param generation the lookahead's view of a channel's generation
     * @param generating false when this process makes no clips (its channels show generation off)
     */
    StationMonitor(
            Function<String, Lookahead.Generation> generation,
            Supplier<Optional<String>> paused,
            boolean generating,
            StationHealth health,
            StationMetrics metrics) {
        this.generation = generation;
        this.paused = paused;
        this.generating = generating;
        this.health = health;
        this.metrics = metrics;
    }

    @Override
    public Generation generation(String channelId) {
        if (!generating) {
            return Generation.off();
        }
        Optional<String> pausedBecause = paused.get();
        if (pausedBecause.isPresent()) {
            return new Generation(Generation.PAUSED, 0, pausedBecause.get(), Optional.empty());
        }
        Lookahead.Generation g = generation.apply(channelId);
        if (!g.failing()) {
            return Generation.normal();
        }
        return new Generation(Generation.FAILING, g.failedInARow(), g.lastError(), g.nextAskIn());
    }

    @Override
    public List<Check> readiness() {
        return health.checks();
    }

    @Override
    public String metrics() {
        return metrics.scrape();
    }

    @Override
    public void requestHandled(String method, String route, int status, long nanos) {
        metrics.requestHandled(method, route, status, nanos);
    }
}
