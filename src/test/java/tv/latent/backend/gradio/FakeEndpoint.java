package tv.latent.backend.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One function of a {@link FakeGradioServer}: its name (or fn_index), the parameters and returns
 * {@code /info} shows, and the handler that computes outputs.
 *
 * <pre>{@code
 * FakeEndpoint run = FakeEndpoint.named("/run")
 *     .parameter("prompt", "str", "Textbox")
 *     .parameter("seed", "int", "Slider")
 *     .parameter("num_frames", "int", "Slider", 24)
 *     .parameter("num_inference_steps", "int", "Slider", 25)
 *     .returns("Result", "Video")
 *     .handler(call -> List.of(call.video("out.mp4", videoBytes)));
 * }</pre>
 *
 * <p>Thread-safety: configure on one thread before the server starts.
 */
public final class FakeEndpoint {

    /** Computes the outputs of one call; may report progress, stream, sleep, or throw. */
    @FunctionalInterface
    public interface Handler {
        List<Object> handle(FakeGradioServer.Call call) throws Exception;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final String apiName;
    final int fnIndex;
    final List<ObjectNode> parameters = new ArrayList<>();
    final List<ObjectNode> returns = new ArrayList<>();
    boolean queued = true;
    Handler handler = call -> List.of();

    private FakeEndpoint(String apiName, int fnIndex) {
        this.apiName = apiName;
        this.fnIndex = fnIndex;
    }

    /** An endpoint called by api name, for example "/run". */
    public static FakeEndpoint named(String apiName) {
        return new FakeEndpoint(apiName.startsWith("/") ? apiName.substring(1) : apiName, -1);
    }

    /** An endpoint without api name, called by fn_index (FILM's {@code fn_index 1}). */
    public static FakeEndpoint unnamed(int fnIndex) {
        return new FakeEndpoint(null, fnIndex);
    }

    /** A required parameter. */
    public FakeEndpoint parameter(String name, String pythonType, String component) {
        parameters.add(info(name, pythonType, component, false, null));
        return this;
    }

    /** A parameter with a default. */
    public FakeEndpoint parameter(String name, String pythonType, String component, Object defaultValue) {
        parameters.add(info(name, pythonType, component, true, defaultValue));
        return this;
    }

    /** A return value. */
    public FakeEndpoint returns(String label, String component) {
        ObjectNode r = JSON.createObjectNode();
        r.put("label", label);
        r.put("component", component);
        r.putObject("python_type").put("type", component.equals("Textbox") ? "str" : "dict");
        r.putObject("type");
        returns.add(r);
        return this;
    }

    /** Declares the function unqueued ({@code queue=False}): clients POST {@code /run/...}. */
    public FakeEndpoint unqueued() {
        queued = false;
        return this;
    }

    /** What the function computes. */
    public FakeEndpoint handler(Handler h) {
        handler = Objects.requireNonNull(h);
        return this;
    }

    private static ObjectNode info(String name, String pythonType, String component, boolean hasDefault, Object dflt) {
        ObjectNode p = JSON.createObjectNode();
        p.put("label", name);
        p.put("parameter_name", name);
        p.put("parameter_has_default", hasDefault);
        p.set("parameter_default", JSON.valueToTree(dflt));
        p.putObject("python_type").put("type", pythonType).put("description", "");
        ObjectNode type = p.putObject("type");
        type.put(
                "type",
                switch (pythonType) {
                    case "int" -> "integer";
                    case "float" -> "number";
                    case "bool" -> "boolean";
                    default -> "string";
                });
        p.put("component", component);
        return p;
    }

    ArrayNode parametersJson() {
        return JSON.createArrayNode().addAll(parameters);
    }

    ArrayNode returnsJson() {
        return JSON.createArrayNode().addAll(returns);
    }

    JsonNode describe() {
        ObjectNode e = JSON.createObjectNode();
        e.set("parameters", parametersJson());
        e.set("returns", returnsJson());
        return e;
    }
}
