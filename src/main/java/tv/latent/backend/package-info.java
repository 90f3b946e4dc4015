/**
 * Protocol clients of model servers, one package per protocol: {@code gradio} (Gradio apps and
 * Hugging Face Spaces), {@code a1111} (AUTOMATIC1111's sd-webui-text2video), {@code comfyui}
 * (ComfyUI workflows), {@code fal} (fal's queue, also behind the Hugging Face router),
 * {@code replicate} (Replicate predictions), and {@code http}, the transport they share.
 *
 * <p>The rule that keeps them reusable: a client speaks its protocol and knows no LatentTV type.
 * Nothing here imports from {@code config}, {@code pipeline}, {@code generate} or any other
 * LatentTV package; the clients depend only on the JDK, Jackson, slf4j and {@code backend.http}.
 * Stages that turn a client into a LatentTV backend live in {@code tv.latent.generate.remote}.
 */
package tv.latent.backend;
