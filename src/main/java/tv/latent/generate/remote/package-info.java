/**
 * Stage backends that run on model servers: Gradio apps (Zeroscope, Zeroscope XL, FILM,
 * MusicGen), AUTOMATIC1111 text2video, ComfyUI workflows (text to video, image to video, video to
 * video) and hosted queues (fal, the Hugging Face router's fal route, Replicate: render, upscale,
 * music), built by {@link tv.latent.generate.remote.RemoteStages}.
 *
 * <p>Owns what turns a protocol client into a stage: pools of endpoints with circuit breakers,
 * retries and back-off ({@link tv.latent.generate.remote.EndpointPool}), the start-up check of a
 * Gradio function's parameters ({@link tv.latent.generate.remote.StartupCheck}), progress mapped to
 * stage progress, protocol failures mapped to retryable or final stage failures (a content-policy
 * refusal to a {@link tv.latent.generate.ContentRefusedException}, refused credentials to a backend
 * marked misconfigured, {@link tv.latent.generate.remote.BackendHealth}), the ffmpeg work
 * around a server's output (checked, scaled, retimed, fitted to length), and the parameters each
 * output records as provenance.
 *
 * <p>May depend on: {@code tv.latent.generate} (the stage API), {@code tv.latent.backend.*} (the
 * protocol clients) and {@code tv.latent.media}; not on config, pipeline, playout or web: whoever
 * wires the station passes settings in as the records of {@code RemoteStages}.
 */
package tv.latent.generate.remote;
