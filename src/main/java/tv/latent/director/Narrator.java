package tv.latent.director;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tv.latent.director.Director.NarrationBrief;

/**
 * The template director's narrator: short lines in one of a few personas (a wildlife documentary
 * narrator, a poet, a sports commentator, a noir detective, a storyteller), filled with what the
 * sequence shows (its subject, place, light, mood and an action) and kept within the words a
 * shot has time for. Lines are English whatever the channel's language (the LLM director writes
 * in any language). Deterministic by seed; varied within a batch: a template is not used twice
 * while others still fit.
 *
 * <p>Not thread-safe (it remembers the templates a batch used); make one per plan.
 */
final class Narrator {
    /** Who speaks; chosen from the persona's words ("sports commentator", "a bedtime storyteller"). */
    enum Persona {
        DOCUMENTARY(
                "Meet {s}.",
                "This is {s}.",
                "Watch {s}.",
                "{S}, {doing}.",
                "{S}, {when}.",
                "{S}, {where}.",
                "{S}, up close.",
                "{S}, ever watchful.",
                "Patient, {s} waits.",
                "Quietly, {s} moves on.",
                "{S} knows this place.",
                "Few ever see {s}.",
                "Few have seen {s} this close.",
                "{When}, {s} is never idle.",
                "For {s}, every moment counts.",
                "Here, {where}, lives {s}."),
        POET(
                "Hush. {S}.",
                "Soft light. {S}.",
                "Light, and {s}.",
                "{S}, dreaming.",
                "Time slows. {S}.",
                "All is {mood}.",
                "{S}, like a whisper.",
                "{When}, {s} dreams.",
                "{S}, {mood} and still.",
                "{Where}, the world holds still.",
                "Everything glows. Even {s}.",
                "A {mood} hour. {S}, {doing}."),
        SPORTS(
                "Here comes {s}!",
                "What a move!",
                "Unbelievable!",
                "Look at that pace!",
                "{S} takes the lead!",
                "{S}, {doing}!",
                "{S} is on fire!",
                "{S} does it again!",
                "Incredible from {s}!",
                "The crowd goes wild!",
                "Nobody saw that coming!",
                "What a performance from {s}!"),
        NOIR(
                "{S} knew the score.",
                "{S} never talks.",
                "{S} had seen it all.",
                "Trouble follows {s}.",
                "Nobody asks questions.",
                "The night was long.",
                "Some things stay hidden.",
                "{S}, {doing}. Like always.",
                "{When}, nobody asks questions.",
                "{Where}, nothing is simple.",
                "The night never sleeps. Neither does {s}."),
        STORYTELLER(
                "Once, there was {s}.",
                "{S} had a secret.",
                "And so, {s} set off.",
                "{S} found a friend.",
                "{S} kept on going.",
                "One day, {s} wondered.",
                "Nobody knew, except {s}.",
                "And so, {when}, {s} began.",
                "Long ago, {where}, there lived {s}.",
                "And that is how {s} learned to wait.");

        final List<String> templates;

        Persona(String... templates) {
            this.templates = List.of(templates);
        }

        /** The persona a channel's persona text names; a documentary narrator when it names none. */
        static Persona of(String text) {
            String t = text == null ? "" : text.toLowerCase(Locale.ROOT);
            if (t.matches(".*\\b(sport\\w*|comment\\w*|match|race|play-by-play)\\b.*")) {
                return SPORTS;
            }
            if (t.matches(".*\\b(poe\\w*|lyric\\w*|verse)\\b.*")) {
                return POET;
            }
            if (t.matches(".*\\b(noir|detective|hard-?boiled|private eye)\\b.*")) {
                return NOIR;
            }
            if (t.matches(".*\\b(story\\w*|tale\\w*|bedtime|fairy)\\b.*")) {
                return STORYTELLER;
            }
            return DOCUMENTARY;
        }
    }

