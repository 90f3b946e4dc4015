package tv.latent.generate.remote;

import java.util.List;
import tv.latent.generate.StageException;

/**
 * What every Gradio stage shares: one function on a pool of apps ({@link GradioApp}), checked
 * against the apps' {@code /info} at start and closed with the stage. Thread-safe.
 */
abstract class GradioStage implements StartupCheck, Circuits, AutoCloseable {
    final GradioApp app;

    GradioStage(GradioApp app) {
        this.app = app;
    }

    @Override
    public List<String> checkAtStart() throws StageException, InterruptedException {
        return app.checkAtStart();
    }

    @Override
    public List<EndpointPool.Circuit> circuits() {
        return app.circuits();
    }

    @Override
    public void close() {
        app.close();
    }
}
