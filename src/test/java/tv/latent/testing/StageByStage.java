package tv.latent.testing;

import java.util.List;
import tv.latent.generate.Interpolator;
import tv.latent.generate.Upscaler;
import tv.latent.pipeline.Backend;
import tv.latent.pipeline.ChannelStages;

/**
 * A channel's stages as they ran before fusion: each upscale and interpolate backend hidden behind
 * a plain stage, so the pipeline runs it on its own (its own ffmpeg run and near-lossless
 * intermediate) instead of planning its filters into the master's run. For comparing the two in
 * tests and benchmarks.
 */
public final class StageByStage {
    private StageByStage() {}

    public static ChannelStages of(ChannelStages stages) {
        List<Backend<Upscaler>> upscale = stages.upscale().stream()
                .map(b -> Backend.<Upscaler>of(
                        b.name(), b.impl()::upscale, b.permits().availablePermits(), b.timeout()))
                .toList();
        List<Backend<Interpolator>> interpolate = stages.interpolate().stream()
                .map(b -> Backend.<Interpolator>of(
                        b.name(), b.impl()::interpolate, b.permits().availablePermits(), b.timeout()))
                .toList();
        return new ChannelStages(stages.channel(), stages.render(), upscale, interpolate, stages.score());
    }
}
