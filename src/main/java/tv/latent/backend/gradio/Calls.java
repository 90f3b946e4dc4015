package tv.latent.backend.gradio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.backend.gradio.GradioConfig.Dependency;
import tv.latent.backend.http.Deadline;
import tv.latent.backend.http.EventStream;
import tv.latent.backend.http.HttpAnswer;
import tv.latent.backend.http.HttpTransport;

/**
 * Runs calls with the transport the app speaks: the two-step {@code /call} API, the queue
 * protocol (sse_v1..v3), Gradio 4.0's "sse", or a plain {@code /run} POST (3.x and unqueued
 * handlers). Each call uses its own session hash, so its event stream carries only its events.
 *
 * <p>Bounded by {@code maxEventBytes}: no event of a call's stream may be larger (past it the call
 * fails with a {@link GradioTransportException} that says so, and the stream is closed), and the
 * output a stream of diffs assembles (sse_v2 and later) is followed only while it stays smaller
 * (then the listener hears no more partial outputs; the final output comes whole).
 */
final class Calls {
    private static final Logger log = LoggerFactory.getLogger(Calls.class);
    private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(3);
    /** Following streamed text may copy this many times the event limit in all before it is given up. */
    private static final int PARTIAL_COPY_BUDGET_EVENTS = 64;

    private enum Mode {
        SIMPLE,
        QUEUE,
        QUEUE_4_0,
        RUN
    }

    /** The state of one call in flight, what a cancel needs to know. */
    private static final class Call {
        final String label;
        final Dependency dependency;
        final ArrayNode inputs;
        final CallListener listener;
        final Deadline deadline;
        final String sessionHash = sessionHash();
        volatile String eventId;
        volatile EventStream<GradioException> stream;
        ArrayNode partial;
        /** The size {@link Diffs#weight} gives {@code partial}, kept up to date edit by edit. */
        long partialWeight;
        /** Characters copied so far to append streamed text. */
        long partialCopied;
        /** False once following streamed outputs cost too much; the final output still comes whole. */
        boolean followsPartials = true;

        Call(String label, Dependency dependency, ArrayNode inputs, CallListener listener, Deadline deadline) {
            this.label = label;
            this.dependency = dependency;
            this.inputs = inputs;
            this.listener = listener;
            this.deadline = deadline;
        }
    }

    private final GradioHttp http;
    private final String root;
    private final GradioConfig config;
    private final int maxEventBytes;

    Calls(GradioHttp http, URI root, GradioConfig config, int maxEventBytes) {
        this.http = http;
        this.root = root.toString();
        this.config = config;
        this.maxEventBytes = maxEventBytes;
    }

    GradioResult run(Endpoint endpoint, List<?> inputs, CallOptions options) throws GradioException {
        String label = endpoint + " on " + root;
        Dependency dependency = dependency(endpoint, label);
        ArrayNode data = http.json.valueToTree(inputs);
        Call call = new Call(
                label, dependency, data, new SafeListener(options.listener()), Deadline.after(options.timeout()));
        Mode mode = mode(dependency, options);
        log.debug("{}: calling with {} ({} inputs)", label, mode, inputs.size());
        try {
            return switch (mode) {
                case SIMPLE -> simple(call);
                case QUEUE -> queue(call);
                case QUEUE_4_0 -> queue40(call);
                case RUN -> run(call);
            };
        } catch (TimeoutException e) {
            cancel(call);
            throw new GradioTimeoutException(label, "no result within " + options.timeout(), e);
        } catch (GradioTimeoutException e) {
            cancel(call);
            throw e;
        } catch (InterruptedException e) {
            cancel(call);
            Thread.currentThread().interrupt();
            throw new GradioCancelledException(label, e);
        } catch (GradioCancelledException e) {
            cancel(call);
            throw e;
        } finally {
            EventStream<GradioException> stream = call.stream;
            if (stream != null) {
                stream.close();
            }
        }
    }

    private Dependency dependency(Endpoint endpoint, String label) throws GradioSignatureException {
        Optional<Dependency> found = endpoint.apiName() != null
                ? config.byApiName(endpoint.apiName())
                : config.byFnIndex(endpoint.fnIndex());
        return found.orElseThrow(() -> new GradioSignatureException(
                label, "the app has no callable endpoint " + endpoint + "; it has " + config.apiNames()));
    }

    private Mode mode(Dependency dependency, CallOptions options) {
        if (options.forceSimpleCall()) {
            return Mode.SIMPLE;
        }
        if (!dependency.queued() || config.protocol() == Protocol.WS) {
            return Mode.RUN;
        }
        return config.protocol() == Protocol.SSE ? Mode.QUEUE_4_0 : Mode.QUEUE;
    }

