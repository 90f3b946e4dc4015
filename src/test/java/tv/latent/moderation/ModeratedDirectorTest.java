package tv.latent.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tv.latent.backend.moderation.FakeModerationServer;
import tv.latent.config.StudioConfig;
import tv.latent.director.Director;
import tv.latent.director.ShotPlan;
import tv.latent.director.TemplateDirector;

class ModeratedDirectorTest {
    /** One audit entry, as the console's log would keep it. */
    record Entry(String actor, String action, String subject, String detail) {}

    private final List<Entry> audit = new CopyOnWriteArrayList<>();
    private final AuditTrail trail =
            (actor, action, subject, detail) -> audit.add(new Entry(actor, action, subject, detail));

    private static final Director.ChannelBrief BRIEF = new Director.ChannelBrief(
            "wild", "Wild Hours", "wildlife at golden hour", List.of("cinematic", "35mm film"), "calm ambient piano");

    private static Moderator endpoint(FakeModerationServer fake) {
        return Moderator.of(
                new StudioConfig.Moderation(
                        List.of(),
                        List.of(),
                        Optional.of(new StudioConfig.ModerationEndpoint(
                                fake.baseUrl(), "omni-moderation-latest", "", Duration.ofSeconds(2))),
                        3),
                name -> null);
    }

    /** A word of the template director's first shot for this seed that its second shot lacks. */
    private static String aWordOnlyTheFirstShotHas(long seed) {
        List<ShotPlan> shots = new TemplateDirector()
                .plan(new Director.DirectorRequest(BRIEF, List.of(), 2, seed))
                .shots();
        List<String> second =
                List.of(shots.get(1).prompt().toLowerCase(Locale.ROOT).split("[^a-z]+"));
        for (String word : shots.get(0).prompt().toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            if (word.length() >= 5
                    && !second.contains(word)
                    && !shots.get(0).title().toLowerCase(Locale.ROOT).contains(word)) {
                return word;
            }
        }
        throw new IllegalStateException("the two shots share every word");
    }

    @Test
    void aShotTheEndpointFlagsIsReplacedBeforeAnythingIsSpentAndAudited() throws Exception {
        String flaggedWord = aWordOnlyTheFirstShotHas(42);
        try (FakeModerationServer fake = new FakeModerationServer().flag(flaggedWord, "violence");
                Director director = new ModeratedDirector(new TemplateDirector(), endpoint(fake), trail, "wild")) {
            Director.Direction direction = director.plan(new Director.DirectorRequest(BRIEF, List.of(), 2, 42));
            assertThat(direction.shots()).isNotEmpty().hasSizeLessThanOrEqualTo(2);
            assertThat(direction.shots())
                    .allSatisfy(shot ->
                            assertThat(shot.prompt().toLowerCase(Locale.ROOT)).doesNotContain(flaggedWord));
            assertThat(direction.note()).contains("flagged shots replaced");
            assertThat(audit).isNotEmpty().allSatisfy(e -> {
                assertThat(e.actor()).isEqualTo("moderation");
                assertThat(e.action()).isEqualTo("director.shot-replaced");
                assertThat(e.subject()).isEqualTo("channel:wild");
                assertThat(e.detail()).contains("violence", flaggedWord);
            });
            assertThat(fake.inputs).anySatisfy(input -> assertThat(input).contains(flaggedWord));
        }
    }

    @Test
    void aListedWordInEveryShotLeavesNothingToMakeAndSaysWhy() {
        Moderator lists = Moderator.of(
                new StudioConfig.Moderation(List.of("cinematic"), List.of(), Optional.empty(), 2), name -> null);
        try (Director director = new ModeratedDirector(new TemplateDirector(), lists, trail, "wild")) {
            assertThatThrownBy(() -> director.plan(new Director.DirectorRequest(BRIEF, List.of(), 3, 1)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("moderation flagged all 6 shots")
                    .hasMessageContaining("in 2 rounds");
            assertThat(audit).hasSize(6);
            assertThatThrownBy(() -> director.adapt(
                            new Director.AdaptRequest(BRIEF, "a red fox juggling lanterns", List.of(), 1)))
                    .hasMessageContaining("flagged every shot");
        }
    }

    @Test
    void whenTheEndpointIsDownTheDirectorsShotsWait() throws Exception {
        try (FakeModerationServer fake = new FakeModerationServer();
                Director director = new ModeratedDirector(new TemplateDirector(), endpoint(fake), trail, "wild")) {
            fake.mode = FakeModerationServer.Mode.SERVER_ERROR;
            assertThatThrownBy(() -> director.plan(new Director.DirectorRequest(BRIEF, List.of(), 2, 1)))
                    .isInstanceOf(ModerationUnavailableException.class);
            assertThat(audit).isEmpty();
        }
    }

    @Test
    void anAdaptedSuggestionPassesWithTheViewersWords() throws Exception {
        try (FakeModerationServer fake = new FakeModerationServer().flag("gore", "violence");
                Director director = new ModeratedDirector(new TemplateDirector(), endpoint(fake), trail, "wild")) {
            Director.Direction direction =
                    director.adapt(new Director.AdaptRequest(BRIEF, "a red fox juggling lanterns", List.of(), 3));
            assertThat(direction.shots().getFirst().prompt()).contains("a red fox juggling lanterns");
            assertThat(fake.inputs).singleElement().satisfies(input -> assertThat(input)
                    .contains("a red fox juggling lanterns", "calm ambient piano"));
        }
    }
}
