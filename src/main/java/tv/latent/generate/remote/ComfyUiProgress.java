package tv.latent.generate.remote;

import tv.latent.backend.comfyui.PromptListener;
import tv.latent.generate.StageContext;

/** ComfyUI's queue and sampler steps as stage progress lines. */
final class ComfyUiProgress implements PromptListener {
    private final StageContext.ProgressSink sink;

    ComfyUiProgress(StageContext.ProgressSink sink) {
        this.sink = sink;
    }

    @Override
    public void queueRemaining(int prompts) {
        sink.report(-1, prompts + " prompt(s) in the queue");
    }

    @Override
    public void started(String promptId) {
        sink.report(0, "running");
    }

    @Override
    public void step(String nodeId, int value, int max) {
        if (max > 0) {
            sink.report(Math.min(1.0, (double) value / max), "step " + value + "/" + max);
        }
    }
}
