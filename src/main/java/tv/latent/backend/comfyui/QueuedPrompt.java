package tv.latent.backend.comfyui;

import java.util.List;

/**
 * A prompt ComfyUI accepted into its queue.
 *
 * @param promptId the id to follow it by
 * @param number its position number in the queue
 * @param nodeErrors errors of outputs ComfyUI dropped while accepting the rest (usually empty)
 */
public record QueuedPrompt(String promptId, double number, List<NodeError> nodeErrors) {
    public QueuedPrompt {
        nodeErrors = List.copyOf(nodeErrors);
    }
}
