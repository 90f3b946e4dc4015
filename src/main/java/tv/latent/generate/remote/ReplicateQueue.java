package tv.latent.generate.remote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import tv.latent.backend.replicate.Prediction;
import tv.latent.backend.replicate.ReplicateClient;
import tv.latent.backend.replicate.ReplicateException;
import tv.latent.backend.replicate.ReplicateModel;
import tv.latent.generate.StageContext;

/** Replicate's predictions as a {@link HostedQueue}; a model is {@code owner/name[:version]} or a version id. Thread-safe. */
final class ReplicateQueue implements HostedQueue {
    private final ReplicateClient client;

    ReplicateQueue(ReplicateClient client) {
        this.client = client;
    }

    @Override
    public Ran run(String model, ObjectNode input, Duration timeout, StageContext.ProgressSink progress)
            throws ReplicateException {
        Prediction done = client.run(ReplicateModel.parse(model), input, timeout, p -> {
            switch (p.status()) {
                case "starting" -> progress.report(0.02, "starting");
                case "processing" -> progress.report(0.3, "processing");
                default -> progress.report(0.9, p.status());
            }
        });
        return new Ran(done.output(), done.predictSeconds(), done.id());
    }

    @Override
    public void download(URI file, Path target) throws ReplicateException {
        client.download(file, target);
    }

    @Override
    public void close() {
        client.close();
    }
}
