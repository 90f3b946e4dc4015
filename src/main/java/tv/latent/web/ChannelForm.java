package tv.latent.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The console's channel form and the structure of a channel of the YAML file, both ways: what an
 * operator submits becomes the same mapping a YAML channel is (so the station validates it with
 * the YAML loader's own rules and messages), and a channel's settings fill the form.
 *
 * <p>Form fields are named by their key path: {@code theme}, {@code format.width},
 * {@code stages.render} (names separated by commas), {@code style} (one per line),
 * {@code push.0.url}, {@code schedule.timeZone}, {@code schedule.slots.0.start} (a slot's
 * {@code days} and {@code style} separated by commas). Numbers are sent as numbers when they read as one, else as the text typed
 * (the loader then says what is wrong with it). Blank fields are left out (the loader's default
 * holds). Thread-safe (stateless).
 */
final class ChannelForm {
    static final List<String> STAGES = List.of("director", "render", "upscale", "interpolate", "score");
    static final List<String> FORMAT = List.of("width", "height", "fps", "segmentSeconds", "videoKbps", "audioKbps");
    static final int PUSHES = 3;
    /** Programme slots the form offers; a schedule of more is kept in YAML. */
    static final int SLOTS = 6;
    /** A slot's text fields; {@code days} and {@code style} are comma-separated lists. */
    static final List<String> SLOT_TEXT =
            List.of("title", "theme", "start", "end", "description", "musicMood", "category");

    private ChannelForm() {}

    /** The settings mapping of a submitted form ({@code field} reads one form field, null when absent). */
    static Map<String, Object> settings(Function<String, String> field, boolean withId) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (withId) {
            out.put("id", text(field, "id"));
        }
        putText(out, "title", field);
        out.put("theme", text(field, "theme"));
        List<String> style = lines(text(field, "style"), "\n");
        if (!style.isEmpty()) {
            out.put("style", style);
        }
        putText(out, "musicMood", field);
        putText(out, "policy", field);
        String suggestions = text(field, "suggestions");
        if (!suggestions.isEmpty()) {
            out.put("suggestions", suggestions(suggestions));
        }
        putNumber(out, "lookaheadSeconds", text(field, "lookaheadSeconds"));
        Map<String, Object> stages = new LinkedHashMap<>();
        for (String stage : STAGES) {
            List<String> chain = lines(text(field, "stages." + stage), ",");
            if (!chain.isEmpty()) {
                stages.put(stage, chain);
            }
        }
        if (!stages.isEmpty()) {
            out.put("stages", stages);
        }
        Map<String, Object> format = new LinkedHashMap<>();
        for (String key : FORMAT) {
            putNumber(format, key, text(field, "format." + key));
        }
        if (!format.isEmpty()) {
            out.put("format", format);
        }
        List<Map<String, Object>> pushes = new ArrayList<>();
        for (int i = 0; i < PUSHES; i++) {
            Map<String, Object> push = new LinkedHashMap<>();
            for (String key : List.of("name", "url", "keyEnv")) {
                String value = text(field, "push." + i + "." + key);
                if (!value.isEmpty()) {
                    push.put(key, value);
                }
            }
            if (!push.isEmpty()) {
                pushes.add(push);
            }
        }
        if (!pushes.isEmpty()) {
            out.put("push", pushes);
        }
        putNumber(out, "number", text(field, "number"));
        putText(out, "logo", field);
        Map<String, Object> schedule = schedule(field);
        if (!schedule.isEmpty()) {
            out.put("schedule", schedule);
        }
        return out;
    }

    /** {@code schedule.timeZone} and the filled rows {@code schedule.slots.N.*}; empty when none is filled. */
    private static Map<String, Object> schedule(Function<String, String> field) {
        Map<String, Object> out = new LinkedHashMap<>();
        putText(out, "timeZone", name -> field.apply("schedule." + name));
        List<Map<String, Object>> slots = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            String row = "schedule.slots." + i + ".";
            Map<String, Object> slot = new LinkedHashMap<>();
            for (String key : SLOT_TEXT) {
                putText(slot, key, name -> field.apply(row + name));
            }
            for (String key : List.of("days", "style")) {
                List<String> list = lines(text(field, row + key), ",");
                if (!list.isEmpty()) {
                    slot.put(key, list);
                }
            }
            if (!slot.isEmpty()) {
                slots.add(slot);
            }
        }
        if (!slots.isEmpty()) {
            out.put("slots", slots);
        }
        return out;
    }

    /** The form's values (by field name) for a channel's settings. */
    static Map<String, String> values(Map<String, Object> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key :
                List.of("id", "title", "theme", "musicMood", "policy", "lookaheadSeconds", "number", "logo")) {
            if (settings.get(key) != null) {
                out.put(key, String.valueOf(settings.get(key)));
            }
        }
        out.put("suggestions", Boolean.FALSE.equals(settings.get("suggestions")) ? "closed" : "open");
        if (settings.get("style") instanceof List<?> style) {
            out.put(
                    "style",
                    String.join("\n", style.stream().map(String::valueOf).toList()));
        }
        if (settings.get("stages") instanceof Map<?, ?> stages) {
            stages.forEach((stage, chain) -> out.put(
                    "stages." + stage,
                    chain instanceof List<?> list
                            ? String.join(
                                    ", ", list.stream().map(String::valueOf).toList())
                            : String.valueOf(chain)));
        }
        if (settings.get("format") instanceof Map<?, ?> format) {
            format.forEach((key, value) -> out.put("format." + key, String.valueOf(value)));
        }
        if (settings.get("push") instanceof List<?> pushes) {
            for (int i = 0; i < pushes.size() && i < PUSHES; i++) {
                if (pushes.get(i) instanceof Map<?, ?> push) {
                    int row = i;
                    push.forEach((key, value) -> out.put("push." + row + "." + key, String.valueOf(value)));
                }
            }
        }
        if (settings.get("schedule") instanceof Map<?, ?> schedule) {
            if (schedule.get("timeZone") != null) {
                out.put("schedule.timeZone", String.valueOf(schedule.get("timeZone")));
            }
            if (schedule.get("slots") instanceof List<?> slots) {
                for (int i = 0; i < slots.size() && i < SLOTS; i++) {
                    if (slots.get(i) instanceof Map<?, ?> slot) {
                        String row = "schedule.slots." + i + ".";
                        slot.forEach((key, value) -> out.put(
                                row + key,
                                value instanceof List<?> list
                                        ? String.join(
                                                ", ",
                                                list.stream()
                                                        .map(String::valueOf)
                                                        .toList())
                                        : String.valueOf(value)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The {@code suggestions} key of a form's choice: {@code open} is true, {@code closed} false;
     * anything else is passed on as typed, for the loader to say what is wrong with it.
     */
    static Object suggestions(String choice) {
        return switch (choice) {
            case "open" -> true;
            case "closed" -> false;
            default -> choice;
        };
    }

    private static String text(Function<String, String> field, String name) {
        String value = field.apply(name);
        return value == null ? "" : value.strip();
    }

    private static void putText(Map<String, Object> out, String key, Function<String, String> field) {
        String value = text(field, key);
        if (!value.isEmpty()) {
            out.put(key, value);
        }
    }

    private static void putNumber(Map<String, Object> out, String key, String value) {
        if (value.isEmpty()) {
            return;
        }
        try {
            out.put(key, Long.parseLong(value));
        } catch (NumberFormatException e) {
            out.put(key, value); // the loader says what is wrong with it, as for the YAML file
        }
    }

    private static List<String> lines(String text, String separator) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(separator)) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }
}
