package tv.latent.backend.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModerationClientTest {
    private static final String KEY = "sk-moderation-secret";
    private final FakeModerationServer fake;
    private final ModerationClient client;

    ModerationClientTest() throws Exception {
        fake = new FakeModerationServer().flag("bad guy", "harassment").flag("gore", "violence");
        client = ModerationClient.builder(URI.create(fake.baseUrl()))
                .apiKey(KEY)
                .model("omni-moderation-latest")
                .callTimeout(Duration.ofSeconds(2))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        fake.close();
    }

    @Test
    void aFlaggedTextComesBackWithItsCategoriesAndTheKeyTravelsAsABearerToken() throws Exception {
        ModerationResult result = client.moderate("a bad guy full of gore");
        assertThat(result.flagged()).isTrue();
        assertThat(result.categories()).containsExactly("harassment", "violence");
        assertThat(result.scores()).containsEntry("violence", 0.97);
        assertThat(result.model()).isEqualTo("omni-moderation-latest");
        assertThat(fake.authorizations).containsExactly("Bearer " + KEY);
        assertThat(fake.inputs).containsExactly("a bad guy full of gore");
    }

    @Test
    void aCleanTextIsNotFlagged() throws Exception {
        ModerationResult result = client.moderate("a red fox crossing a misty river");
        assertThat(result.flagged()).isFalse();
        assertThat(result.categories()).isEmpty();
    }

    @Test
    void aRefusedKeyIsNamedWithoutTheKey() {
        fake.mode = FakeModerationServer.Mode.UNAUTHORIZED;
        assertThatThrownBy(() -> client.moderate("hello"))
                .isInstanceOfSatisfying(ModerationException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ModerationException.Kind.UNAUTHORIZED);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.status()).isEqualTo(401);
                })
                .hasMessageContaining("Incorrect API key provided")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void serverErrorsAreRetryableAndGarbageIsMalformed() {
        fake.mode = FakeModerationServer.Mode.SERVER_ERROR;
        assertThatThrownBy(() -> client.moderate("hello"))
                .isInstanceOfSatisfying(ModerationException.class, e -> assertThat(e.retryable())
                        .isTrue())
                .hasMessageContaining("SERVER_ERROR (HTTP 500): overloaded");
        fake.mode = FakeModerationServer.Mode.GARBAGE;
        assertThatThrownBy(() -> client.moderate("hello"))
                .isInstanceOfSatisfying(ModerationException.class, e -> assertThat(e.kind())
                        .isEqualTo(ModerationException.Kind.MALFORMED_RESPONSE));
    }

    @Test
    void anAnswerBeyondTheLimitIsRefusedAndASilentServerTimesOut() {
        fake.mode = FakeModerationServer.Mode.HUGE;
        assertThatThrownBy(() -> client.moderate("hello"))
                .isInstanceOfSatisfying(ModerationException.class, e -> assertThat(e.kind())
                        .isEqualTo(ModerationException.Kind.TOO_LARGE));
        fake.mode = FakeModerationServer.Mode.SILENT;
        assertThatThrownBy(() -> client.moderate("hello"))
                .isInstanceOfSatisfying(ModerationException.class, e -> assertThat(e.kind())
                        .isEqualTo(ModerationException.Kind.TIMEOUT));
    }
}
