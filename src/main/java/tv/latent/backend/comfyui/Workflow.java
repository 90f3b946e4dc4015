package tv.latent.backend.comfyui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A ComfyUI workflow in API format ({@code {nodeId: {class_type, inputs}}}, from "Export
 * (API)"), with {@link Placeholder placeholders} LatentTV fills for each clip.
 *
 * <pre>{@code
 * Workflow workflow = Workflow.load(Path.of("workflows/zeroscope.json"));
 * // in the file: "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "{{prompt}}", ...}},
 * //              "3": {"class_type": "KSampler", "inputs": {"seed": "{{seed}}", ...}}
 * ObjectNode graph = workflow.fill(WorkflowInputs.builder().prompt("a fox").seed(42).build());
 * // "text": "a fox", "seed": 42 (a JSON number)
 * }</pre>
 *
 * <p>Parsing fails on anything that is not an API-format graph and on unknown placeholders
 * (a typo such as {@code {{promt}}}). Filling fails, naming each node and input, when a
 * placeholder the workflow uses has no value. Values are set in the JSON tree, never pasted into
 * JSON text, so a prompt cannot inject nodes; a value's own text is not scanned for
 * placeholders.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class Workflow {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    private final String source;
    private final ObjectNode graph;
    private final Set<Placeholder> placeholders;

    private Workflow(String source, ObjectNode graph, Set<Placeholder> placeholders) {
        this.source = source;
        this.graph = graph;
        this.placeholders = Collections.unmodifiableSet(placeholders);
    }

    /** Reads and checks a workflow file. */
    public static Workflow load(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /**
     * Parses and checks a workflow.
     *
     * @param source where the text came from, for error messages
     * @throws IllegalArgumentException naming the source, node and input of the first problem
     */
    public static Workflow parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "workflow " + source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new IllegalArgumentException("workflow " + source + " must be a non-empty JSON object"
                    + " of nodes {\"id\": {\"class_type\": ..., \"inputs\": {...}}}");
        }
        if (root.has("nodes") && root.has("links")) {
            throw new IllegalArgumentException("workflow " + source + " is in ComfyUI's UI format;"
                    + " export it with \"Export (API)\" (or \"Save (API Format)\") instead");
        }
        var used = EnumSet.noneOf(Placeholder.class);
        for (Map.Entry<String, JsonNode> node : root.properties()) {
            String where = "workflow " + source + " node " + node.getKey();
            JsonNode body = node.getValue();
            if (!body.isObject() || !body.path("class_type").isTextual()) {
                throw new IllegalArgumentException(where + " has no \"class_type\" string");
            }
            if (!body.path("inputs").isObject()) {
                throw new IllegalArgumentException(where + " has no \"inputs\" object");
            }
            for (Map.Entry<String, JsonNode> input : body.get("inputs").properties()) {
                forEachText(input.getValue(), text -> {
                    Matcher m = TOKEN.matcher(text);
                    while (m.find()) {
                        Placeholder placeholder = Placeholder.byKey(m.group(1))
                                .orElseThrow(() -> new IllegalArgumentException(where + " input \"" + input.getKey()
                                        + "\" uses unknown placeholder " + m.group() + "; known: "
                                        + Placeholder.allTokens()));
                        if (!m.group().equals(placeholder.token())) {
                            throw new IllegalArgumentException(where + " input \"" + input.getKey() + "\": write "
                                    + placeholder.token() + " without spaces, not " + m.group());
                        }
                        used.add(placeholder);
                    }
                });
            }
        }
        return new Workflow(source, (ObjectNode) root, used);
    }

    /** The placeholders this workflow uses. */
    public Set<Placeholder> placeholders() {
        return placeholders;
    }

    /** Where the workflow came from. */
    public String source() {
        return source;
    }

    /** A copy of the graph as written, placeholders unfilled. */
    public ObjectNode graph() {
        return graph.deepCopy();
    }

    /**
     * A new graph with every placeholder replaced by its value.
     *
     * @throws IllegalArgumentException listing every placeholder without a value, and where it is
     */
    public ObjectNode fill(WorkflowInputs inputs) {
        Map<Placeholder, JsonNode> values = inputs.values();
        Map<Placeholder, List<String>> missing = new LinkedHashMap<>();
        ObjectNode filled = graph.deepCopy();
        for (Map.Entry<String, JsonNode> node : filled.properties()) {
            ObjectNode nodeInputs = (ObjectNode) node.getValue().get("inputs");
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            nodeInputs.properties().iterator();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> input = it.next();
                String where = "node " + node.getKey() + " input \"" + input.getKey() + "\"";
                input.setValue(substitute(input.getValue(), values, missing, where));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("workflow " + source + " needs values for "
                    + missing.entrySet().stream()
                            .map(e -> e.getKey().token() + " (" + String.join(", ", e.getValue()) + ")")
                            .collect(Collectors.joining(", ")));
        }
        return filled;
    }

    private static JsonNode substitute(
            JsonNode value, Map<Placeholder, JsonNode> values, Map<Placeholder, List<String>> missing, String where) {
        if (value.isTextual()) {
            return substituteText(value.asText(), values, missing, where);
        }
        if (value.isArray()) {
            ArrayNode array = (ArrayNode) value;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, substitute(array.get(i), values, missing, where));
            }
        } else if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                field.setValue(substitute(field.getValue(), values, missing, where));
            }
        }
        return value;
    }

    private static JsonNode substituteText(
            String text, Map<Placeholder, JsonNode> values, Map<Placeholder, List<String>> missing, String where) {
        Matcher m = TOKEN.matcher(text);
        if (!m.find()) {
            return TextNode.valueOf(text);
        }
        if (m.start() == 0 && m.end() == text.length()) {
            Placeholder placeholder = Placeholder.byKey(m.group(1)).orElseThrow();
            JsonNode value = values.get(placeholder);
            if (value == null) {
                missing.computeIfAbsent(placeholder, p -> new ArrayList<>()).add(where);
                return TextNode.valueOf(text);
            }
            return value;
        }
        // Embedded: replaced by text, in one pass, so a value containing "{{...}}" stays literal.
        var out = new StringBuilder();
        m.reset();
        while (m.find()) {
            Placeholder placeholder = Placeholder.byKey(m.group(1)).orElseThrow();
            JsonNode value = values.get(placeholder);
            String replacement;
            if (value == null) {
                missing.computeIfAbsent(placeholder, p -> new ArrayList<>()).add(where);
                replacement = m.group();
            } else {
                replacement = value.asText();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return TextNode.valueOf(out.toString());
    }

    private static void forEachText(JsonNode value, Consumer<String> action) {
        if (value.isTextual()) {
            action.accept(value.asText());
        } else if (value.isContainerNode()) {
            value.forEach(child -> forEachText(child, action));
        }
    }

    @Override
    public String toString() {
        return "Workflow[" + source + ", " + graph.size() + " nodes, placeholders " + placeholders + "]";
    }
}
