package tv.latent.director;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tv.latent.director.Director.Direction;
import tv.latent.director.Director.NarrationBrief.Mode;

/** The template director's narrator, and how lines are shortened and spread (never inside a word). */
class NarrationTest {
    private static Direction plan(Mode mode, String persona, int words, int count, long seed) {
        return new TemplateDirector()
                .plan(DirectorContract.aNarratedRequest("wildlife at golden hour", mode, persona, words, count, seed));
    }

    @Test
    void aNarratorChangesNoPrompt() {
        Direction silent = new TemplateDirector().plan(DirectorContract.aRequest("wildlife at golden hour", 8, 42));
        Direction narrated = plan(Mode.SHOT, "documentary", 6, 8, 42);

        assertThat(narrated.shots().stream().map(ShotPlan::prompt).toList())
                .isEqualTo(silent.shots().stream().map(ShotPlan::prompt).toList());
        assertThat(narrated.shots().stream().map(ShotPlan::seed).toList())
                .isEqualTo(silent.shots().stream().map(ShotPlan::seed).toList());
    }

    @Test
    void linesVaryWithinABatchAndFollowTheSeed() {
        Direction first = plan(Mode.SHOT, "documentary", 7, 8, 11);
        Direction again = plan(Mode.SHOT, "documentary", 7, 8, 11);

        Set<String> lines = new HashSet<>();
        first.shots().forEach(s -> lines.add(s.narration()));
        assertThat(lines).as("distinct lines of 8").hasSizeGreaterThanOrEqualTo(6);
        assertThat(again.shots()).isEqualTo(first.shots());
    }

    @Test
    void eachPersonaHasItsOwnVoice() {
        List<String> sports = lines(plan(Mode.SHOT, "an excited sports commentator", 7, 8, 3));
        List<String> documentary = lines(plan(Mode.SHOT, "calm wildlife documentary narrator", 7, 8, 3));
        List<String> story = lines(plan(Mode.SHOT, "a bedtime storyteller", 7, 8, 3));

        assertThat(sports.stream().filter(l -> l.endsWith("!")).count()).isGreaterThanOrEqualTo(6);
        assertThat(documentary).noneMatch(l -> l.endsWith("!"));
        assertThat(story).doesNotContainAnyElementsOf(documentary);
        assertThat(Narrator.Persona.of("hard-boiled detective")).isEqualTo(Narrator.Persona.NOIR);
        assertThat(Narrator.Persona.of("a poet")).isEqualTo(Narrator.Persona.POET);
        assertThat(Narrator.Persona.of("someone")).isEqualTo(Narrator.Persona.DOCUMENTARY);
    }

    @Test
    void aLineAlwaysFitsItsWordsEvenWhenThereAreVeryFew() {
        for (int words = 1; words <= 4; words++) {
            for (ShotPlan shot : plan(Mode.SHOT, "documentary", words, 6, words).shots()) {
                assertThat(NarrationLines.words(shot.narration())).hasSizeBetween(1, words);
            }
        }
    }

    @Test
    void shorteningCutsAfterAClauseOrAWholeWord() {
        assertThat(NarrationLines.shorten("The fox waits. It has waited all winter for this.", 6))
                .isEqualTo("The fox waits.");
        assertThat(NarrationLines.shorten("Meet the red fox, patient and quiet, by the river.", 7))
                .isEqualTo("Meet the red fox, patient and quiet");
        assertThat(NarrationLines.shorten("Brown bears fish for salmon every single autumn", 4))
                .isEqualTo("Brown bears fish for");
        assertThat(NarrationLines.shorten("Short line.", 5)).isEqualTo("Short line.");
        assertThat(NarrationLines.shorten("Anything", 0)).isEmpty();
    }

    @Test
    void spreadingKeepsEveryWordInOrderAndBreaksAfterPunctuation() {
        String line = "Meet the red fox, patient and quiet, here by the misty river at dawn.";

        List<String> parts = NarrationLines.spread(line, 3);
        assertThat(parts).hasSize(3);
        assertThat(String.join(" ", parts)).isEqualTo(line);
        assertThat(parts.get(0)).endsWith(",");
        assertThat(NarrationLines.spread("Two words", 3)).containsExactly("Two", "words", "");
        assertThat(NarrationLines.spread("", 2)).containsExactly("", "");
    }

    @Test
    void aNarrationLineIsOneCleanLineAndPunctuationAloneIsSilence() {
        ShotPlan plan = new ShotPlan("t", "a fox", "", 1, "", "s1", "Meet\n the\u202E fox\u0007.");

        assertThat(plan.narration()).isEqualTo("Meet the fox .");
        assertThat(plan.withNarration("...").narrated()).isFalse();
    }

    private static List<String> lines(Direction d) {
        return d.shots().stream().map(ShotPlan::narration).toList();
    }
}
