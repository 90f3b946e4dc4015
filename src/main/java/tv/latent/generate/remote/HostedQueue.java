package tv.latent.generate.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import tv.latent.generate.StageContext;

/**
 * What a stage asks of a hosted model queue (fal, Replicate): run a model on a JSON input within a
 * time, and download a file its output names. One per endpoint of an {@link EndpointPool}.
 * Implementations are thread-safe.
 */
interface HostedQueue extends AutoCloseable {
    /**
     * Runs {@code model} (an app id, a model name or version) on {@code input}, reporting queue
     * position and state to {@code progress}; on timeout the job is cancelled on the server.
     */
    Ran run(String model, ObjectNode input, Duration timeout, StageContext.ProgressSink progress)
            throws IOException, InterruptedException;

    /** Downloads a file the output named (the key or token is never sent to another host). */
    void download(URI file, Path target) throws IOException, InterruptedException;

    @Override
    void close();

    /**
     * A finished run.
     *
     * @param output the model's output JSON
     * @param gpuSeconds the GPU time the service reported (what it bills by), or NaN
     * @param id the service's id of the run, for provenance
     */
    record Ran(JsonNode output, double gpuSeconds, String id) {}
}
