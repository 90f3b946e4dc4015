package tv.latent.backend.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Applies the edits Gradio (sse_v2 and later) streams instead of full outputs: a list of
 * {@code [action, path, value]} where path is a list of object keys and array indices.
 * "replace" sets, "append" concatenates text or extends a list, "add" inserts into a list (or sets
 * a key), "delete" removes. An empty path means the whole value.
 *
 * <p>{@link #applyWeighing} also says how much each event grew the value, by {@link #weight}, so a
 * caller can bound what a stream of small diffs assembles (appends grow a value without end). The
 * accounting costs no more than the diffs themselves: each value is weighed when it arrives and
 * once more when it leaves.
 */
final class Diffs {
    private Diffs() {}

    /**
     * A value after one event's edits, how much its {@link #weight} changed (negative when it
     * shrank), and the characters copied to append text (a text value is rebuilt whole on every
     * append, so a long stream of small appends costs the square of its length).
     */
    record Applied(JsonNode value, long growth, long copied) {}

    /** Applies {@code edits} to {@code target}, which it may change in place; returns the new value. */
    static JsonNode apply(JsonNode target, JsonNode edits) {
        return applyWeighing(target, edits).value();
    }

    /** As {@link #apply}, and says how much the value grew. */
    static Applied applyWeighing(JsonNode target, JsonNode edits) {
        if (edits == null || !edits.isArray()) {
            throw new IllegalArgumentException("a diff must be a list of edits, got " + edits);
        }
        JsonNode result = target;
        long growth = 0;
        long copied = 0;
        for (JsonNode edit : edits) {
            if (!edit.isArray()
                    || edit.size() < 2
                    || !edit.get(0).isTextual()
                    || !edit.get(1).isArray()) {
                throw new IllegalArgumentException("an edit must be [action, path, value], got " + edit);
            }
            JsonNode value = edit.size() > 2 ? edit.get(2) : JsonNodeFactory.instance.nullNode();
            long[] change = new long[2];
            result = applyOne(result, edit.get(0).asText(), (ArrayNode) edit.get(1), value, change);
            growth += change[0];
            copied += change[1];
        }
        return new Applied(result, growth, copied);
    }

    /**
     * About the size of {@code node} as JSON text, in bytes: text counts its characters, every
     * other scalar 8, containers their members plus their keys. Cheap, and linear in the node.
     */
    static long weight(JsonNode node) {
        if (node == null) {
            return 0;
        }
        if (node.isTextual()) {
            return node.asText().length() + 2L;
        }
        if (node.isArray()) {
            long total = 2;
            for (JsonNode child : node) {
                total += weight(child) + 1;
            }
            return total;
        }
        if (node.isObject()) {
            long total = 2;
            for (var field : node.properties()) {
                total += field.getKey().length() + 4L + weight(field.getValue());
            }
            return total;
        }
        return 8;
    }

    private static JsonNode applyOne(JsonNode target, String action, ArrayNode path, JsonNode value, long[] change) {
        if (path.isEmpty()) {
            return switch (action) {
                case "replace" -> {
                    change[0] = weight(value) - weight(target);
                    yield value.deepCopy();
                }
                case "append" -> {
                    change[0] = weight(value);
                    change[1] = copied(target);
                    yield concat(target, value);
                }
                default -> throw new IllegalArgumentException("cannot " + action + " the whole value");
            };
        }
        JsonNode container = target;
        for (int i = 0; i < path.size() - 1; i++) {
            container = child(container, path.get(i));
        }
        JsonNode last = path.get(path.size() - 1);
        if (container instanceof ArrayNode array) {
            int index = index(last);
            switch (action) {
                case "replace" -> {
                    int at = checked(array, index, false);
                    change[0] = weight(value) - weight(array.get(at));
                    array.set(at, value.deepCopy());
                }
                case "append" -> {
                    int at = checked(array, index, false);
                    change[0] = weight(value);
                    change[1] = copied(array.get(at));
                    array.set(at, concat(array.get(at), value));
                }
                case "add" -> {
                    change[0] = weight(value) + 1;
                    array.insert(checked(array, index, true), value.deepCopy());
                }
                case "delete" -> {
                    int at = checked(array, index, false);
                    change[0] = -weight(array.get(at)) - 1;
                    array.remove(at);
                }
                default -> throw new IllegalArgumentException("unknown diff action " + action);
            }
        } else if (container instanceof ObjectNode object) {
            String key = last.asText();
            JsonNode old = object.get(key);
            long keyWeight = old == null ? key.length() + 4L : 0;
            switch (action) {
                case "replace", "add" -> {
                    change[0] = keyWeight + weight(value) - weight(old);
                    object.set(key, value.deepCopy());
                }
                case "append" -> {
                    change[0] = weight(value);
                    change[1] = copied(old);
                    object.set(key, concat(old, value));
                }
                case "delete" -> {
                    change[0] = old == null ? 0 : -weight(old) - key.length() - 4L;
                    object.remove(key);
                }
                default -> throw new IllegalArgumentException("unknown diff action " + action);
            }
        } else {
            throw new IllegalArgumentException("diff path " + path + " goes through a non-container");
        }
        return target;
    }

    private static JsonNode child(JsonNode container, JsonNode key) {
        JsonNode child = container instanceof ArrayNode array
                ? array.get(checked(array, index(key), false))
                : container.get(key.asText());
        if (child == null) {
            throw new IllegalArgumentException("diff path element " + key + " does not exist");
        }
        return child;
    }

    private static int index(JsonNode key) {
        if (key.canConvertToInt()) {
            return key.asInt();
        }
        try {
            return Integer.parseInt(key.asText());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("array index expected, got " + key, e);
        }
    }

    private static int checked(ArrayNode array, int index, boolean insert) {
        int limit = insert ? array.size() : array.size() - 1;
        if (index < 0 || index > limit) {
            throw new IllegalArgumentException("index " + index + " out of range for size " + array.size());
        }
        return index;
    }

    /** The characters an append to {@code current} copies: all of it when it is text. */
    private static long copied(JsonNode current) {
        return current != null && current.isTextual() ? current.asText().length() : 0;
    }

    /**
     * {@code current} with {@code value} appended. A list grows in place (the caller owns the
     * value being patched); text is immutable and rebuilt.
     */
    private static JsonNode concat(JsonNode current, JsonNode value) {
        if (current != null && current.isTextual() && value.isTextual()) {
            return TextNode.valueOf(current.asText() + value.asText());
        }
        if (current != null && current.isArray() && value.isArray()) {
            ArrayNode joined = (ArrayNode) current;
            value.forEach(v -> joined.add(v.deepCopy()));
            return joined;
        }
        throw new IllegalArgumentException("cannot append " + value + " to " + current);
    }
}
