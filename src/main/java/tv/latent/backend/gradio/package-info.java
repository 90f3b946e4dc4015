/**
 * A client for Gradio apps and Hugging Face Spaces (Gradio 3.x to 6.x), with nothing specific to
 * any application.
 *
 * <p>Entry point: {@link tv.latent.backend.gradio.GradioClient}. It resolves a Space and wakes
 * it, logs in when asked, reads {@code /config} and {@code /info}, calls functions over the
 * protocol the app speaks (queue sse_v1..v3, 4.0 "sse", the two-step {@code /call} API, or
 * {@code /run}), uploads and downloads files safely. Failures are
 * {@link tv.latent.backend.gradio.GradioException} subclasses that say whether a retry may help
 * ({@code retryable()}); progress reaches a {@link tv.latent.backend.gradio.CallListener}.
 *
 * <p>May depend on: {@code tv.latent.backend.http} (all HTTP goes through its transport), Jackson,
 * slf4j and the JDK; on no other LatentTV package.
 */
package tv.latent.backend.gradio;
