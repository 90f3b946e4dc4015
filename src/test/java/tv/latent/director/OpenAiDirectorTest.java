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
    void anAnswerThatNeverEndsFailsAtTheCapUnread() {
        fake.mode = FakeChatServer.Mode.ENDLESS_ANSWER;
        long heapBefore = usedHeap();
        assertThatThrownBy(() -> plan(aRequest("foxes", 2, 1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("larger than " + OpenAiDirector.MAX_ANSWER_BYTES + " bytes");
        // the answer never ends: returning at all shows the director stopped reading; what it kept is
        // the cap, not what the server pushed into the connection meanwhile (that depends on how
        // fast the closed connection is noticed on a loaded machine)
        assertThat(usedHeap() - heapBefore)
                .as("heap kept from an endless answer")
                .isLessThan(64L << 20);
        assertThat(fake.bytesSent.get()).as("bytes the server got out").isLessThan(1L << 30);
    }

    @Test
    void aCompressionBombFailsAtTheCapOfTheDecompressedAnswer() {
        fake.mode = FakeChatServer.Mode.GZIP_BOMB;
        long heapBefore = usedHeap();
        assertThatThrownBy(() -> plan(aRequest("foxes", 2, 1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("larger than " + OpenAiDirector.MAX_ANSWER_BYTES + " bytes (once decompressed)");
        assertThat(usedHeap() - heapBefore)
                .as("the 100 MB answer was never held")
                .isLessThan(64L << 20);
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @Test
    void titlesPromptsAndMusicComeBackAsCleanSingleLines() throws Exception {
        fake.mode = FakeChatServer.Mode.CONTROL_CHARACTERS;
        Director.Direction d = plan(aRequest("foxes", 2, 1));
        for (ShotPlan shot : d.shots()) {
            for (String text : new String[] {shot.title(), shot.prompt(), shot.musicPrompt()}) {
                assertThat(text.codePoints())
                        .as(text)
                        .noneMatch(c ->
                                Character.isISOControl(c) || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069);
            }
            assertThat(shot.title()).matches("Shot \\d+ INJECTED");
            assertThat(shot.prompt()).startsWith("a red fox number ");
            assertThat(shot.musicPrompt()).isEqualTo("calm ambient piano");
        }
    }

    @Test
    void after429WithRetryAfterTheServerIsLeftAloneUntilThen() throws Exception {
        fake.mode = FakeChatServer.Mode.RATE_LIMITED;
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        try (Director llm = new OpenAiDirector(
                fake.baseUrl(),
                "sk-test-secret",
                "llama3.1",
                0.8,
                Duration.ofSeconds(10),
                nanos::get,
                java.time.InstantSource.system())) {
            assertThatThrownBy(() -> llm.plan(aRequest("foxes", 2, 1))).hasMessageContaining("429");
            fake.mode = FakeChatServer.Mode.VALID;
            nanos.addAndGet(Duration.ofSeconds(29).toNanos());
            assertThatThrownBy(() -> llm.plan(aRequest("foxes", 2, 1)))
                    .hasMessageContaining("asked to be left alone for another 1 s (Retry-After)");
            assertThat(fake.requests)
                    .as("no call while the server asked for quiet")
                    .hasSize(1);

            nanos.addAndGet(Duration.ofSeconds(2).toNanos());
            assertThat(llm.plan(aRequest("foxes", 2, 1)).shots()).hasSize(2);
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
