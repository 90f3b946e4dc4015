package tv.latent.generate.remote;

import java.time.Duration;

/**
 * What LatentTV sends to sd-webui-text2video besides the shot itself.
 *
 * @param model folder under models/text2video, or null for the server's choice
 * @param sampler DDIM_Gaussian, DDIM or UniPC
 * @param negativePrompt used when the shot has none
 * @param strength vid2vid denoising strength for the upscaler
 */
public record A1111Settings(
        String model,
        String sampler,
        int steps,
        int cfg,
        double eta,
        String negativePrompt,
        double strength,
        Duration timeout) {}
