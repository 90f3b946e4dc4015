package tv.latent.generate.remote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import tv.latent.backend.fal.FalClient;
import tv.latent.backend.fal.FalException;
import tv.latent.backend.fal.FalResult;
import tv.latent.generate.StageContext;

/** fal's queue (directly or through the Hugging Face router) as a {@link HostedQueue}. Thread-safe. */
final class FalQueue implements HostedQueue {
    private final FalClient client;

    FalQueue(FalClient client) {
        this.client = client;
    }

    @Override
    public Ran run(String app, ObjectNode input, Duration timeout, StageContext.ProgressSink progress)
            throws FalException {
        FalResult result = client.run(app, input, timeout, status -> {
            switch (status.state()) {
                case "IN_QUEUE" ->
                    progress.report(
                            0.02,
                            status.queuePosition() < 0 ? "in the queue" : "queue position " + status.queuePosition());
                case "IN_PROGRESS" ->
                    progress.report(0.3, status.lastLog().isEmpty() ? "running" : "running: " + status.lastLog());
                default -> progress.report(0.9, status.state().toLowerCase(Locale.ROOT));
            }
        });
        return new Ran(result.output(), result.inferenceSeconds(), result.requestId());
    }

    @Override
    public void download(URI file, Path target) throws FalException {
        client.download(file, target);
    }

    @Override
    public void close() {
        client.close();
    }
}
