package tv.latent.director;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tv.latent.director.Director.ChannelBrief;
import tv.latent.director.Director.Direction;
import tv.latent.director.Director.DirectorRequest;

/**
 * What every {@link Director} must do, whatever drives it. Subclass it per implementation
 * (the template director here; the LLM director against a fake server speaking its protocol).
 */
abstract class DirectorContract {
    /** A fresh director under test. */
    abstract Director director();

    static ChannelBrief aBrief(String theme) {
        return new ChannelBrief("wild", "Wild Hours", theme, List.of("cinematic", "35mm film"), "calm ambient piano");
    }

    static DirectorRequest aRequest(String theme, int count, long seed) {
        return new DirectorRequest(aBrief(theme), List.of(), count, seed);
    }

    static DirectorRequest aNarratedRequest(
            String theme, Director.NarrationBrief.Mode mode, String persona, int words, int count, long seed) {
        ChannelBrief plain = aBrief(theme);
        ChannelBrief brief = new ChannelBrief(
                plain.channelId(),
                plain.title(),
                plain.theme(),
                plain.style(),
                plain.musicMood(),
                new Director.NarrationBrief(mode, persona, "en", words));
        return new DirectorRequest(brief, List.of(), count, seed);
    }

    @Test
    void aChannelWithoutANarratorGetsSilentShots() throws Exception {
        assertThat(plan(aRequest("wildlife at golden hour", 5, 3)).shots())
                .allSatisfy(shot -> assertThat(shot.narration()).isEmpty());
    }

    @Test
    void aNarratorPerShotGivesEveryShotAShortCleanLine() throws Exception {
        Direction d = plan(aNarratedRequest(
                "wildlife at golden hour", Director.NarrationBrief.Mode.SHOT, "documentary narrator", 6, 6, 5));

        assertThat(d.shots()).hasSize(6).allSatisfy(shot -> {
            assertThat(shot.narration()).isNotBlank();
            assertThat(NarrationLines.words(shot.narration())).hasSizeLessThanOrEqualTo(6);
            assertThat(shot.narration()).doesNotContainPattern("\\p{Cntrl}");
            assertThat(shot.moderatedTexts()).contains(shot.narration());
        });
    }

    @Test
    void aNarratorPerSequenceSpreadsOneLineOverItsShots() throws Exception {
        Direction d = plan(aNarratedRequest(
                "wildlife at golden hour", Director.NarrationBrief.Mode.SEQUENCE, "documentary narrator", 6, 7, 9));

        Map<String, List<ShotPlan>> sequences = new LinkedHashMap<>();
        d.shots().forEach(s -> sequences
                .computeIfAbsent(s.sequence(), k -> new ArrayList<>())
                .add(s));
        for (List<ShotPlan> shots : sequences.values()) {
            assertThat(shots.getFirst().narration())
                    .as("a sequence opens with its line")
                    .isNotBlank();
            int words = shots.stream()
                    .mapToInt(s -> NarrationLines.words(s.narration()).size())
                    .sum();
            assertThat(words).isLessThanOrEqualTo(6 * shots.size());
            for (ShotPlan shot : shots) {
                assertThat(NarrationLines.words(shot.narration())).hasSizeLessThanOrEqualTo(6 + 2);
            }
        }
    }

    Direction plan(DirectorRequest request) throws Exception {
        try (Director d = director()) {
            return d.plan(request);
        }
    }

    @Test
    void respectsCountAndPromptLimit() throws Exception {
        for (int count : new int[] {1, 2, 3, 5, 17, 100}) {
            Direction direction = plan(aRequest("wildlife at golden hour", count, 11));
            assertThat(direction.shots()).hasSize(count);
            for (ShotPlan shot : direction.shots()) {
                assertThat(shot.prompt()).isNotBlank().hasSizeLessThanOrEqualTo(ShotPlan.MAX_PROMPT_CHARS);
                assertThat(shot.seed()).isBetween(0L, (1L << 31) - 1);
                assertThat(shot.sequence()).isNotBlank();
                assertThat(shot.title()).isNotBlank();
            }
        }
    }

