package tv.latent.director;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A director that asks an OpenAI-compatible chat completions server (OpenAI, Ollama, llama.cpp,
 * vLLM) for shots, with a strict JSON schema in the nested {@code json_schema} form every one of
 * them reads. The answer is validated here (servers that ignore the schema exist); an answer that
 * is not valid JSON of the right shape is asked for once more, then the call fails. Sequences,
 * seeds and the stock negative prompt are LatentTV's, not the model's.
 *
 * <pre>{@code
 * Director llm = new OpenAiDirector("http://127.0.0.1:11434/v1", "", "llama3.1", 0.9, Duration.ofSeconds(60));
 * Direction next = llm.plan(request);
 * }</pre>
 *
 * <p>Thread-safe (the SDK client is). {@link #close()} is idempotent.
 */
public final class OpenAiDirector implements Director {
    static final String NAME = "openai";
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiDirector.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TITLE = 80;

    private final OpenAIClient client;
    private final String model;
    private final double temperature;

    /**
     * @param baseUrl e.g. {@code https://api.openai.com/v1}, {@code http://localhost:11434/v1}
     * @param apiKey the key, or blank for servers that take none (never logged)
     */
    public OpenAiDirector(String baseUrl, String apiKey, String model, double temperature, Duration timeout) {
        this.client = OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl)
                .apiKey(apiKey == null || apiKey.isBlank() ? "none" : apiKey)
                .timeout(timeout)
                .maxRetries(0) // the pipeline and the fallback director decide what happens next
                .build();
        this.model = model;
        this.temperature = temperature;
    }

    @Override
    public Direction plan(DirectorRequest request) throws IOException, InterruptedException {
        Set<String> taken = new HashSet<>();
        request.recentPrompts().forEach(p -> taken.add(key(p)));
        List<Shot> shots = new ArrayList<>();
        // one more ask for what was missing or repeated; a model that keeps repeating itself fails
        for (int round = 0; round < 2 && shots.size() < request.count(); round++) {
            for (Shot shot : ask(request, request.count() - shots.size(), taken)) {
                if (shots.size() < request.count() && taken.add(key(shot.prompt()))) {
                    shots.add(shot);
                }
            }
        }
        if (shots.size() < request.count()) {
            throw new IOException("the LLM gave " + shots.size() + " new shots of the " + request.count() + " asked");
        }
        List<Integer> sizes = TemplateDirector.sequenceSizes(request.count(), request.seed());
        List<ShotPlan> plans = new ArrayList<>();
        int index = 0;
        for (int s = 0; s < sizes.size(); s++) {
            for (int i = 0; i < sizes.get(s); i++, index++) {
                Shot shot = shots.get(index);
                long seed = Math.floorMod(request.seed() * 1_000_003L + index * 7_919L + 17, 1L << 31);
                plans.add(new ShotPlan(
                        shot.title(),
                        shot.prompt(),
                        TemplateDirector.BASE_NEGATIVE,
                        seed,
                        shot.music(),
                        "s" + (s + 1)));
            }
        }
        return new Direction(plans, NAME + ":" + model, "");
    }

    private record Shot(String title, String prompt, String music) {}

    private List<Shot> ask(DirectorRequest request, int count, Set<String> taken)
            throws IOException, InterruptedException {
        String problem = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            String answer = complete(request, count, taken, problem);
            try {
                return parse(answer);
            } catch (IOException e) {
                problem = e.getMessage();
                LOG.warn("the LLM's answer was not usable (try {} of 2): {}", attempt + 1, problem);
            }
        }
        throw new IOException("the LLM twice answered with unusable JSON: " + problem);
    }

    private String complete(DirectorRequest request, int count, Set<String> taken, String problem)
            throws IOException, InterruptedException {
        ChannelBrief brief = request.brief();
        Map<String, Object> ask = new java.util.LinkedHashMap<>();
        ask.put("channel", brief.title());
        ask.put("theme", brief.theme());
        ask.put("style", brief.style());
        ask.put("musicMood", brief.musicMood());
        ask.put("count", count);
        ask.put("avoidPrompts", request.recentPrompts().stream().limit(30).toList());
        if (request.continuity()) {
            ask.put(
                    "continuity",
                    "consecutive shots form one continuous scene: each starts exactly where the previous"
                            + " one ended (same subject, place, light and framing) and carries its action on");
        }
        String user = JSON.writeValueAsString(ask)
                + (problem == null
                        ? ""
                        : "\nYour previous answer was rejected: " + problem
                                + ". Answer with JSON that matches the schema exactly.");
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(model)
                .temperature(temperature)
                .seed(request.seed())
                .addSystemMessage(SYSTEM)
                .addUserMessage(user)
                .responseFormat(responseFormat())
                .build();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        ChatCompletion completion;
        try {
            completion = client.chat().completions().create(params);
        } catch (RuntimeException e) {
            // the SDK throws unchecked exceptions; their messages hold status and body, never the key
            throw new IOException(
                    "the LLM server failed: " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()), e);
        }
        if (completion.choices().isEmpty()) {
            throw new IOException("the LLM answered without choices");
        }
        return completion.choices().get(0).message().content().orElse("");
    }

    static List<Shot> parse(String answer) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(answer);
        } catch (IOException e) {
            throw new IOException("not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.path("shots").isArray()) {
            throw new IOException("expected an object with a \"shots\" array");
        }
        List<Shot> shots = new ArrayList<>();
        for (JsonNode node : root.get("shots")) {
            String prompt = node.path("prompt").asText("").strip();
            if (prompt.isEmpty() || prompt.length() > ShotPlan.MAX_PROMPT_CHARS) {
                throw new IOException(
                        "a shot's prompt is empty or longer than " + ShotPlan.MAX_PROMPT_CHARS + " characters");
            }
            String title = node.path("title").asText("").strip();
            if (title.length() > MAX_TITLE) {
                title = title.substring(0, MAX_TITLE - 3) + "...";
            }
            shots.add(new Shot(title, prompt, node.path("music").asText("").strip()));
        }
        return shots;
    }

    private static final String SYSTEM =
            """
      You are the director of an AI television channel. For the channel described in the user's
      JSON, write `count` shots for a text-to-video model: each a vivid, concrete one-sentence
      prompt (subject, action, place, light, camera, style words), a short title, and a music
      prompt. Consecutive shots may continue one scene. Never repeat a prompt from avoidPrompts.
      No text, logos or watermarks in the picture. Answer only with JSON matching the schema.""";

    /** The nested form with a name: llama.cpp and Ollama read json_schema.schema, vLLM needs name. */
    static ResponseFormatJsonSchema responseFormat() {
        Map<String, Object> shot = Map.of(
                "type",
                "object",
                "properties",
                Map.of(
                        "title", Map.of("type", "string"),
                        "prompt", Map.of("type", "string"),
                        "music", Map.of("type", "string")),
                "required",
                List.of("title", "prompt", "music"),
                "additionalProperties",
                false);
        ResponseFormatJsonSchema.JsonSchema.Schema schema = ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty(
                        "properties", JsonValue.from(Map.of("shots", Map.of("type", "array", "items", shot))))
                .putAdditionalProperty("required", JsonValue.from(List.of("shots")))
                .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                .build();
        return ResponseFormatJsonSchema.builder()
                .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                        .name("shot_plans")
                        .strict(true)
                        .schema(schema)
                        .build())
                .build();
    }

    private static String key(String prompt) {
        return prompt.toLowerCase(Locale.ROOT).strip();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String line = text.lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    @Override
    public void close() {
        client.close();
    }
}
