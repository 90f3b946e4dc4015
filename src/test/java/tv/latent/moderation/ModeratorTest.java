package tv.latent.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tv.latent.backend.moderation.FakeModerationServer;
import tv.latent.config.StudioConfig;

class ModeratorTest {
    private static Moderator listing(List<String> words, List<String> patterns) {
        return Moderator.of(new StudioConfig.Moderation(words, patterns, Optional.empty(), 3), name -> null);
    }

    private static Moderator withEndpoint(FakeModerationServer fake) {
        return Moderator.of(
                new StudioConfig.Moderation(
                        List.of("gorefest"),
                        List.of(),
                        Optional.of(new StudioConfig.ModerationEndpoint(
                                fake.baseUrl(), "omni-moderation-latest", "MOD_KEY", Duration.ofSeconds(2))),
                        3),
                name -> name.equals("MOD_KEY") ? "sk-secret" : null);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a Badword here",
                "a bádwörd here",
                "a ｂａｄｗｏｒｄ here",
                "a bаdwоrd here", // Cyrillic а and о
                "a b4dw0rd here",
                "a b a d w o r d here",
                "a b.a.d.w.o.r.d here",
                "a bad\u200Bword here",
                "a baaaadwoooord here",
                "a BADWORD!!! here"
            })
    void aListedWordIsFoundThroughTheUsualDisguises(String text) {
        try (Moderator moderator = listing(List.of("badword"), List.of())) {
            Verdict verdict = moderator.checkLists(text);
            assertThat(verdict.flagged()).as(text).isTrue();
            assertThat(verdict.source()).isEqualTo("words");
            assertThat(verdict.reason()).contains("badword");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a classic class assessment", "grass and glass", "Scunthorpe and Sussex", "passion"})
    void aListedWordInsideAnotherWordIsNotFlagged(String text) {
        try (Moderator moderator = listing(List.of("ass", "cunt", "sex"), List.of())) {
            assertThat(moderator.checkLists(text).flagged()).as(text).isFalse();
        }
    }

    @Test
    void phrasesMatchTheirWordsInARowAndPatternsMatchAnywhere() throws Exception {
        try (Moderator moderator = listing(List.of("blood bath"), List.of("k[i1]ll\\s*(them|all)"))) {
            assertThat(moderator.check("a blood  bath at dawn").flagged()).isTrue();
            assertThat(moderator.check("a bath of blood").flagged()).isFalse();
            Verdict pattern = moderator.check("now KILL them");
            assertThat(pattern.flagged()).isTrue();
            assertThat(pattern.source()).isEqualTo("patterns");
            assertThat(moderator.check("a killer whale").flagged()).isFalse();
        }
    }

    @Test
    void theEndpointFlagsWhatTheListsMissAndItsVerdictIsRemembered() throws Exception {
        try (FakeModerationServer fake = new FakeModerationServer().flag("menacing", "violence");
                Moderator moderator = withEndpoint(fake)) {
            Verdict verdict = moderator.check("a menacing figure");
            assertThat(verdict.flagged()).isTrue();
            assertThat(verdict.source()).isEqualTo("endpoint");
            assertThat(verdict.reason()).contains("violence").doesNotContain("sk-secret");
            assertThat(moderator.check("a menacing figure").flagged()).isTrue();
            assertThat(moderator.check("a calm lake").flagged()).isFalse();
            assertThat(fake.inputs).containsExactly("a menacing figure", "a calm lake");
            assertThat(fake.authorizations).allMatch(a -> a.equals("Bearer sk-secret"));

            assertThat(moderator.check("gorefest tonight").source())
                    .as("the lists answer first, without a call")
                    .isEqualTo("words");
            assertThat(fake.inputs).hasSize(2);
        }
    }

    @Test
    void whenTheEndpointCannotAnswerNothingPasses() throws Exception {
        try (FakeModerationServer fake = new FakeModerationServer();
                Moderator moderator = withEndpoint(fake)) {
            fake.mode = FakeModerationServer.Mode.SERVER_ERROR;
            assertThatThrownBy(() -> moderator.check("a calm lake"))
                    .isInstanceOf(ModerationUnavailableException.class)
                    .hasMessageContaining("500")
                    .hasMessageNotContaining("sk-secret");
        }
    }

    @Test
    void nothingConfiguredPassesEverythingWithoutACall() throws Exception {
        try (Moderator moderator = Moderator.none()) {
            assertThat(moderator.passesEverything()).isTrue();
            assertThat(moderator.check("anything at all")).isEqualTo(Verdict.PASSED);
        }
    }
}
