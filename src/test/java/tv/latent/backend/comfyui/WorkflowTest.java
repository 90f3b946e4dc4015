package tv.latent.backend.comfyui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WorkflowTest {

    static Workflow resource(String name) throws IOException {
        try (InputStream in = WorkflowTest.class.getResourceAsStream("/comfyui/" + name)) {
            return Workflow.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        }
    }

    static WorkflowInputs aFoxClip() {
        return WorkflowInputs.builder()
                .prompt("a red fox, golden hour")
                .negativePrompt("text")
                .seed(42)
                .size(576, 320)
                .frames(24)
                .fps(8)
                .steps(30)
                .cfg(7.5)
                .build();
    }

    @Test
    void listsThePlaceholdersAWorkflowUses() throws IOException {
        assertThat(resource("text2video.json").placeholders())
                .containsExactlyInAnyOrder(
                        Placeholder.PROMPT,
                        Placeholder.NEGATIVE_PROMPT,
                        Placeholder.WIDTH,
                        Placeholder.HEIGHT,
                        Placeholder.FRAMES,
                        Placeholder.SEED,
                        Placeholder.STEPS,
                        Placeholder.CFG,
                        Placeholder.FPS);
    }

    @Test
    void fillsPlaceholdersWithTheirJsonTypes() throws IOException {
        ObjectNode graph = resource("text2video.json").fill(aFoxClip());

        assertThat(graph.at("/2/inputs/text").isTextual()).isTrue();
        assertThat(graph.at("/2/inputs/text").asText()).isEqualTo("a red fox, golden hour");
        assertThat(graph.at("/5/inputs/seed").isIntegralNumber()).isTrue();
        assertThat(graph.at("/5/inputs/seed").asLong()).isEqualTo(42);
        assertThat(graph.at("/4/inputs/width").asInt()).isEqualTo(576);
        assertThat(graph.at("/4/inputs/length").asInt()).isEqualTo(24);
        assertThat(graph.at("/5/inputs/cfg").isFloatingPointNumber()).isTrue();
        assertThat(graph.at("/5/inputs/cfg").asDouble()).isEqualTo(7.5);
        assertThat(graph.at("/7/inputs/fps").isIntegralNumber()).isTrue();
        assertThat(graph.at("/5/inputs/model").toString()).isEqualTo("[\"1\",0]");
    }

    @Test
    void replacesPlaceholdersInsideLongerTextsByText() throws IOException {
        ObjectNode graph = resource("text2video.json").fill(aFoxClip());

        assertThat(graph.at("/8/inputs/filename_prefix").asText()).isEqualTo("latenttv/42");
    }

    @Test
    void leavesTheWorkflowUnchangedForTheNextClip() throws IOException {
        Workflow workflow = resource("text2video.json");
        workflow.fill(aFoxClip());

        assertThat(workflow.graph().at("/2/inputs/text").asText()).isEqualTo("{{prompt}}");
    }

    @Test
    void namesEveryMissingPlaceholderAndWhereItIsUsed() throws IOException {
        Workflow workflow = resource("text2video.json");
        WorkflowInputs partial = WorkflowInputs.builder()
                .prompt("a fox")
                .size(64, 64)
                .frames(8)
                .fps(8)
                .steps(10)
                .cfg(7)
                .build();

        assertThatThrownBy(() -> workflow.fill(partial))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{{negative_prompt}} (node 3 input \"text\")")
                .hasMessageContaining("{{seed}} (node 5 input \"seed\", node 8 input \"filename_prefix\")");
    }

    @Test
    void rejectsAnUnknownPlaceholderNamingIt() {
        assertThatThrownBy(() -> Workflow.parse(
                        "{\"6\": {\"class_type\": \"CLIPTextEncode\", \"inputs\": {\"text\": \"{{promt}}\"}}}",
                        "typo.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("typo.json node 6 input \"text\" uses unknown placeholder {{promt}}")
                .hasMessageContaining("{{prompt}}");
    }

    @Test
    void rejectsSpacesInsidePlaceholders() {
        assertThatThrownBy(() -> Workflow.parse(
                        "{\"6\": {\"class_type\": \"CLIPTextEncode\", \"inputs\": {\"text\": \"{{ prompt }}\"}}}",
                        "spaced.json"))
                .hasMessageContaining("write {{prompt}} without spaces");
    }

    @Test
    void rejectsWhatIsNotAnApiFormatGraph() {
        assertThatThrownBy(() -> Workflow.parse("{\"nodes\": [], \"links\": []}", "ui.json"))
                .hasMessageContaining("UI format");
        assertThatThrownBy(() -> Workflow.parse("[1, 2]", "list.json")).hasMessageContaining("non-empty JSON object");
        assertThatThrownBy(() -> Workflow.parse("{\"1\": {\"inputs\": {}}}", "bare.json"))
                .hasMessageContaining("node 1 has no \"class_type\"");
        assertThatThrownBy(() -> Workflow.parse("{\"1\": ", "cut.json"))
                .hasMessageContaining("cut.json is not valid JSON");
    }

    @Test
    void aPromptCannotInjectNodesOrPlaceholders() throws IOException {
        String hostile =
                "fox\"}, \"99\": {\"class_type\": \"Evil\", \"inputs\": {}}, \"x\": {\"" + " {{seed}} \\ \u0000 \n";
        ObjectNode graph = resource("text2video.json")
                .fill(WorkflowInputs.builder()
                        .prompt(hostile)
                        .negativePrompt("")
                        .seed(1)
                        .size(64, 64)
                        .frames(8)
                        .fps(8)
                        .steps(1)
                        .cfg(1)
                        .build());

        JsonNode roundTrip = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(graph));
        assertThat(roundTrip.size()).isEqualTo(8);
        assertThat(roundTrip.has("99")).isFalse();
        assertThat(roundTrip.at("/2/inputs/text").asText()).isEqualTo(hostile);
    }

    @Test
    void checksTheTypeAndRangeOfInputs() {
        assertThatThrownBy(() -> WorkflowInputs.builder().seed(-1)).hasMessageContaining("{{seed}} must be between 0");
        assertThatThrownBy(() -> WorkflowInputs.builder().denoise(1.5)).hasMessageContaining("{{denoise}}");
        assertThatThrownBy(() -> new WorkflowInputs(
                        java.util.Map.of(Placeholder.SEED, com.fasterxml.jackson.databind.node.TextNode.valueOf("42"))))
                .hasMessageContaining("{{seed}} must be an integer");
    }
}