    @Test
    void neverRepeatsARecentPrompt() throws Exception {
        List<String> history = new ArrayList<>(); // newest first, as a channel keeps it
        Set<String> seen = new HashSet<>();
        for (int round = 0; round < 50; round++) {
            DirectorRequest request = new DirectorRequest(
                    aBrief("wildlife documentary in misty mountains"), history, 4, 1000 + round % 3);
            for (ShotPlan shot : plan(request).shots()) {
                String key = shot.prompt().toLowerCase(Locale.ROOT).strip();
                assertThat(seen.add(key))
                        .as("round %d repeats: %s", round, shot.prompt())
                        .isTrue();
                history.addFirst(shot.prompt());
            }
        }
        assertThat(seen).hasSize(200);
    }

    @Test
    void neverRepeatsAPromptWithinOneBatch() throws Exception {
        List<ShotPlan> shots =
                plan(aRequest("llamas doing office jobs", 100, 5)).shots();
        assertThat(shots.stream().map(ShotPlan::prompt).distinct()).hasSize(100);
    }

    @Test
    void groupsShotsIntoContiguousSequencesOfTwoToFour() throws Exception {
        for (long seed = 0; seed < 20; seed++) {
            List<ShotPlan> shots = plan(aRequest("cozy cyberpunk city at night", 2 + (int) seed, seed))
                    .shots();
            Map<String, Integer> sizes = new LinkedHashMap<>();
            String previous = null;
            for (ShotPlan shot : shots) {
                if (!shot.sequence().equals(previous)) {
                    assertThat(sizes)
                            .as("sequence %s is split", shot.sequence())
                            .doesNotContainKey(shot.sequence());
                }
                sizes.merge(shot.sequence(), 1, Integer::sum);
                previous = shot.sequence();
            }
            assertThat(sizes.values()).allSatisfy(n -> assertThat(n).isBetween(2, 4));
        }
    }

    Direction adapt(String suggestion, long seed) throws Exception {
        try (Director d = director()) {
            return d.adapt(new Director.AdaptRequest(aBrief("wildlife at golden hour"), suggestion, List.of(), seed));
        }
    }

    @Test
    void adaptingASuggestionGivesOneShotThatKeepsTheViewersWords() throws Exception {
        Direction direction = adapt("a red fox juggling glowing lanterns on a snowy rooftop", 7);
        assertThat(direction.shots()).singleElement().satisfies(shot -> {
            assertThat(shot.prompt().toLowerCase(Locale.ROOT)).contains("fox", "juggling", "lanterns", "rooftop");
            assertThat(shot.prompt()).hasSizeLessThanOrEqualTo(ShotPlan.MAX_PROMPT_CHARS);
            assertThat(shot.title()).isNotBlank();
            assertThat(shot.negativePrompt()).contains("text", "watermark");
            assertThat(shot.seed()).isBetween(0L, (1L << 31) - 1);
        });
    }

    @Test
    void anAdaptedPromptNeverCarriesMarkup() throws Exception {
        Direction direction = adapt("<script>alert('x')</script> a <b>purple</b> whale {{7*7}} singing", 3);
        assertThat(direction.shots()).singleElement().satisfies(shot -> {
            assertThat(shot.prompt()).doesNotContain("<", ">", "{", "}").contains("purple", "whale", "singing");
            assertThat(shot.title()).doesNotContain("<", ">");
        });
    }

    @Test
    void negativePromptKeepsStockWatermarksAndTextOut() throws Exception {
        for (ShotPlan shot : plan(aRequest("wildlife at golden hour", 6, 3)).shots()) {
            assertThat(shot.negativePrompt()).contains("text", "watermark", "logo");
        }
    }
}
