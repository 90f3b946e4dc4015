package tv.latent.backend.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * Hears what a running Gradio call tells about itself (queue position, progress bars, logs,
 * streamed outputs). Every method has an empty default; override
 * the ones you need. Called on the thread that runs the call; keep it quick. An exception thrown
 * here is logged and ignored, it never breaks the call.
 */
public interface CallListener {

    /** A listener that ignores everything. */
    CallListener NONE = new CallListener() {};

    /**
     * Position in the app's queue.
     *
     * @param rank 0 = next in line, or -1 when unknown
     * @param queueSize events waiting, or -1 when unknown
     * @param eta estimated wait, or null
     */
    default void onQueued(int rank, int queueSize, Duration eta) {}

    /** The app started processing; {@code eta} is its estimate of the run time, or null. */
    default void onStarted(Duration eta) {}

    /** Progress bars of the running function. */
    default void onProgress(List<ProgressStep> steps) {}

    /** A log line ({@code gr.Info}, {@code gr.Warning}); level is e.g. "info", "warning". */
    default void onLog(String level, String message) {}

    /** A streamed (not yet final) output, diffs already applied. */
    default void onPartialOutput(List<JsonNode> data) {}
}
