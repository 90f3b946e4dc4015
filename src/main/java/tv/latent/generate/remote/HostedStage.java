package tv.latent.generate.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tv.latent.backend.fal.FalException;
import tv.latent.backend.http.HttpCallException;
import tv.latent.backend.replicate.ReplicateException;
import tv.latent.generate.Continuation;
import tv.latent.generate.Renderer;
import tv.latent.generate.Scorer;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.generate.StageOutput;
import tv.latent.generate.Upscaler;
import tv.latent.generate.VideoInput;
import tv.latent.media.Ffmpeg;
import tv.latent.media.MediaInfo;

/**
 * A model on a hosted queue (fal, the Hugging Face router, Replicate) as a stage: text to video
 * (and image to video from the previous shot's last frame, when an image model is configured),
 * video upscaling, or music. The shot's values go into the model's input fields as the settings
 * map them, with the YAML's per-app extras; the output's file is downloaded at once (hosted
 * outputs expire), probed, and for upscaling fitted to the asked size, for music to the asked
 * length.
 *
 * <p>Failures: a content-policy refusal is a {@link tv.latent.generate.ContentRefusedException}
 * (the shot fails, the director replaces it); refused credentials mark the backend misconfigured
 * (every later call fails at once, the chain falls back); rate limits and 5xx are retried by the
 * pool, honouring {@code Retry-After}; a result without a file, a link that is gone, or a file that
 * is not the media asked for fail this backend for the shot. A download is retried on its own, never
 * by running the model again.
 *
 * <p>Thread-safe.
 */
final class HostedStage implements Renderer, Upscaler, Scorer, BackendHealth {
    /** Which hosted service: the default fields for a start frame and an input video. */
    enum Service {
        FAL("image_url", "video_url"),
        REPLICATE("image", "video");

        final String imageField;
        final String videoField;

        Service(String imageField, String videoField) {
            this.imageField = imageField;
            this.videoField = videoField;
        }
    }

    enum Kind {
        RENDER(Set.of(
                "prompt",
                "negativePrompt",
                "seed",
                "frames",
                "fps",
                "seconds",
                "width",
                "height",
                "resolution",
                "aspectRatio")),
        UPSCALE(Set.of("video", "prompt", "negativePrompt", "seed", "width", "height", "scale")),
        SCORE(Set.of("prompt", "seconds", "seed"));

        final Set<String> values;