    // Gradio >= 4.20: POST /call/{name} gives an event id, GET /call/{name}/{id} streams the result.
    private GradioResult simple(Call call) throws GradioException, InterruptedException, TimeoutException {
        String name = call.dependency.apiName();
        if (name == null) {
            throw new GradioSignatureException(
                    call.label,
                    "the simple call API needs an api name; fn_index " + call.dependency.fnIndex() + " has none");
        }
        URI submit = uri(config.apiPrefix() + "/call/" + encode(name));
        ObjectNode body = http.json.createObjectNode();
        body.set("data", call.inputs);
        call.eventId = eventId(post(submit, body, call), "POST " + submit);
        EventStream<GradioException> stream =
                openStream(uri(config.apiPrefix() + "/call/" + encode(name) + "/" + encode(call.eventId)), call);
        while (true) {
            EventStream.Event event = stream.next(call.deadline);
            if (event == null) {
                throw new GradioTransportException(call.label, "the result stream ended before a result", true, null);
            }
            switch (event.name()) {
                case "heartbeat" -> {}
                case "generating" -> call.listener.onPartialOutput(list(parse(event.data(), call)));
                case "complete" -> {
                    return new GradioResult(call.label, list(parse(event.data(), call)), null);
                }
                case "error" -> throw new GradioAppException(call.label, errorText(parse(event.data(), call)), null);
                default -> log.debug("{}: ignoring event '{}'", call.label, event.name());
            }
        }
    }

    // sse_v1..v3: POST /queue/join, then the session's stream GET /queue/data?session_hash=.
    private GradioResult queue(Call call) throws GradioException, InterruptedException, TimeoutException {
        URI join = uri(config.apiPrefix() + "/queue/join");
        ObjectNode body = payload(call);
        call.eventId = eventId(post(join, body, call), "POST " + join);
        EventStream<GradioException> stream =
                openStream(uri(config.apiPrefix() + "/queue/data?session_hash=" + encode(call.sessionHash)), call);
        while (true) {
            EventStream.Event event = stream.next(call.deadline);
            if (event == null) {
                throw new GradioTransportException(call.label, "the event stream ended before the result", true, null);
            }
            JsonNode message = parse(event.data(), call);
            String msg = message.path("msg").asText("");
            String eventId = text(message.get("event_id"));
            if (msg.equals("heartbeat") || eventId != null && !eventId.equals(call.eventId)) {
                continue;
            }
            if (msg.equals("close_stream")) {
                throw new GradioTransportException(
                        call.label, "the server closed the stream before the result", true, null);
            }
            Optional<GradioResult> result =
                    handle(message, call, config.protocol().sendsDiffs());
            if (result.isPresent()) {
                return result.get();
            }
        }
    }

    // Gradio 4.0 "sse": GET /queue/join opens the stream; on send_data, POST /queue/data.
    private GradioResult queue40(Call call) throws GradioException, InterruptedException, TimeoutException {
        EventStream<GradioException> stream = openStream(
                uri(config.apiPrefix() + "/queue/join?fn_index=" + call.dependency.fnIndex() + "&session_hash="
                        + encode(call.sessionHash)),
                call);
        while (true) {
            EventStream.Event event = stream.next(call.deadline);
            if (event == null) {
                throw new GradioTransportException(call.label, "the event stream ended before the result", true, null);
            }
            JsonNode message = parse(event.data(), call);
            switch (message.path("msg").asText("")) {
                case "heartbeat", "send_hash" -> {}
                case "send_data" -> {
                    call.eventId = text(message.get("event_id"));
                    ObjectNode body = payload(call);
                    body.put("event_id", call.eventId);
                    URI data = uri(config.apiPrefix() + "/queue/data");
                    HttpAnswer response = http.send(
                            "POST", data, http.jsonBody(body), "application/json", call.deadline, "POST " + data);
                    if (response.status() / 100 != 2) {
                        throw http.failure(response, "POST " + data);
                    }
                }
                default -> {
                    Optional<GradioResult> result = handle(message, call, false);
                    if (result.isPresent()) {
                        return result.get();
                    }
                }
            }
        }
    }

