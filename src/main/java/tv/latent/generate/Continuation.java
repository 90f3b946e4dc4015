package tv.latent.generate;

import java.nio.file.Path;
import java.util.Map;

/**
 * The shot a render continues, within a director's sequence: the new shot starts where that one
 * ended. An image-to-video backend starts from {@code lastFrame}; the procedural renderer, when it
 * made the previous shot itself, continues its own scene from {@code params} (its seed, length and
 * start frame), so the first frame is exactly the previous shot's last.
 *
 * @param shot the id of the shot (job) continued, recorded in provenance
 * @param lastFrame a PNG of the previous render's last frame, at the model's size
 * @param prompt the previous shot's prompt
 * @param negativePrompt the previous shot's negative prompt
 * @param backend the backend that rendered the previous shot
 * @param params the parameters that render recorded
 */
public record Continuation(
        String shot, Path lastFrame, String prompt, String negativePrompt, String backend, Map<String, String> params) {
    public Continuation {
        params = Map.copyOf(params);
    }

    /** The output parameter naming the shot a render continued. */
    public static final String CONTINUES = "continues";

    /** The output parameter saying how it continued ("image-to-video", "scene state"...). */
    public static final String HOW = "continued.by";
}
