package tv.latent.backend.comfyui;

import java.util.List;

/**
 * ComfyUI's validation errors for one node of a rejected workflow ({@code node_errors}).
 *
 * @param nodeId the node's id in the workflow
 * @param classType the node's class, e.g. {@code KSampler}
 * @param messages each error as "message: details"
 */
public record NodeError(String nodeId, String classType, List<String> messages) {
    public NodeError {
        messages = List.copyOf(messages);
    }

    @Override
    public String toString() {
        return "node " + nodeId + " (" + classType + "): " + String.join("; ", messages);
    }
}
