package tv.latent.backend.comfyui;

import java.util.List;

/**
 * Hears the progress of one ComfyUI prompt, from the server's WebSocket events. Every method has an empty
 * default; implement what you need. Called on the WebSocket's thread, one event at a time:
 * return quickly. Exceptions thrown here are logged and ignored.
 */
public interface PromptListener {

    /** Hears nothing. */
    PromptListener NONE = new PromptListener() {};

    /** Prompts waiting or running on the server, this one included ({@code status}). */
    default void queueRemaining(int prompts) {}

    /** The prompt started running ({@code execution_start}). */
    default void started(String promptId) {}

    /** These nodes were taken from the cache ({@code execution_cached}). */
    default void cached(List<String> nodeIds) {}

    /** This node is now running ({@code executing}). */
    default void executing(String nodeId) {}

    /** A step of a long node, such as a sampler step ({@code progress}). */
    default void step(String nodeId, int value, int max) {}

    /** This output node finished and wrote its outputs ({@code executed}). */
    default void executed(String nodeId) {}
}
