package tv.latent.director;

import java.util.ArrayList;
import java.util.List;

/**
 * One shot as the director planned it. The same {@code prompt} and {@code seed} go to every
 * stage that takes them (render, and the upscaler, which wants the same prompt).
 *
 * <p>Every text is one clean line ({@link PlainText}): an LLM's newlines, control characters and
 * bidirectional overrides never reach a title on screen, a caption, a model server or a log.
 *
 * <p>Moderation: everything here that a viewer will see or hear is in {@link #moderatedTexts()}
 * (title, prompt, music prompt and the narration line), so a gate that checks those checks what
 * airs.
 *
 * @param sequence shots of one sequence share characters and colours; its id, e.g. "s3"
 * @param narration what the narrator says over this shot, or empty for silence (a channel without a
 *     narrator, or a sequence line that ended before this shot); spoken by the speak stage and shown
 *     as a caption
 */
public record ShotPlan(
        String title,
        String prompt,
        String negativePrompt,
        long seed,
        String musicPrompt,
        String sequence,
        String narration) {
    /** Longest prompt accepted, in characters. */
    public static final int MAX_PROMPT_CHARS = 2000;

    /** Longest narration line accepted, in characters (a few sentences: a clip lasts seconds). */
    public static final int MAX_NARRATION_CHARS = 400;

    public ShotPlan {
        prompt = checkPrompt(prompt);
        negativePrompt = negativePrompt == null ? "" : PlainText.line(negativePrompt);
        title = PlainText.line(title);
        title = title == null || title.isBlank() ? shorten(prompt) : title;
        musicPrompt = musicPrompt == null ? "" : PlainText.line(musicPrompt);
        sequence = sequence == null ? "" : PlainText.line(sequence);
        narration = checkNarration(narration);
        if (seed < 0) {
            throw new IllegalArgumentException("seed must be 0 or more, got " + seed);
        }
    }

    /** A shot without narration. */
    public ShotPlan(
            String title, String prompt, String negativePrompt, long seed, String musicPrompt, String sequence) {
        this(title, prompt, negativePrompt, seed, musicPrompt, sequence, "");
    }

    /** The same shot with another narration line. */
    public ShotPlan withNarration(String line) {
        return new ShotPlan(title, prompt, negativePrompt, seed, musicPrompt, sequence, line);
    }

    /** Whether the narrator speaks over this shot. */
    public boolean narrated() {
        return !narration.isEmpty();
    }

    /**
     * Every text of the shot that reaches the air, for a moderation gate: the title, the prompt,
     * the music prompt and the narration line (the non-empty ones, in that order).
     */
    public List<String> moderatedTexts() {
        List<String> texts = new ArrayList<>();
        for (String text : List.of(title, prompt, musicPrompt, narration)) {
            if (!text.isEmpty()) {
                texts.add(text);
            }
        }
        return List.copyOf(texts);
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

    /**
     * Validates a narration line: one clean line ({@link PlainText}, empty for none, and a line
     * without a letter or digit is none) of at most {@value #MAX_NARRATION_CHARS} characters;
     * returns that line.
     */
    public static String checkNarration(String line) {
        String clean = line == null ? "" : PlainText.line(line);
        if (clean.codePoints().noneMatch(Character::isLetterOrDigit)) {
            return ""; // punctuation alone is nothing to say
        }
        if (clean.length() > MAX_NARRATION_CHARS) {
            throw new IllegalArgumentException(
                    "narration line is " + clean.length() + " characters long; the limit is " + MAX_NARRATION_CHARS);
        }
        return clean;
    }

    private static String shorten(String prompt) {
        String firstClause = prompt.split("[,.;]", 2)[0].strip();
        return firstClause.length() <= 60 ? firstClause : firstClause.substring(0, 57) + "...";
    }
}