    // 3.x, and handlers declared with queue=False: one POST answers with the outputs.
    private GradioResult run(Call call) throws GradioException {
        String name = call.dependency.apiName() != null ? call.dependency.apiName() : "predict";
        URI run = uri(config.apiPrefix() + "/run/" + encode(name));
        String label = "POST " + run;
        HttpAnswer response =
                http.send("POST", run, http.jsonBody(payload(call)), "application/json", call.deadline, label);
        if (response.status() == 500 && response.contentType().contains("json")) {
            String error = http.detail(response);
            throw new GradioAppException(call.label, error, null);
        }
        JsonNode answer = http.json(response, label);
        return new GradioResult(call.label, list(answer.path("data")), seconds(answer.get("duration")));
    }

    /** Handles a queue message; returns the result when it is the final one. */
    private Optional<GradioResult> handle(JsonNode message, Call call, boolean diffs) throws GradioException {
        switch (message.path("msg").asText("")) {
            case "estimation" ->
                call.listener.onQueued(
                        message.path("rank").asInt(-1),
                        message.path("queue_size").asInt(-1),
                        seconds(message.get("rank_eta")));
            case "process_starts" -> call.listener.onStarted(seconds(message.get("eta")));
            case "progress" -> call.listener.onProgress(steps(message.get("progress_data")));
            case "log" ->
                call.listener.onLog(
                        message.path("level").asText("info"),
                        message.path("log").asText(""));
            case "process_generating" -> {
                if (!call.followsPartials) {
                    return Optional.empty();
                }
                JsonNode data = message.path("output").path("data");
                if (diffs && call.partial != null) {
                    patch(call, data);
                } else {
                    call.partial = array(data, call).deepCopy();
                    call.partialWeight = Diffs.weight(call.partial);
                }
                call.listener.onPartialOutput(list(call.partial));
            }
            case "process_completed" -> {
                JsonNode output = message.path("output");
                if (message.path("success").asBoolean(true) && !output.hasNonNull("error")) {
                    return Optional.of(new GradioResult(
                            call.label, list(array(output.path("data"), call)), seconds(output.get("duration"))));
                }
                throw new GradioAppException(call.label, errorText(output.get("error")), text(output.get("title")));
            }
            case "unexpected_error" ->
                throw new GradioAppException(call.label, text(message.get("message")), "unexpected error");
            case "queue_full" -> throw new GradioQueueFullException(call.label, "the server says queue_full");
            default -> log.debug("{}: ignoring message {}", call.label, message.path("msg"));
        }
        return Optional.empty();
    }

    /**
     * Applies one event's diffs to the call's partial output. Past {@code maxEventBytes} (what one
     * event could carry whole), or once text appends have copied {@value #PARTIAL_COPY_BUDGET_EVENTS}
     * times that, the partial output is dropped and no longer followed: memory and work stay
     * bounded, and the final output still arrives whole in its own event.
     */
    private void patch(Call call, JsonNode diffs) throws GradioTransportException {
        ArrayNode edits = array(diffs, call);
        ArrayNode previous = call.partial;
        try {
            for (int i = 0; i < edits.size() && i < previous.size(); i++) {
                Diffs.Applied applied = Diffs.applyWeighing(previous.get(i), edits.get(i));
                previous.set(i, applied.value());
                call.partialWeight += applied.growth();
                call.partialCopied += applied.copied();
            }
        } catch (IllegalArgumentException e) {
            throw new GradioTransportException(call.label, "cannot apply a streamed diff: " + e.getMessage(), false, e);
        }
        if (call.partialWeight > maxEventBytes
                || call.partialCopied > PARTIAL_COPY_BUDGET_EVENTS * (long) maxEventBytes) {
            log.info(
                    "{}: the streamed output grew past {} bytes or changes too often to follow; waiting for the"
                            + " final output",
                    call.label,
                    maxEventBytes);
            call.followsPartials = false;
            call.partial = null;
        }
    }

