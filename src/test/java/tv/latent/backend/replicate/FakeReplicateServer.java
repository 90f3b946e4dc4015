package tv.latent.backend.replicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tv.latent.backend.testing.FakeCdn;
import tv.latent.backend.testing.Faults;

/**
 * A stand-in for Replicate's predictions API on 127.0.0.1 under {@code /v1}: {@code POST
 * /models/{owner}/{name}/predictions} (official models) and {@code POST /predictions} with a
 * {@code version}; {@code Prefer: wait} answers a finished prediction at once when the model is
 * quick, else {@code starting}; {@code GET /predictions/{id}} walks starting, processing,
 * succeeded (with {@code metrics.predict_time}); {@code POST /predictions/{id}/cancel}. Outputs are
 * URLs on a {@link FakeCdn} (another origin), as {@code replicate.delivery} is.
 *
 * <p>It misbehaves on demand in each documented way. Thread-safe.
 */
public final class FakeReplicateServer implements AutoCloseable {

    public enum Misbehaviour {
        NONE,
        /** 429 "Request was throttled" with {@code Retry-After: 1} on create. */
        THROTTLE,
        /** 500 on create. */
        SERVER_ERROR,
        /** The prediction fails with a long, multi-line traceback that echoes the token. */
        FAIL,
        /** The prediction fails because the model flagged the input ("NSFW content detected"). */
        FLAG,
        /** The prediction ends canceled. */
        CANCEL,
        /** The prediction succeeds with output null. */
        NO_OUTPUT,
        /** The output URL answers 404 (outputs are deleted after an hour). */
        GONE_URL,
        /** The prediction stays processing for ever. */
        NEVER_ENDS
    }

    /** Where a prediction's {@code urls.get} and {@code urls.cancel} point. */
    public enum NamedUrls {
        /** {@code /v1/predictions/{id}} and its {@code /cancel}, as Replicate names them. */
        STANDARD,
        /** Another route on the API, {@code /v1/runs/{id}} (a gateway with its own paths). */
        API_ALIAS,
        /** The CDN's origin, where the token must never go. */
        OTHER_ORIGIN
    }

    /** One call the fake received. */
    public record Request(String method, String path, String authorization, String prefer, JsonNode body) {}

    /** What a model makes of one input: its output (a URL, a list of URLs...), via {@link Call#file}. */
    @FunctionalInterface
    public interface Model {
        JsonNode run(Call call) throws Exception;
    }

    public record Call(JsonNode input, FakeCdn cdn) {
        /** A URL on the CDN serving {@code content}, as a JSON string. */
        public JsonNode file(String name, byte[] content, String contentType) {
            return JSON.getNodeFactory()
                    .textNode(cdn.put(name, content, contentType).toString());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Javalin app;
    private final FakeCdn cdn = new FakeCdn();
    private final Map<String, Model> models;
    private final String token;
    private final int pollsBeforeDone;
    private final boolean quick;
    private final java.time.Duration latency;
    private final NamedUrls namedUrls;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> cancelled = new CopyOnWriteArrayList<>();
    private final Faults<Misbehaviour> faults;

    private static final class Job {
        final String model;
        final JsonNode input;
        final String authorization;
        final AtomicInteger polls = new AtomicInteger();
        final long createdNanos = System.nanoTime();
        final Misbehaviour ending;
        volatile boolean cancelled;
        volatile JsonNode output;

        Job(String model, JsonNode input, String authorization, Misbehaviour ending) {
            this.model = model;
            this.input = input;
            this.authorization = authorization;
            this.ending = ending;
        }
    }

    private FakeReplicateServer(Builder b) {
        models = Map.copyOf(b.models);
        token = b.token;
        pollsBeforeDone = b.pollsBeforeDone;
        quick = b.quick;
        latency = b.latency;
        namedUrls = b.namedUrls;
        faults = new Faults<>(Misbehaviour.NONE, b.misbehaviour);
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            config.routes.post(
                    "/v1/models/{owner}/{name}/predictions",
                    ctx -> create(ctx, ctx.pathParam("owner") + "/" + ctx.pathParam("name")));
            config.routes.post("/v1/predictions", ctx -> create(ctx, null));
            config.routes.get("/v1/predictions/{id}", this::get);
            config.routes.post("/v1/predictions/{id}/cancel", this::cancel);
            config.routes.get("/v1/runs/{id}", this::get);
            config.routes.post("/v1/runs/{id}/cancel", this::cancel);
        });
        app.start("127.0.0.1", 0);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The API base, {@code http://127.0.0.1:port/v1}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + app.port() + "/v1");
    }

