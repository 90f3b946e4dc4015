package tv.latent.director;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the first director (an LLM); when it fails, the second (the template director) plans
 * instead and the direction's note says why, so the job shows it.
 *
 * <p>Thread-safe when both directors are. Closes both.
 */
public final class FallbackDirector implements Director {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackDirector.class);

    private final Director primary;
    private final Director fallback;

    public FallbackDirector(Director primary, Director fallback) {
        this.primary = primary;
        this.fallback = fallback;
    }

    @Override
    public Direction plan(DirectorRequest request) throws IOException, InterruptedException {
        try {
            return primary.plan(request);
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.warn("LLM director failed, using the template director: {}", reason);
            Direction planned = fallback.plan(request);
            return new Direction(
                    planned.shots(), planned.director(), "LLM unavailable: " + reason + "; template director used");
        }
    }

    @Override
    public Direction adapt(AdaptRequest request) throws IOException, InterruptedException {
        try {
            return primary.adapt(request);
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.warn("LLM director could not adapt a viewer's suggestion, using the template director: {}", reason);
            Direction adapted = fallback.adapt(request);
            return new Direction(
                    adapted.shots(), adapted.director(), "LLM unavailable: " + reason + "; template director used");
        }
    }

    @Override
    public void close() {
        primary.close();
        fallback.close();
    }
}