    /** Best effort: tells the app to drop the event; never throws. */
    private void cancel(Call call) {
        String eventId = call.eventId;
        EventStream<GradioException> stream = call.stream;
        if (stream != null) {
            stream.close();
        }
        if (eventId == null) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        URI cancel = uri(config.apiPrefix() + "/cancel");
        try {
            ObjectNode body = http.json.createObjectNode();
            body.put("event_id", eventId);
            body.put("session_hash", call.sessionHash);
            body.put("fn_index", call.dependency.fnIndex());
            HttpAnswer response = http.send(
                    "POST",
                    cancel,
                    http.jsonBody(body),
                    "application/json",
                    Deadline.after(CANCEL_TIMEOUT),
                    "POST " + cancel);
            log.debug("{}: cancel of event {} answered HTTP {}", call.label, eventId, response.status());
        } catch (GradioException | RuntimeException e) {
            log.debug("{}: cancel of event {} failed: {}", call.label, eventId, e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ObjectNode payload(Call call) {
        ObjectNode body = http.json.createObjectNode();
        body.set("data", call.inputs);
        body.putNull("event_data");
        body.put("fn_index", call.dependency.fnIndex());
        body.putNull("trigger_id");
        body.put("session_hash", call.sessionHash);
        return body;
    }

    private JsonNode post(URI uri, ObjectNode body, Call call) throws GradioException {
        String label = "POST " + uri;
        return http.json(http.send("POST", uri, http.jsonBody(body), "application/json", call.deadline, label), label);
    }

    private String eventId(JsonNode answer, String label) throws GradioTransportException {
        String id = text(answer.get("event_id"));
        if (id == null || id.isBlank()) {
            throw new GradioTransportException(
                    label, "no event_id in the answer: " + http.brief(answer.toString()), false, null);
        }
        return id;
    }

    private EventStream<GradioException> openStream(URI uri, Call call) throws GradioException {
        String label = "GET " + uri;
        HttpResponse<InputStream> response =
                http.open(uri, Map.of("Accept", "text/event-stream"), call.deadline, label);
        String type = response.headers().firstValue("content-type").orElse("");
        if (response.statusCode() / 100 != 2) {
            throw http.failure(response, label);
        }
        if (!type.toLowerCase(java.util.Locale.ROOT).contains("text/event-stream")) {
            HttpTransport.closeQuietly(response.body());
            throw new GradioTransportException(
                    label, "expected an event stream, got content type '" + type + "'", false, null);
        }
        EventStream<GradioException> stream = http.events(response, label, maxEventBytes);
        call.stream = stream;
        return stream;
    }

    private JsonNode parse(String data, Call call) throws GradioTransportException {
        try {
            return http.json.readTree(data);
        } catch (JsonProcessingException e) {
            throw new GradioTransportException(
                    call.label, "malformed JSON in the event stream: " + http.brief(data), false, e);
        }
    }

    private ArrayNode array(JsonNode node, Call call) throws GradioTransportException {
        if (node instanceof ArrayNode a) {
            return a;
        }
        throw new GradioTransportException(
                call.label, "expected a list of outputs, got " + http.brief(String.valueOf(node)), false, null);
    }

    private static List<JsonNode> list(JsonNode node) {
        List<JsonNode> result = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(result::add);
        }
        return result;
    }

    private static List<ProgressStep> steps(JsonNode data) {
        List<ProgressStep> steps = new ArrayList<>();
        if (data != null && data.isArray()) {
            for (JsonNode p : data) {
                steps.add(new ProgressStep(
                        p.path("index").isNumber() ? p.get("index").asLong() : null,
                        p.path("length").isNumber() ? p.get("length").asLong() : null,
                        text(p.get("unit")),
                        p.path("progress").isNumber() ? p.get("progress").asDouble() : null,
                        text(p.get("desc"))));
            }
        }
        return steps;
    }

    private static String errorText(JsonNode error) {
        if (error == null || error.isNull()) {
            return null;
        }
        if (error.isTextual()) {
            return error.asText();
        }
        for (String field : List.of("error", "message", "detail")) {
            if (error.hasNonNull(field)) {
                return error.get(field).isTextual()
                        ? error.get(field).asText()
                        : error.get(field).toString();
            }
        }
        return error.toString();
    }

    private static Duration seconds(JsonNode node) {
        return node != null && node.isNumber() ? Duration.ofMillis(Math.round(node.asDouble() * 1000)) : null;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private URI uri(String pathAndQuery) {
        return URI.create(root + pathAndQuery);
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String sessionHash() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            s.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** Shields a call from a listener that throws. */
    private record SafeListener(CallListener delegate) implements CallListener {
        @Override
        public void onQueued(int rank, int queueSize, Duration eta) {
            guard(() -> delegate.onQueued(rank, queueSize, eta));
        }

        @Override
        public void onStarted(Duration eta) {
            guard(() -> delegate.onStarted(eta));
        }

        @Override
        public void onProgress(List<ProgressStep> steps) {
            guard(() -> delegate.onProgress(steps));
        }

        @Override
        public void onLog(String level, String message) {
            guard(() -> delegate.onLog(level, message));
        }

        @Override
        public void onPartialOutput(List<JsonNode> data) {
            guard(() -> delegate.onPartialOutput(data));
        }

        private static void guard(Runnable action) {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.warn("a progress listener failed; the call goes on", e);
            }
        }
    }
}
