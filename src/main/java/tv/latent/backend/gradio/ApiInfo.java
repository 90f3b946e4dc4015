package tv.latent.backend.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An app's API description, from {@code GET {root}{prefix}/info}.
 *
 * <p>Space signatures change without notice. Compare the parameters you send with what the app
 * now takes at start, and fail with a readable message when they differ:
 *
 * <pre>{@code
 * client.apiInfo().requireParameters("/run",
 *     List.of("prompt", "seed", "num_frames", "num_inference_steps"));
 * }</pre>
 *
 * <p>Thread-safety: safe to share as long as nobody modifies the JSON nodes.
 *
 * @param named endpoints by api name (with the leading "/")
 * @param unnamed endpoints by fn_index (as text, as the server sends them)
 */
public record ApiInfo(Map<String, EndpointInfo> named, Map<String, EndpointInfo> unnamed) {

    public ApiInfo {
        named = Map.copyOf(named);
        unnamed = Map.copyOf(unnamed);
    }

    /**
     * The parameters and returns of one endpoint.
     *
     * @param parameters in call order
     * @param returns in output order
     */
    public record EndpointInfo(List<ParameterInfo> parameters, List<ParameterInfo> returns) {
        public EndpointInfo {
            parameters = List.copyOf(parameters);
            returns = List.copyOf(returns);
        }
    }

    /**
     * One parameter or return value.
     *
     * @param label the UI label, or null
     * @param parameterName the Python parameter name (4.x+), or null
     * @param hasDefault whether the app fills it in when omitted
     * @param defaultValue the default, or null
     * @param type the JSON schema of the value, or null
     * @param pythonType the Python type as text ("str", "int", "filepath"), or null
     * @param component the component ("Textbox", "Slider", "Video"), or null
     */
    public record ParameterInfo(
            String label,
            String parameterName,
            boolean hasDefault,
            JsonNode defaultValue,
            JsonNode type,
            String pythonType,
            String component) {

        /** The parameter name when known, else the label. */
        public String name() {
            return parameterName != null ? parameterName : label;
        }

        String describe() {
            StringBuilder s = new StringBuilder(String.valueOf(name()));
            List<String> notes = new ArrayList<>();
            if (pythonType != null) {
                notes.add(pythonType);
            }
            if (component != null) {
                notes.add(component);
            }
            if (hasDefault) {
                notes.add("default " + defaultValue);
            }
            if (!notes.isEmpty()) {
                s.append(notes.stream().collect(Collectors.joining(", ", " (", ")")));
            }
            return s.toString();
        }
    }

    /** The endpoint with this api name (with or without "/") or fn_index as text. */
    public Optional<EndpointInfo> endpoint(String nameOrIndex) {
        String key = nameOrIndex.startsWith("/") || nameOrIndex.chars().allMatch(Character::isDigit)
                ? nameOrIndex
                : "/" + nameOrIndex;
        EndpointInfo info = named.get(key);
        return Optional.ofNullable(info != null ? info : unnamed.get(key));
    }

    /**
     * Compares the parameter names a caller sends, in order, with the endpoint's. They match when
     * the endpoint's first parameters carry these names (parameter name, else label) and any further
     * parameter has a default.
     *
     * @return empty when they match, else a message showing both lists
     */
    public Optional<String> checkParameters(String nameOrIndex, List<String> expected) {
        Optional<EndpointInfo> found = endpoint(nameOrIndex);
        if (found.isEmpty()) {
            return Optional.of("the app has no endpoint " + nameOrIndex + "; it has " + named.keySet()
                    + (unnamed.isEmpty() ? "" : " and unnamed " + unnamed.keySet()));
        }
        List<ParameterInfo> actual = found.get().parameters();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            if (i >= actual.size()) {
                problems.add("missing " + expected.get(i) + " at position " + i);
            } else if (!matches(expected.get(i), actual.get(i))) {
                problems.add("position " + i + " is " + actual.get(i).name() + ", expected " + expected.get(i));
            }
        }
        for (int i = expected.size(); i < actual.size(); i++) {
            if (!actual.get(i).hasDefault()) {
                problems.add("unexpected required parameter " + actual.get(i).name() + " at position " + i);
            }
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(nameOrIndex + " parameters do not match: " + String.join("; ", problems)
                + ". Expected " + expected + ", the app takes "
                + actual.stream().map(ParameterInfo::describe).toList());
    }

    /** As {@link #checkParameters} but throws on a mismatch. */
    public void requireParameters(String nameOrIndex, List<String> expected) throws GradioSignatureException {
        Optional<String> mismatch = checkParameters(nameOrIndex, expected);
        if (mismatch.isPresent()) {
            throw new GradioSignatureException(nameOrIndex, mismatch.get());
        }
    }

    private static boolean matches(String expected, ParameterInfo actual) {
        return expected.equals(actual.parameterName()) || expected.equals(actual.label());
    }

    static ApiInfo parse(JsonNode root) {
        return new ApiInfo(endpoints(root.path("named_endpoints")), endpoints(root.path("unnamed_endpoints")));
    }

    private static Map<String, EndpointInfo> endpoints(JsonNode object) {
        Map<String, EndpointInfo> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            result.put(
                    entry.getKey(),
                    new EndpointInfo(
                            params(entry.getValue().path("parameters")),
                            params(entry.getValue().path("returns"))));
        }
        return result;
    }

    private static List<ParameterInfo> params(JsonNode array) {
        List<ParameterInfo> result = new ArrayList<>();
        for (JsonNode p : array) {
            JsonNode pythonType = p.get("python_type");
            String python = pythonType == null || pythonType.isNull()
                    ? null
                    : pythonType.isObject() ? text(pythonType.get("type")) : pythonType.asText();
            result.add(new ParameterInfo(
                    text(p.get("label")),
                    text(p.get("parameter_name")),
                    p.path("parameter_has_default").asBoolean(false),
                    p.get("parameter_default"),
                    p.get("type"),
                    python,
                    text(p.get("component"))));
        }
        return result;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
