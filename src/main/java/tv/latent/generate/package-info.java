/**
 * The stage API every backend implements ({@link tv.latent.generate.Renderer}, {@link
 * tv.latent.generate.Upscaler}, {@link tv.latent.generate.Interpolator}, {@link
 * tv.latent.generate.Scorer}, with {@link tv.latent.generate.StageContext}, {@link
 * tv.latent.generate.StageOutput} and {@link tv.latent.generate.StageException}, with {@link
 * tv.latent.generate.Continuation} for a shot that starts from the previous one's last frame,
 * {@link tv.latent.generate.LastFrame} to take that frame, and {@link
 * tv.latent.generate.ContentRefusedException} for a model's refusal) and the two ffmpeg stages
 * (upscale, interpolate), which are also {@link tv.latent.generate.FilterStage}s: their {@link
 * tv.latent.generate.FilterPlan}s let the pipeline run them inside another ffmpeg run. Depends on
 * {@code media} only; the engines in the
 * sub-packages depend on it, never the other way.
 */
package tv.latent.generate;