        Kind(Set<String> values) {
            this.values = values;
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final EndpointPool<HostedQueue> pool;
    private final HostedSettings settings;
    private final Service service;
    private final Kind kind;
    private final Ffmpeg ffmpeg;
    private final Map<String, String> input;
    private final Misconfiguration misconfiguration;

    /**
     * @throws IllegalArgumentException when the input mapping names a value the stage does not have
     */
    HostedStage(EndpointPool<HostedQueue> pool, HostedSettings settings, Service service, Kind kind, Ffmpeg ffmpeg) {
        this.pool = pool;
        this.settings = settings;
        this.service = service;
        this.kind = kind;
        this.ffmpeg = ffmpeg;
        this.input = settings.input().isEmpty() ? defaults(kind, service) : settings.input();
        for (var e : input.entrySet()) {
            if (!kind.values.contains(e.getValue())) {
                throw new IllegalArgumentException("input field " + e.getKey() + " takes '" + e.getValue()
                        + "', which a " + kind.name().toLowerCase(Locale.ROOT) + " stage does not have (it has "
                        + String.join(", ", new java.util.TreeSet<>(kind.values)) + ")");
            }
        }
        this.misconfiguration = new Misconfiguration(pool.backend());
    }

    private static Map<String, String> defaults(Kind kind, Service service) {
        Map<String, String> m = new LinkedHashMap<>();
        switch (kind) {
            case RENDER -> {
                m.put("prompt", "prompt");
                m.put("negative_prompt", "negativePrompt");
                m.put("seed", "seed");
            }
            case UPSCALE -> m.put(service.videoField, "video");
            case SCORE -> {
                m.put("prompt", "prompt");
                m.put("duration", "seconds");
            }
        }
        return m;
    }

    @Override
    public boolean continues() {
        return kind == Kind.RENDER && settings.imageModel() != null;
    }

    @Override
    public Optional<String> misconfigured() {
        return misconfiguration.reason();
    }

    @Override
    public StageOutput render(RenderRequest request, StageContext context) throws IOException, InterruptedException {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        values.put("prompt", NODES.textNode(request.prompt()));
        values.put("negativePrompt", NODES.textNode(request.negativePrompt()));
        values.put("seed", NODES.numberNode(request.seed()));
        values.put("frames", NODES.numberNode(request.frames()));
        values.put("fps", NODES.numberNode(request.fps()));
        values.put("seconds", NODES.numberNode(request.seconds()));
        values.put("width", NODES.numberNode(request.width()));
        values.put("height", NODES.numberNode(request.height()));
        values.put("resolution", NODES.textNode(request.height() + "p"));
        values.put("aspectRatio", NODES.textNode(aspectRatio(request.width(), request.height())));
        ObjectNode body = body(values);
        Continuation continuation = continues() ? request.continuation() : null;
        String model = settings.model();
        if (continuation != null) {
            model = settings.imageModel();
            String field = settings.imageField() != null ? settings.imageField() : service.imageField;
            body.put(field, dataUri(continuation.lastFrame(), "image/png"));
        }
        Path target = context.newFile("render", "mp4");
        HostedQueue.Ran ran = run(model, body, target, "video", context);
        MediaInfo info = probe(target);
        if (info.video().isEmpty()) {
            Files.deleteIfExists(target);
            throw new StageException(pool.backend() + " sent a file without video", false);
        }
        context.progress().report(1, "done");
        List<Object> params = new ArrayList<>(List.of("model", model, "seed", request.seed(), "request", ran.id()));
        gpu(params, ran);
        if (continuation != null) {
            params.addAll(List.of(Continuation.CONTINUES, continuation.shot(), Continuation.HOW, "image-to-video"));
        }
        return RemoteOutput.of(target, pool.backend(), params.toArray());
    }

    @Override
    public StageOutput upscale(UpscaleRequest request, StageContext context) throws IOException, InterruptedException {
        MediaInfo.Video in = VideoInput.probe(ffmpeg, request.input()).video().orElseThrow();
        Map<String, JsonNode> values = new LinkedHashMap<>();
        values.put("prompt", NODES.textNode(request.prompt()));
        values.put("negativePrompt", NODES.textNode(request.negativePrompt()));
        values.put("seed", NODES.numberNode(request.seed()));
        values.put("width", NODES.numberNode(request.width()));
        values.put("height", NODES.numberNode(request.height()));
        values.put("scale", NODES.numberNode(Math.round(request.width() * 100.0 / in.width()) / 100.0));
        if (input.containsValue("video")) {
            values.put("video", NODES.textNode(dataUri(request.input(), "video/mp4")));
        }
        ObjectNode body = body(values);
        HostedQueue.Ran[] ran = new HostedQueue.Ran[1];
        Path target = Media.upscaleVia(
                ffmpeg,
                request,
                context,
                "hosted",
                pool.backend(),
                in,
                raw -> ran[0] = run(settings.model(), body, raw, "video", context));
        context.progress().report(1, "done");
        List<Object> params = new ArrayList<>(List.of(
                "model",
                settings.model(),
                "width",
                request.width(),
                "height",
                request.height(),
                "request",
                ran[0].id()));
        gpu(params, ran[0]);
        return RemoteOutput.of(target, pool.backend(), params.toArray());
    }

    @Override
    public StageOutput score(ScoreRequest request, StageContext context) throws IOException, InterruptedException {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        values.put("prompt", NODES.textNode(request.musicPrompt()));
        values.put("seconds", NODES.numberNode(Math.ceil(request.seconds())));
        values.put("seed", NODES.numberNode(request.seed()));
        Path raw = context.newFile("hosted-music", "audio");
        Path target = context.newFile("score", "wav");
        try {
            HostedQueue.Ran ran = run(settings.model(), body(values), raw, "audio", context);
            Media.fitAudio(ffmpeg, raw, target, request.seconds());
            context.progress().report(1, "done");
            List<Object> params =
                    new ArrayList<>(List.of("model", settings.model(), "seed", request.seed(), "request", ran.id()));
            gpu(params, ran);
            return RemoteOutput.of(target, pool.backend(), params.toArray());
        } catch (IOException | InterruptedException | RuntimeException e) {
            Files.deleteIfExists(target);
            throw e;
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    /** The model's input: the mapped values of the shot, then the YAML's extras. */
    private ObjectNode body(Map<String, JsonNode> values) {
        ObjectNode body = NODES.objectNode();
        input.forEach((field, value) -> {
            JsonNode v = values.get(value);
            if (v != null) {
                body.set(field, v);
            }
        });
        settings.extra().forEach((field, value) -> body.set(field, json(value)));
        return body;
    }

    private static JsonNode json(Object value) {
        return switch (value) {
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Double d -> NODES.numberNode(d);
            case Boolean b -> NODES.booleanNode(b);
            case null -> NODES.nullNode();
            default -> NODES.textNode(String.valueOf(value));
        };
    }

    /**
     * Runs the model, then downloads the file its output names into {@code target}: the run once
     * (it is paid for), the download with its own retries.
     */
    private HostedQueue.Ran run(String model, ObjectNode body, Path target, String media, StageContext context)
            throws IOException, InterruptedException {
        misconfiguration.check();
        HostedQueue.Ran ran;
        try {
            ran = pool.call(settings.timeout(), (queue, left) -> queue.run(model, body, left, context.progress()));
        } catch (StageException e) {
            if (e.getCause() instanceof FalException f && f.kind() == FalException.Kind.UNAUTHORIZED
                    || e.getCause() instanceof ReplicateException r
                            && r.kind() == ReplicateException.Kind.UNAUTHORIZED) {
                misconfiguration.mark("credentials refused, HTTP " + ((HttpCallException) e.getCause()).status());
            }
            throw e;
        }
        String file = fileIn(ran.output(), media)
                .orElseThrow(() -> new StageException(
                        pool.backend() + " answered without a " + media + " file (request " + ran.id() + ")", false));
        context.progress().report(0.95, "downloading");
        if (file.startsWith("data:")) {
            decodeDataUri(file, target);
        } else {
            URI uri;
            try {
                uri = URI.create(file);
            } catch (IllegalArgumentException e) {
                throw new StageException(pool.backend() + " named a file that is not a URL", false);
            }
            pool.call(settings.timeout(), (queue, left) -> {
                queue.download(uri, target);
                return null;
            });
        }
        return ran;
    }

    /** The file URL in an output: at the configured path, else the first URL found, under the media's name first. */
    Optional<String> fileIn(JsonNode output, String media) {
        if (output == null || output.isNull()) {
            return Optional.empty();
        }
        if (!settings.output().isEmpty()) {
            JsonNode node = output;
            for (String part : settings.output().split("\\.")) {
                node = node.isArray() && part.matches("\\d+") ? node.path(Integer.parseInt(part)) : node.path(part);
            }
            return node.isTextual() && isFile(node.asText()) ? Optional.of(node.asText()) : Optional.empty();
        }
        if (output.isObject()) {
            for (var field : output.properties()) {
                if (field.getKey().toLowerCase(Locale.ROOT).contains(media)) {
                    Optional<String> found = firstUrl(field.getValue());
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
        }
        return firstUrl(output);
    }

    private static Optional<String> firstUrl(JsonNode node) {
        if (node.isTextual()) {
            return isFile(node.asText()) ? Optional.of(node.asText()) : Optional.empty();
        }
        for (JsonNode child : node) {
            Optional<String> found = firstUrl(child);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static boolean isFile(String text) {
        return text.startsWith("https://") || text.startsWith("http://") || text.startsWith("data:");
    }

    private void decodeDataUri(String uri, Path target) throws IOException {
        int comma = uri.indexOf(',');
        if (comma < 0 || !uri.substring(0, comma).endsWith(";base64")) {
            throw new StageException(pool.backend() + " sent a data: URI that is not base64", false);
        }
        if ((long) (uri.length() - comma) * 3 / 4 > 1024L * 1024 * 1024) {
            throw new StageException(pool.backend() + " sent an inline file over 1 GiB", false);
        }
        try {
            Files.write(target, Base64.getDecoder().decode(uri.substring(comma + 1)));
        } catch (IllegalArgumentException e) {
            throw new StageException(pool.backend() + " sent a data: URI that is not valid base64", false);
        }
    }

    /** A local file as a {@code data:} URI, within the upload limit. */
    private String dataUri(Path file, String type) throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            throw new StageException("the file to send to " + pool.backend() + " is missing: " + file, false);
        }
        long size = Files.size(file);
        if (size > settings.maxUploadBytes()) {
            throw new StageException(
                    file.getFileName() + " is " + size + " bytes, over the " + settings.maxUploadBytes() + " bytes "
                            + pool.backend() + " may be sent inline",
                    false);
        }
        return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    }

    private MediaInfo probe(Path file) throws IOException, InterruptedException {
        try {
            return ffmpeg.probe(file);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw new StageException(pool.backend() + " sent a file that is not readable media", false, e);
        }
    }

    private static void gpu(List<Object> params, HostedQueue.Ran ran) {
        if (!Double.isNaN(ran.gpuSeconds())) {
            params.addAll(List.of(StageOutput.GPU_SECONDS, String.format(Locale.ROOT, "%.3f", ran.gpuSeconds())));
        }
    }

    /** The nearest of the ratios hosted video apps take. */
    static String aspectRatio(int width, int height) {
        String best = "16:9";
        double wanted = (double) width / height;
        double bestDistance = Double.MAX_VALUE;
        for (String ratio : List.of("16:9", "9:16", "1:1", "4:3", "3:4", "21:9")) {
            String[] p = ratio.split(":");
            double distance = Math.abs(Math.log(wanted / (Double.parseDouble(p[0]) / Double.parseDouble(p[1]))));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = ratio;
            }
        }
        return best;
    }

    @Override
    public void close() {
        pool.close();
    }
}