    public FakeCdn cdn() {
        return cdn;
    }

    public void misbehave(Misbehaviour value) {
        misbehave(value, Integer.MAX_VALUE);
    }

    /** Misbehaves in the next {@code times} predictions (or creates) concerned, then behaves. */
    public void misbehave(Misbehaviour value, int times) {
        faults.set(Objects.requireNonNull(value), times);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Creates received (POSTs of predictions), whatever was answered. */
    public long creates() {
        return requests.stream()
                .filter(r -> r.method().equals("POST") && r.path().endsWith("/predictions"))
                .count();
    }

    public List<String> cancelled() {
        return List.copyOf(cancelled);
    }

    private boolean misbehaving(Misbehaviour m) {
        return faults.now(m);
    }

    private boolean authorized(Context ctx) {
        if (token != null && !("Bearer " + token).equals(ctx.header("Authorization"))) {
            json(
                    ctx,
                    401,
                    "{\"title\": \"Unauthenticated\", \"detail\": \"You did not pass a valid authentication token\", \"status\": 401}");
            return false;
        }
        return true;
    }

    private void create(Context ctx, String official) throws IOException {
        JsonNode body = JSON.readTree(ctx.body());
        requests.add(new Request("POST", ctx.path(), header(ctx, "Authorization"), header(ctx, "Prefer"), body));
        if (!authorized(ctx)) {
            return;
        }
        String model = official != null ? official : body.path("version").asText("");
        if (!models.containsKey(model)) {
            json(
                    ctx,
                    404,
                    "{\"title\": \"Not found\", \"detail\": \"The requested resource could not be found.\", \"status\": 404}");
            return;
        }
        if (misbehaving(Misbehaviour.THROTTLE)) {
            ctx.header("Retry-After", "1");
            json(
                    ctx,
                    429,
                    "{\"title\": \"Too Many Requests\", \"detail\": \"Request was throttled. Expected available in 1 second.\", \"status\": 429}");
            return;
        }
        if (misbehaving(Misbehaviour.SERVER_ERROR)) {
            json(ctx, 500, "{\"detail\": \"Internal Server Error\"}");
            return;
        }
        Misbehaviour ending = Misbehaviour.NONE;
        for (Misbehaviour m : List.of(
                Misbehaviour.FAIL,
                Misbehaviour.FLAG,
                Misbehaviour.CANCEL,
                Misbehaviour.NO_OUTPUT,
                Misbehaviour.GONE_URL,
                Misbehaviour.NEVER_ENDS)) {
            if (misbehaving(m)) {
                ending = m;
            }
        }
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 26);
        Job job = new Job(model, body.path("input"), header(ctx, "Authorization"), ending);
        jobs.put(id, job);
        boolean waits = !header(ctx, "Prefer").isEmpty();
        if (waits && quick && ending != Misbehaviour.NEVER_ENDS) {
            job.polls.set(pollsBeforeDone);
        }
        if (waits && latency != null) {
            // Prefer: wait=N holds the answer until the prediction ends, or N seconds
            long waitNanos = java.time.Duration.ofSeconds(
                            Long.parseLong(header(ctx, "Prefer").replaceAll("\\D", "")))
                    .toNanos();
            long sleep = Math.min(latency.toNanos(), waitNanos);
            try {
                java.util.concurrent.TimeUnit.NANOSECONDS.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        json(ctx, 201, prediction(id, job).toString());
    }

    private void get(Context ctx) {
        requests.add(new Request("GET", ctx.path(), header(ctx, "Authorization"), "", null));
        if (!authorized(ctx)) {
            return;
        }
        Job job = jobs.get(ctx.pathParam("id"));
        if (job == null) {
            json(ctx, 404, "{\"detail\": \"Not found.\"}");
            return;
        }
        job.polls.incrementAndGet();
        json(ctx, 200, prediction(ctx.pathParam("id"), job).toString());
    }

    private void cancel(Context ctx) {
        requests.add(new Request("POST", ctx.path(), header(ctx, "Authorization"), "", null));
        if (!authorized(ctx)) {
            return;
        }
        Job job = jobs.get(ctx.pathParam("id"));
        if (job == null) {
            json(ctx, 404, "{\"detail\": \"Not found.\"}");
            return;
        }
        cancelled.add(ctx.pathParam("id"));
        job.cancelled = true;
        json(ctx, 200, prediction(ctx.pathParam("id"), job).toString());
    }

    private ObjectNode prediction(String id, Job job) {
        String base =
                switch (namedUrls) {
                    case STANDARD -> baseUri() + "/predictions";
                    case API_ALIAS -> baseUri() + "/runs";
                    case OTHER_ORIGIN -> cdn.base() + "/v1/predictions";
                };
        ObjectNode p =
                JSON.createObjectNode().put("id", id).put("model", job.model).put("version", "hidden");
        p.set("input", job.input);
        p.put("created_at", "2026-01-01T00:00:00.000Z");
        p.putObject("urls")
                .put("get", base + "/" + id)
                .put("cancel", base + "/" + id + "/cancel")
                .put("stream", "https://stream.replicate.com/v1/files/" + id);
        int polls = latency == null
                ? job.polls.get()
                : System.nanoTime() - job.createdNanos >= latency.toNanos() ? pollsBeforeDone : 1;
        String status;
        if (job.cancelled || job.ending == Misbehaviour.CANCEL && polls >= pollsBeforeDone) {
            status = "canceled";
        } else if (job.ending == Misbehaviour.NEVER_ENDS || polls < pollsBeforeDone) {
            status = polls == 0 ? "starting" : "processing";
        } else if (job.ending == Misbehaviour.FAIL || job.ending == Misbehaviour.FLAG) {
            status = "failed";
        } else {
            status = "succeeded";
        }
        p.put("status", status);
        p.put("logs", "step " + polls + "\n");
        switch (status) {
            case "succeeded" -> {
                p.set("output", output(job));
                p.putObject("metrics").put("predict_time", 2.25).put("total_time", 3.0);
                p.put("completed_at", "2026-01-01T00:00:03.000Z");
            }
            case "failed" -> {
                p.putNull("output");
                p.put(
                        "error",
                        job.ending == Misbehaviour.FLAG
                                ? "NSFW content detected. Try running it again, or try a different prompt."
                                : "Traceback (most recent call last):\n  File \"predict.py\", line 88, in predict\n"
                                        + "    raise RuntimeError(env)\nRuntimeError: CUDA error while running with "
                                        + job.authorization + " " + "x".repeat(600));
                p.putObject("metrics").put("predict_time", 0.5);
            }
            default -> p.putNull("output");
        }
        return p;
    }

    private JsonNode output(Job job) {
        if (job.ending == Misbehaviour.NO_OUTPUT) {
            return JSON.nullNode();
        }
        if (job.output == null) {
            try {
                job.output = models.get(job.model).run(new Call(job.input, cdn));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (job.ending == Misbehaviour.GONE_URL) {
            return JSON.getNodeFactory().textNode(cdn.gone("output.mp4").toString());
        }
        return job.output;
    }

    private static String header(Context ctx, String name) {
        return Objects.requireNonNullElse(ctx.header(name), "");
    }

    private static void json(Context ctx, int status, String body) {
        ctx.status(status).contentType("application/json").result(body);
    }

    @Override
    public void close() {
        app.stop();
        cdn.close();
    }

    /** Configures a {@link FakeReplicateServer}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Model> models = new ConcurrentHashMap<>();
        private String token;
        private int pollsBeforeDone = 2;
        private boolean quick;
        private java.time.Duration latency;
        private NamedUrls namedUrls = NamedUrls.STANDARD;
        private Misbehaviour misbehaviour = Misbehaviour.NONE;

        private Builder() {}

        /** Where predictions' {@code urls.get} and {@code urls.cancel} point (default as Replicate does). */
        public Builder namedUrls(NamedUrls value) {
            namedUrls = Objects.requireNonNull(value);
            return this;
        }

        /** Each prediction ends {@code value} after its create (for benchmarks); a create with Prefer: wait holds until then. */
        public Builder latency(java.time.Duration value) {
            latency = value;
            return this;
        }

        /** A model by {@code owner/name} (official) or by version id. */
        public Builder model(String nameOrVersion, Model model) {
            models.put(nameOrVersion, model);
            return this;
        }

        public Builder requireToken(String value) {
            token = value;
            return this;
        }

        /** Polls before a prediction ends (default 2). */
        public Builder pollsBeforeDone(int value) {
            pollsBeforeDone = value;
            return this;
        }

        /** The model finishes within a create's {@code Prefer: wait}. */
        public Builder quick() {
            quick = true;
            return this;
        }

        public Builder misbehave(Misbehaviour value) {
            misbehaviour = value;
            return this;
        }

        public FakeReplicateServer start() {
            return new FakeReplicateServer(this);
        }
    }
}
