/**
 * A client for ComfyUI: API-format workflows with placeholders filled in
 * ({@link tv.latent.backend.comfyui.Workflow}, {@link tv.latent.backend.comfyui.WorkflowInputs}),
 * queued with {@code POST /prompt}, followed over the {@code /ws} WebSocket (progress to a
 * {@link tv.latent.backend.comfyui.PromptListener}) with {@code /history} polling as a fallback,
 * outputs downloaded from {@code /view}, inputs uploaded, prompts cancelled.
 *
 * <p>Entry point: {@link tv.latent.backend.comfyui.ComfyUiClient}; failures are
 * {@link tv.latent.backend.comfyui.ComfyUiException}s whose kind says whether a retry may help.
 *
 * <p>May depend on: {@code tv.latent.backend.http}, Jackson, slf4j and the JDK; on no other
 * LatentTV package.
 */
package tv.latent.backend.comfyui;
