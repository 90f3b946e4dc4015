package tv.latent.web;

import java.util.List;
import java.util.Map;

/**
 * What the templates ({@code src/main/jte}) show: one record per page or fragment, made by
 * {@link Pages} and the console's routes. Every text in them is escaped by the templates (JTE's
 * HTML output); none is ever HTML. Immutable.
 */
final class Views {
    private Views() {}

    /**
     * What every page has around its body.
     *
     * @param csrf the token this page's forms and htmx requests send (the viewer's, or the operator session's)
     * @param channel the channel the page plays (for watch.js), or null
     * @param operator the logged-in operator (the console's navigation is shown), or null
     * @param scripts script URLs of this origin, loaded at the end of the body
     */
    record Chrome(String title, String csrf, boolean console, String channel, String operator, List<String> scripts) {
        Chrome {
            scripts = List.copyOf(scripts);
        }
    }

    /** A channel on the home page. {@code clipId} null: the slate airs. */
    record Card(
            String id,
            String title,
            String theme,
            String clipId,
            String nowTitle,
            String nowPrompt,
            boolean procedural) {}

    record Index(Chrome chrome, List<Card> channels) {
        Index {
            channels = List.copyOf(channels);
        }
    }

    /**
     * A channel's watch page.
     *
     * @param box the suggestion box, or null when this station has no audience loop
     */
    record Watch(Chrome chrome, String title, SuggestionBox box) {}

    /**
     * The watch page's suggestion box.
     *
     * @param open the channel takes suggestions and votes
     * @param reviewed suggestions wait for a moderator before they join the queue
     */
    record SuggestionBox(boolean open, boolean reviewed, int minLength, int maxLength, int nameLength) {}

    /** A viewer's suggestion in the console's studio. {@code name} is "a viewer" when none was given. */
    record Suggestion(long number, String text, String name, String source, int votes, String status, String created) {}

    /**
     * One channel in the console's studio: its settings, what waits for review, its queue.
     *
     * @param editable made in the console: its studio settings can be changed here
     * @param message the outcome of the operator's last action on it, or null
     */
    record StudioChannel(
            String id,
            String title,
            boolean editable,
            String policy,
            boolean open,
            List<Suggestion> pending,
            List<Suggestion> queued,
            List<Suggestion> picked,
            String message) {
        StudioChannel {
            pending = List.copyOf(pending);
            queued = List.copyOf(queued);
            picked = List.copyOf(picked);
        }
    }

    /** The console's studio: every channel's review queue and settings, and moderation's recent decisions. */
    record Studio(Chrome chrome, String message, List<StudioChannel> channels, List<AuditEntry> decisions) {
        Studio {
            channels = List.copyOf(channels);
            decisions = List.copyOf(decisions);
        }
    }

    /**
     * A clip's public page. {@code firstAired} null: it has not aired; {@code pageUrl},
     * {@code imageUrl} and {@code videoUrl} are absolute, for the share tags.
     */
    record ClipPage(
            String title,
            String id,
            String prompt,
            String negativePrompt,
            long seed,
            String musicPrompt,
            String director,
            boolean procedural,
            String channelId,
            String channelTitle,
            boolean channelOnAir,
            String firstAired,
            String latestAired,
            long timesAired,
            String masteredAt,
            String seconds,
            int width,
            int height,
            int fps,
            List<ClipStage> stages,
            String pageUrl,
            String imageUrl,
            String videoUrl,
            String description,
            List<String> narration) {
        ClipPage {
            stages = List.copyOf(stages);
            narration = List.copyOf(narration);
        }
    }

    /** One stage of a clip's provenance, as text. */
    record ClipStage(String name, String backend, String seconds, List<String> params, String fallback) {
        ClipStage {
            params = List.copyOf(params);
        }
    }

    record Login(Chrome chrome, String message, String name) {}

    /** A channel in the console's list. */
    record ChannelRow(
            String id,
            String title,
            String theme,
            String origin,
            boolean editable,
            boolean paused,
            String policy,
            String now,
            String next,
            long freshSeconds,
            int lookaheadSeconds,
            List<Push> pushes,
            String generation,
            String reason,
            int awaitingReview) {
        ChannelRow {
            pushes = List.copyOf(pushes);
        }
    }

    record Push(String name, boolean up) {}

    record Channels(Chrome chrome, String message, List<ChannelRow> channels) {
        Channels {
            channels = List.copyOf(channels);
        }
    }

    /**
     * The channel form: {@code values} by the YAML key path ({@code format.width}, {@code push.0.url}).
     *
     * @param mode {@code new}, {@code edit} or {@code view} (a YAML channel: read only)
     * @param choices backend names each stage may use, by stage key
     */
    record ChannelForm(
            Chrome chrome,
            String mode,
            String id,
            Map<String, String> values,
            List<String> problems,
            Map<String, List<String>> choices) {
        ChannelForm {
            values = Map.copyOf(values);
            problems = List.copyOf(problems);
            choices = Map.copyOf(choices);
        }

        String value(String key) {
            return values.getOrDefault(key, "");
        }

        boolean readOnly() {
            return mode.equals("view");
        }

        String choicesOf(String stage) {
            return String.join(", ", choices.getOrDefault(stage, List.of()));
        }
    }

    /** A job in the console, with its live progress (0..100). */
    record Job(
            String id,
            String channel,
            String title,
            String prompt,
            String state,
            int percent,
            String detail,
            int attempts,
            String lastError,
            boolean retryable,
            boolean cancellable) {}

    record Jobs(Chrome chrome, String message, List<Job> jobs) {
        Jobs {
            jobs = List.copyOf(jobs);
        }
    }

    /** A clip in the console's library. {@code state}: its programming state on its channel (FRESH, HELD, AIRED, OFF_AIR...). */
    record Clip(
            String id,
            String channel,
            String title,
            String prompt,
            String masteredAt,
            String state,
            boolean kept,
            String provenance,
            String message) {}

    record Library(Chrome chrome, String channel, List<String> channels, List<Clip> clips, String more) {
        Library {
            channels = List.copyOf(channels);
            clips = List.copyOf(clips);
        }
    }

    record Backend(String name, String stage, List<String> circuits, long calls, long failures, List<String> errors) {
        Backend {
            circuits = List.copyOf(circuits);
            errors = List.copyOf(errors);
        }
    }

    record Backends(Chrome chrome, List<Backend> backends) {
        Backends {
            backends = List.copyOf(backends);
        }
    }

    record AuditEntry(String at, String actor, String action, String subject, String detail) {}

    /** @param older the link to the next (older) page, or null on the last */
    record Audit(Chrome chrome, List<AuditEntry> entries, String older) {
        Audit {
            entries = List.copyOf(entries);
        }
    }

    record Token(String id, String name, String operator, String created, String used) {}

    /** @param created a token just made, shown this once; or null */
    record Tokens(Chrome chrome, String message, String created, List<Token> tokens) {
        Tokens {
            tokens = List.copyOf(tokens);
        }
    }
}