    /**
     * What a sequence shows, in words a line can use; any may be empty (then templates that need
     * it are not used).
     *
     * @param subject "the red fox"
     * @param where "in the mountains"
     * @param when "at golden hour"
     * @param doings short actions, e.g. "pausing to sniff the ground"
     * @param mood one adjective, e.g. "quiet"
     */
    record Scene(String subject, String where, String when, List<String> doings, String mood) {
        Scene {
            doings = List.copyOf(doings);
        }
    }

    private final Persona persona;
    private final int wordsPerShot;
    private final Set<String> used = new HashSet<>();

    Narrator(NarrationBrief brief) {
        this.persona = Persona.of(brief.persona());
        this.wordsPerShot = brief.wordsPerShot();
    }

    Persona persona() {
        return persona;
    }

    /** One line for one shot, at most the shot's words. */
    String shotLine(Scene scene, PlanRandom rng) {
        return line(scene, wordsPerShot, rng);
    }

    /**
     * One line for a sequence of {@code shots} shots, one or more sentences, at most about the
     * words those shots have time for (with a word of slack per shot, for spreading).
     */
    String sequenceLine(Scene scene, int shots, PlanRandom rng) {
        int budget = Math.max(1, shots * Math.max(1, wordsPerShot - 1));
        List<String> sentences = new ArrayList<>(List.of(line(scene, budget, rng)));
        int words = NarrationLines.words(sentences.getFirst()).size();
        for (int i = 1; i < shots; i++) {
            // only whole sentences after the first: a shortened one would end the line mid-thought
            String next = template(scene, budget - words, rng);
            if (next == null) {
                break;
            }
            sentences.add(next);
            words += NarrationLines.words(next).size();
        }
        return String.join(" ", sentences);
    }

    private String line(Scene scene, int maxWords, PlanRandom rng) {
        if (maxWords < 1) {
            return "";
        }
        String line = template(scene, maxWords, rng);
        // nothing fits so few words: the subject alone, shortened at a word boundary
        return line != null ? line : NarrationLines.shorten(capitalise(scene.subject()) + ".", maxWords);
    }

    /** A filled template of at most {@code maxWords} words, one this batch has not used when it can; null when none fits. */
    private String template(Scene scene, int maxWords, PlanRandom rng) {
        if (maxWords < 1) {
            return null;
        }
        int doing = rng.nextInt(Math.max(1, scene.doings().size()));
        List<String> fresh = new ArrayList<>();
        List<String> fitting = new ArrayList<>();
        for (String template : persona.templates) {
            String filled = fill(template, scene, doing);
            if (filled == null || NarrationLines.words(filled).size() > maxWords) {
                continue;
            }
            fitting.add(template);
            if (!used.contains(template)) {
                fresh.add(template);
            }
        }
        List<String> pool = fresh.isEmpty() ? fitting : fresh;
        if (pool.isEmpty()) {
            return null;
        }
        String template = rng.pick(pool);
        used.add(template);
        return fill(template, scene, doing);
    }

    /** The template with its slots filled, or null when it needs a slot the scene lacks. */
    private static String fill(String template, Scene scene, int doing) {
        String doingText = scene.doings().isEmpty() ? "" : scene.doings().get(doing);
        String[][] slots = {
            {"{S}", capitalise(scene.subject())},
            {"{s}", scene.subject()},
            {"{Where}", capitalise(scene.where())},
            {"{where}", scene.where()},
            {"{When}", capitalise(scene.when())},
            {"{when}", scene.when()},
            {"{doing}", doingText},
            {"{mood}", scene.mood()}
        };
        String out = template;
        for (String[] slot : slots) {
            if (out.contains(slot[0])) {
                if (slot[1].isBlank()) {
                    return null;
                }
                out = out.replace(slot[0], slot[1]);
            }
        }
        return out;
    }

    /** "Red fox" → "the red fox"; a title that already starts with an article keeps it. */
    static String subjectOf(String title) {
        String t = title == null ? "" : title.strip();
        if (t.isEmpty()) {
            return "";
        }
        String lower = Character.toLowerCase(t.charAt(0)) + t.substring(1);
        return lower.matches("(the|a|an) .*") ? lower : "the " + lower;
    }

    private static String capitalise(String s) {
        return s == null || s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
