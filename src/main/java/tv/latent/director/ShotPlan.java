package tv.latent.director;

/**
 * One shot as the director planned it. The same {@code prompt} and {@code seed} go to every
 * stage that takes them (render, and the upscaler, which wants the same prompt).
 *
 * <p>Every text is one clean line ({@link PlainText}): an LLM's newlines, control characters and
 * bidirectional overrides never reach a title on screen, a model server or a log.
 *
 * @param sequence shots of one sequence share characters and colours; its id, e.g. "s3"
 */
public record ShotPlan(
        String title, String prompt, String negativePrompt, long seed, String musicPrompt, String sequence) {
    /** Longest prompt accepted, in characters. */
    public static final int MAX_PROMPT_CHARS = 2000;

    public ShotPlan {
        prompt = checkPrompt(prompt);
        negativePrompt = negativePrompt == null ? "" : PlainText.line(negativePrompt);
        title = PlainText.line(title);
        title = title == null || title.isBlank() ? shorten(prompt) : title;
        musicPrompt = musicPrompt == null ? "" : PlainText.line(musicPrompt);
        sequence = sequence == null ? "" : PlainText.line(sequence);
        if (seed < 0) {
            throw new IllegalArgumentException("seed must be 0 or more, got " + seed);
        }
    }

    /**
     * Validates a prompt: not empty, at most {@value #MAX_PROMPT_CHARS} characters once made one
     * clean line ({@link PlainText}); returns that line.
     */
    public static String checkPrompt(String prompt) {
        String stripped = PlainText.line(prompt);
        if (stripped == null || stripped.isBlank()) {
            throw new IllegalArgumentException("prompt is empty");
        }
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
