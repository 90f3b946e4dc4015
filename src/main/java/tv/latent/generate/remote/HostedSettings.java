package tv.latent.generate.remote;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A hosted model backend's models and how a shot becomes the model's input.
 *
 * @param model the app or model that makes the stage's output ({@code fal-ai/ltx-video},
 *     {@code owner/name}, {@code owner/name:version})
 * @param imageModel the image-to-video app or model that continues a shot from the previous one's
 *     last frame, or null when the backend does not continue shots
 * @param input the model's input fields, each mapped to a value of the shot (render: prompt,
 *     negativePrompt, seed, frames, fps, seconds, width, height, resolution, aspectRatio; upscale:
 *     video, prompt, negativePrompt, seed, width, height, scale; score: prompt, seconds, seed); empty
 *     for the stage's defaults
 * @param imageField the input field that takes the start frame (a {@code data:} URI) when a shot
 *     continues, or null for the service's default ({@code image_url} on fal, {@code image} on
 *     Replicate)
 * @param extra constant fields added to every input (per-app parameters from the YAML)
 * @param output the dotted path of the file URL in the output ({@code video.url}, {@code 0}), or
 *     empty to take the first URL found (under a "video" or "audio" name first)
 * @param timeout one run, queue and download included
 * @param maxUploadBytes the largest frame or video sent inline as a {@code data:} URI
 */
public record HostedSettings(
        String model,
        String imageModel,
        Map<String, String> input,
        String imageField,
        Map<String, Object> extra,
        String output,
        Duration timeout,
        long maxUploadBytes) {

    public HostedSettings {
        Objects.requireNonNull(model, "model");
        input = Map.copyOf(new LinkedHashMap<>(input));
        extra = Map.copyOf(new LinkedHashMap<>(extra));
        output = output == null ? "" : output;
    }

    /** A backend of {@code model} with the defaults: no image model, the stage's input mapping, no extras. */
    public static HostedSettings of(String model, Duration timeout) {
        return new HostedSettings(model, null, Map.of(), null, Map.of(), "", timeout, 16L << 20);
    }
}
