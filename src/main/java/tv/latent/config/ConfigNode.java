package tv.latent.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A typed, path-aware view of one mapping in the YAML file. Every getter records the keys it
 * read; {@link #finish()} reports the keys nobody read as unknown. Problems are collected in a
 * shared list so that one start reports all of them.
 *
 * <pre>{@code
 * ConfigNode channel = root.list("channels").get(0);
 * int fps = channel.intIn("fps", 1, 60, 24);   // "channels[0].fps: must be an integer from 1 to 60, got 'abc'"
 * channel.finish();                             // "channels[0].fsp: unknown key (allowed: id, fps, ...)"
 * }</pre>
 *
 * <p>Not thread-safe; used once, at start.
 */
public final class ConfigNode {
    private final JsonNode node;
    private final String path;
    private final List<String> problems;
    private final Set<String> read = new LinkedHashSet<>();

    ConfigNode(JsonNode node, String path, List<String> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** The key path of this node ("channels[0].format"); empty at the root. */
    public String path() {
        return path;
    }

    private String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Records a problem at {@code key} of this node. */
    public void problem(String key, String message) {
        problems.add(
                (key == null || key.isEmpty() ? (path.isEmpty() ? "(top level)" : path) : at(key)) + ": " + message);
    }

    public boolean has(String key) {
        read.add(key);
        return node.has(key) && !node.get(key).isNull();
    }

    private JsonNode raw(String key) {
        read.add(key);
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value;
    }

    /** A required string; empty strings count as missing. */
    public String string(String key) {
        JsonNode value = raw(key);
        if (value == null) {
            problem(key, "missing (required)");
            return "";
        }
        if (!value.isTextual() && !value.isNumber() && !value.isBoolean()) {
            problem(key, "must be a string, got " + describe(value));
            return "";
        }
        String text = value.asText().strip();
        if (text.isEmpty()) {
            problem(key, "must not be empty");
        }
        return text;
    }

    public String string(String key, String fallback) {
        return has(key) ? string(key) : fallback;
    }

    /** A string from a fixed set of values. */
    public String oneOf(String key, Set<String> allowed, String fallback) {
        if (!has(key)) {
            if (fallback == null) {
                problem(key, "missing (required; one of " + String.join(", ", allowed) + ")");
            }
            return fallback;
        }
        String value = string(key);
        if (!allowed.contains(value)) {
            problem(key, "must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
            return fallback;
        }
        return value;
    }

    public int intIn(String key, int min, int max, int fallback) {
        return (int) longIn(key, min, max, fallback);
    }

    public long longIn(String key, long min, long max, long fallback) {
        JsonNode value = raw(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            problem(key, "must be an integer from " + min + " to " + max + ", got " + describe(value));
            return fallback;
        }
        long number = value.longValue();
        if (number < min || number > max) {
            problem(key, "must be from " + min + " to " + max + ", got " + number);
            return fallback;
        }
        return number;
    }

    public double doubleIn(String key, double min, double max, double fallback) {
        JsonNode value = raw(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isNumber()) {
            problem(key, "must be a number from " + min + " to " + max + ", got " + describe(value));
            return fallback;
        }
        double number = value.doubleValue();
        if (number < min || number > max) {
            problem(key, "must be from " + min + " to " + max + ", got " + number);
            return fallback;
        }
        return number;
    }

    public boolean bool(String key, boolean fallback) {
        JsonNode value = raw(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            problem(key, "must be true or false, got " + describe(value));
            return fallback;
        }
        return value.booleanValue();
    }

    /** A list of strings; a single string is taken as a list of one. */
    public List<String> strings(String key, List<String> fallback) {
        JsonNode value = raw(key);
        if (value == null) {
            return fallback;
        }
        List<String> out = new ArrayList<>();
        if (value.isTextual()) {
            out.add(value.asText().strip());
            return out;
        }
        if (!value.isArray()) {
            problem(key, "must be a list of strings, got " + describe(value));
            return fallback;
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual() || item.asText().isBlank()) {
                problems.add(at(key) + "[" + i + "]: must be a non-empty string, got " + describe(item));
            } else {
                out.add(item.asText().strip());
            }
        }
        return out;
    }

    /** Whether the value at {@code key} is a plain string (e.g. a preset's name where a mapping may also go). */
    public boolean isString(String key) {
        JsonNode value = node.get(key);
        return value != null && value.isTextual();
    }

    /**
     * A mapping of names to scalar values (strings, integers as {@link Long}, other numbers as
     * {@link Double}, booleans), in the file's order; absent gives an empty one.
     */
    public Map<String, Object> scalars(String key) {
        JsonNode value = raw(key);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (!value.isObject()) {
            problem(key, "must be a mapping of names to values, got " + describe(value));
            return out;
        }
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            JsonNode v = field.getValue();
            if (v.isTextual()) {
                out.put(field.getKey(), v.asText());
            } else if (v.isIntegralNumber() && v.canConvertToLong()) {
                out.put(field.getKey(), v.longValue());
            } else if (v.isNumber()) {
                out.put(field.getKey(), v.doubleValue());
            } else if (v.isBoolean()) {
                out.put(field.getKey(), v.booleanValue());
            } else {
                problems.add(at(key) + "." + field.getKey() + ": must be a string, number or true/false, got "
                        + describe(v));
            }
        }
        return out;
    }

    /** A nested mapping; absent gives an empty one. */
    public ConfigNode object(String key) {
        JsonNode value = raw(key);
        if (value == null) {
            return new ConfigNode(
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), at(key), problems);
        }
        if (!value.isObject()) {
            problem(key, "must be a mapping of keys to values, got " + describe(value));
            return new ConfigNode(
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), at(key), problems);
        }
        return new ConfigNode(value, at(key), problems);
    }

    /** A list of mappings. */
    public List<ConfigNode> list(String key) {
        JsonNode value = raw(key);
        List<ConfigNode> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (!value.isArray()) {
            problem(key, "must be a list, got " + describe(value));
            return out;
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String itemPath = at(key) + "[" + i + "]";
            if (!item.isObject()) {
                problems.add(itemPath + ": must be a mapping, got " + describe(item));
            } else {
                out.add(new ConfigNode(item, itemPath, problems));
            }
        }
        return out;
    }

    /** The entries of a mapping whose keys are names (e.g. backends by name). */
    public Map<String, ConfigNode> entries(String key) {
        ConfigNode mapping = object(key);
        Map<String, ConfigNode> out = new java.util.LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = mapping.node.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            mapping.read.add(field.getKey());
            if (!field.getValue().isObject()) {
                problems.add(mapping.at(field.getKey()) + ": must be a mapping, got " + describe(field.getValue()));
            } else {
                out.put(field.getKey(), new ConfigNode(field.getValue(), mapping.at(field.getKey()), problems));
            }
        }
        return out;
    }

    /** Reads a value with a custom parser that returns empty (having reported) when it is invalid. */
    public <T> Optional<T> custom(String key, Function<String, Optional<T>> parser) {
        return has(key) ? parser.apply(string(key)) : Optional.empty();
    }

    /** Reports every key of this mapping that no getter asked for. */
    public void finish() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!read.contains(name)) {
                problem(
                        name,
                        "unknown key" + (read.isEmpty() ? "" : " (allowed here: " + String.join(", ", read) + ")"));
            }
        }
    }

    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "'" + value.asText() + "'";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        return value.toString();
    }
}
