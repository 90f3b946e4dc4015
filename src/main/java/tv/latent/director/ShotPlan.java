package tv.latent.director;

/**
 * One shot as the director planned it. The same {@code prompt} and {@code seed} go to every
 * stage that takes them (render, and the upscaler, which wants the same prompt).
 *
 * @param sequence shots of one sequence share characters and colours; its id, e.g. "s3"
 */
public record ShotPlan(
        String title, String prompt, String negativePrompt, long seed, String musicPrompt, String sequence) {
    /** Longest prompt accepted, in characters. */
    public static final int MAX_PROMPT_CHARS = 2000;

    public ShotPlan {
        prompt = checkPrompt(prompt);
        negativePrompt = negativePrompt == null ? "" : negativePrompt.strip();
        title = title == null || title.isBlank() ? shorten(prompt) : title.strip();
        musicPrompt = musicPrompt == null ? "" : musicPrompt.strip();
        sequence = sequence == null ? "" : sequence;
        if (seed < 0) {
            throw new IllegalArgumentException("seed must be 0 or more, got " + seed);
        }
    }

    /** Validates a prompt: not empty, at most {@value #MAX_PROMPT_CHARS} characters; returns it stripped. */
    public static String checkPrompt(String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("prompt is empty");
        }
        String stripped = prompt.strip();
        if (stripped.length() > MAX_PROMPT_CHARS) {
            throw new IllegalArgumentException(
                    "prompt is " + stripped.length() + " characters long; the limit is " + MAX_PROMPT_CHARS);
        }
        return stripped;
    }

    private static String shorten(String prompt) {
        String firstClause = prompt.split("[,.;]", 2)[0].strip();
        return firstClause.length() <= 60 ? firstClause : firstClause.substring(0, 57) + "...";
    }
}
