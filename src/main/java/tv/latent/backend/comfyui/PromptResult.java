package tv.latent.backend.comfyui;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A finished prompt, from {@code /history/{prompt_id}}.
 *
 * @param promptId the prompt
 * @param status ComfyUI's {@code status_str} ({@code success}), empty when the server gave none
 * @param files every file the output nodes listed, in the server's order
 */
public record PromptResult(String promptId, String status, List<OutputFile> files) {
    public PromptResult {
        files = List.copyOf(files);
    }

    /** The video outputs: files of type {@code output} first, then video containers before animated images. */
    public List<OutputFile> videos() {
        return files.stream()
                .filter(OutputFile::isVideo)
                .sorted(Comparator.comparing((OutputFile file) -> !file.type().equals("output"))
                        .thenComparing(file -> !file.isContainer()))
                .toList();
    }

    /** The first video output, if any. */
    public Optional<OutputFile> video() {
        return videos().stream().findFirst();
    }
}
