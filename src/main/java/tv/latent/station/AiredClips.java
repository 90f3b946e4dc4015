package tv.latent.station;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.pipeline.Spending;
import tv.latent.playout.NowPlaying;

/**
 * Counts the seconds of clips each channel airs, for its cost per aired minute: one count per
 * airing (the slate does not count; an airing announced twice counts once). Runs on the playout's
 * event thread. Thread-safe.
 */
final class AiredClips implements Consumer<NowPlaying> {
    private static final Logger LOG = LoggerFactory.getLogger(AiredClips.class);
    private final Spending spending;
    private final Map<String, String> lastCounted = new ConcurrentHashMap<>();

    AiredClips(Spending spending) {
        this.spending = spending;
    }

    @Override
    public void accept(NowPlaying now) {
        Optional<String> clip = now.clipId();
        if (clip.isEmpty()) {
            return;
        }
        String airing = clip.get() + "@" + now.start();
        if (airing.equals(lastCounted.put(now.channelId(), airing))) {
            return;
        }
        try {
            spending.aired(
                    now.channelId(), Duration.between(now.start(), now.end()).toMillis() / 1000.0);
        } catch (java.sql.SQLException e) {
            LOG.warn("channel {}: cannot count aired seconds: {}", now.channelId(), e.getMessage());
        }
    }
}
