package tv.latent.backend.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an app's {@code GET {root}/config} says about itself.
 *
 * <p>Thread-safety: immutable, safe to share.
 *
 * @param version the Gradio version, or "" when the app does not say
 * @param protocol the call protocol
 * @param apiPrefix "" on 4.x, "/gradio_api" on 5.x and later
 * @param dependencies the app's event handlers, callable or not
 */
public record GradioConfig(String version, Protocol protocol, String apiPrefix, List<Dependency> dependencies) {

    public GradioConfig {
        dependencies = List.copyOf(dependencies);
    }

    /**
     * One event handler of the app.
     *
     * @param fnIndex the {@code id} the queue knows it by (the array index when the config has none)
     * @param apiName the name without its leading "/", or null when it has none or is not callable
     * @param queued false when the app runs it outside the queue ({@code queue: false})
     */
    public record Dependency(int fnIndex, String apiName, boolean queued) {}

    /** The dependency an api name (with or without its leading "/") designates. */
    public Optional<Dependency> byApiName(String name) {
        String bare = name.startsWith("/") ? name.substring(1) : name;
        return dependencies.stream().filter(d -> bare.equals(d.apiName())).findFirst();
    }

    /** The dependency with this fn_index. */
    public Optional<Dependency> byFnIndex(int fnIndex) {
        return dependencies.stream().filter(d -> d.fnIndex() == fnIndex).findFirst();
    }

    /** The callable api names, each with its leading "/". */
    public List<String> apiNames() {
        return dependencies.stream()
                .filter(d -> d.apiName() != null)
                .map(d -> "/" + d.apiName())
                .toList();
    }

    static GradioConfig parse(JsonNode root) {
        Protocol protocol = Protocol.parse(text(root.get("protocol")));
        String prefix = text(root.get("api_prefix"));
        if (prefix == null) {
            prefix = "";
        }
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (!prefix.isEmpty() && !prefix.startsWith("/")) {
            prefix = "/" + prefix;
        }
        List<Dependency> deps = new ArrayList<>();
        JsonNode array = root.path("dependencies");
        for (int i = 0; i < array.size(); i++) {
            JsonNode dep = array.get(i);
            int id = dep.path("id").isInt() ? dep.get("id").asInt() : i;
            JsonNode name = dep.get("api_name");
            String apiName = name != null && name.isTextual() && !name.asText().isBlank() ? name.asText() : null;
            if (apiName != null && apiName.startsWith("/")) {
                apiName = apiName.substring(1);
            }
            boolean queued = !(dep.has("queue")
                    && dep.get("queue").isBoolean()
                    && !dep.get("queue").asBoolean());
            deps.add(new Dependency(id, apiName, queued));
        }
        String version = text(root.get("version"));
        return new GradioConfig(version == null ? "" : version, protocol, prefix, deps);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
