package tv.latent.director;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The director contract for the LLM director against a fake OpenAI-compatible server. */
class OpenAiDirectorTest extends DirectorContract {
    final FakeChatServer fake;

    OpenAiDirectorTest() throws IOException {
        fake = new FakeChatServer();
    }

    @Override
    Director director() {
        return new OpenAiDirector(fake.baseUrl(), "sk-test-secret", "llama3.1", 0.8, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void sendsTheNestedStrictJsonSchemaWithAName() throws Exception {
        plan(aRequest("foxes", 2, 1));
        JsonNode format = fake.requests.getFirst().path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.at("/json_schema/name").asText()).isNotBlank();
        assertThat(format.at("/json_schema/strict").asBoolean()).isTrue();
        assertThat(format.at("/json_schema/schema/additionalProperties").asBoolean(true))
                .isFalse();
        assertThat(format.at("/json_schema/schema/properties/shots/items/required"))
                .hasSize(3);
        assertThat(fake.authorizations.getFirst()).isEqualTo("Bearer sk-test-secret");
    }

    @Test
    void invalidJsonOnceIsAskedForAgain() throws Exception {
        fake.mode = FakeChatServer.Mode.INVALID_JSON_ONCE;
        Director.Direction d = plan(aRequest("foxes", 3, 1));
        assertThat(d.shots()).hasSize(3);
        assertThat(fake.requests).hasSize(2);
    }

    @Test
    void invalidJsonTwiceFails() {
        fake.mode = FakeChatServer.Mode.INVALID_JSON_ALWAYS;
        assertThatThrownBy(() -> plan(aRequest("foxes", 3, 1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void whenTheLlmFailsTheTemplateDirectorPlansAndTheNoteSaysSo() throws Exception {
        fake.mode = FakeChatServer.Mode.SERVER_ERROR;
        try (Director d = new FallbackDirector(director(), new TemplateDirector())) {
            Director.Direction direction = d.plan(aRequest("foxes", 4, 1));
            assertThat(direction.shots()).hasSize(4);
            assertThat(direction.note())
                    .startsWith("LLM unavailable: ")
                    .contains("500")
                    .endsWith("; template director used")
                    .doesNotContain("sk-test-secret");
        }
    }

    @Test
    void theViewersSuggestionTravelsAsAJsonValueAndAPromptThatDropsItIsAskedForAgain() throws Exception {
        fake.mode = FakeChatServer.Mode.DROPS_THE_VIEWERS_WORDS;
        assertThatThrownBy(() -> adapt("a purple whale singing opera", 1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("keep the viewer's subject and words");
        assertThat(fake.requests).hasSize(2);
        String user = fake.requests.getFirst().at("/messages/1/content").asText();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(user)
                        .path("suggestion")
                        .asText())
                .isEqualTo("a purple whale singing opera");
    }

    @Test
    void whenTheLlmCannotAdaptTheTemplateDirectorDoesAndKeepsTheWords() throws Exception {
        fake.mode = FakeChatServer.Mode.DROPS_THE_VIEWERS_WORDS;
        try (Director d = new FallbackDirector(director(), new TemplateDirector())) {
            Director.Direction direction = d.adapt(
                    new Director.AdaptRequest(aBrief("foxes"), "a purple whale singing opera", java.util.List.of(), 1));
            assertThat(direction.director()).isEqualTo(TemplateDirector.NAME);
            assertThat(direction.shots().getFirst().prompt()).contains("a purple whale singing opera");
            assertThat(direction.note()).startsWith("LLM unavailable");
        }
    }

    @Test
    void whenTheLlmIsDownTheTemplateDirectorPlans() throws Exception {
        fake.close();
        try (Director d = new FallbackDirector(director(), new TemplateDirector())) {
            Director.Direction direction = d.plan(aRequest("foxes", 2, 1));
            assertThat(direction.shots()).hasSize(2);
            assertThat(direction.note()).startsWith("LLM unavailable");
        }
    }
}
