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
 */
final class Diffs {
    private Diffs() {}

    /** Applies {@code edits} to {@code target}, which it may change in place; returns the new value. */
    static JsonNode apply(JsonNode target, JsonNode edits) {
        if (edits == null || !edits.isArray()) {
            throw new IllegalArgumentException("a diff must be a list of edits, got " + edits);
        }
        JsonNode result = target;
        for (JsonNode edit : edits) {
            if (!edit.isArray()
                    || edit.size() < 2
                    || !edit.get(0).isTextual()
                    || !edit.get(1).isArray()) {
                throw new IllegalArgumentException("an edit must be [action, path, value], got " + edit);
            }
            JsonNode value = edit.size() > 2 ? edit.get(2) : JsonNodeFactory.instance.nullNode();
            result = applyOne(result, edit.get(0).asText(), (ArrayNode) edit.get(1), value);
        }
        return result;
    }

    private static JsonNode applyOne(JsonNode target, String action, ArrayNode path, JsonNode value) {
        if (path.isEmpty()) {
            return switch (action) {
                case "replace" -> value.deepCopy();
                case "append" -> concat(target, value);
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
                case "replace" -> array.set(checked(array, index, false), value.deepCopy());
                case "append" -> array.set(checked(array, index, false), concat(array.get(index), value));
                case "add" -> array.insert(checked(array, index, true), value.deepCopy());
                case "delete" -> array.remove(checked(array, index, false));
                default -> throw new IllegalArgumentException("unknown diff action " + action);
            }
        } else if (container instanceof ObjectNode object) {
            String key = last.asText();
            switch (action) {
                case "replace", "add" -> object.set(key, value.deepCopy());
                case "append" -> object.set(key, concat(object.get(key), value));
                case "delete" -> object.remove(key);
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

    private static JsonNode concat(JsonNode current, JsonNode value) {
        if (current != null && current.isTextual() && value.isTextual()) {
            return TextNode.valueOf(current.asText() + value.asText());
        }
        if (current != null && current.isArray() && value.isArray()) {
            ArrayNode joined = ((ArrayNode) current.deepCopy());
            value.forEach(v -> joined.add(v.deepCopy()));
            return joined;
        }
        throw new IllegalArgumentException("cannot append " + value + " to " + current);
    }
}
