package tv.latent.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import tv.latent.backend.http.DownloadPolicy;
import tv.latent.media.HouseFormat;

/**
 * Reads and validates {@code latenttv.yaml}. All problems are reported at once, each with its key
 * path; nothing starts on a bad file.
 *
 * <pre>{@code
 * LatentConfig config = ConfigLoader.load(Path.of("latenttv.yaml"), System::getenv);
 * }</pre>
 */
public final class ConfigLoader {
    /** Channel ids and backend names become directory names and URL parts: keep them plain. */
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Names every config has without declaring them, per stage. */
    static final Map<StageKind, Map<String, BackendType>> BUILT_IN = Map.of(
            StageKind.DIRECTOR, Map.of("template", BackendType.TEMPLATE),
            StageKind.RENDER, Map.of("procedural", BackendType.PROCEDURAL_VIDEO),
            StageKind.UPSCALE, Map.of("ffmpeg", BackendType.FFMPEG_UPSCALE),
            StageKind.INTERPOLATE, Map.of("ffmpeg", BackendType.FFMPEG_INTERPOLATE),
            StageKind.SCORE, Map.of("procedural", BackendType.PROCEDURAL_MUSIC));

    private static final Map<StageKind, List<String>> DEFAULT_CHAINS = Map.of(
            StageKind.DIRECTOR, List.of("template"),
            StageKind.RENDER, List.of("procedural"),
            StageKind.UPSCALE, List.of("ffmpeg"),
            StageKind.INTERPOLATE, List.of("ffmpeg"),
            StageKind.SCORE, List.of("procedural"));

    private ConfigLoader() {}

    /** Loads and validates a file. {@code env} supplies environment variables (secrets are checked for presence only). */
    public static LatentConfig load(Path file, Function<String, String> env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of("file not found"));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read: " + e.getMessage()));
        }
        return parse(text, file, env);
    }

    /** Validates YAML text as if it came from {@code file} (relative paths resolve against its directory). */
    public static LatentConfig parse(String yaml, Path file, Function<String, String> env) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            String at = where == null ? "" : "line " + where.getLineNr() + ", column " + where.getColumnNr() + ": ";
            throw new ConfigException(file.toString(), List.of(at + "not valid YAML: " + e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException(file.toString(), List.of("the file is empty; it needs at least one channel"));
        }
        if (!root.isObject()) {
            throw new ConfigException(
                    file.toString(), List.of("the top level must be a mapping (dataDir, server, backends, channels)"));
        }
        List<String> problems = new ArrayList<>();
        ConfigNode top = new ConfigNode(root, "", problems);
        Path base = file.toAbsolutePath().getParent();

        Path dataDir = base.resolve(top.string("dataDir", "data")).normalize();

        ConfigNode serverNode = top.object("server");
        LatentConfig.ServerLimits limits = LatentConfig.ServerLimits.DEFAULT;
        LatentConfig.Server server = new LatentConfig.Server(
                serverNode.string("host", "127.0.0.1"),
                serverNode.intIn("port", 0, 65535, 8080),
                new LatentConfig.ServerLimits(
                        serverNode.intIn("maxConnections", 16, 1_000_000, limits.maxConnections()),
                        serverNode.intIn("maxEventClients", 0, 1_000_000, limits.maxEventClients()),
                        serverNode.intIn("maxEventClientsPerChannel", 0, 1_000_000, limits.maxEventClientsPerChannel()),
                        Duration.ofSeconds(serverNode.intIn("idleTimeoutSeconds", 5, 3600, (int)
                                limits.idleTimeout().toSeconds())),
                        Duration.ofSeconds(serverNode.intIn("headerTimeoutSeconds", 1, 600, (int)
                                limits.headerTimeout().toSeconds()))));
        serverNode.finish();

        ConfigNode pipelineNode = top.object("pipeline");
        int cores = Runtime.getRuntime().availableProcessors();
        LatentConfig.Pipeline pipeline = new LatentConfig.Pipeline(
                pipelineNode.intIn("maxConcurrentJobs", 1, 256, Math.max(2, cores)),
                pipelineNode.intIn("ffmpegProcesses", 1, 256, Math.max(1, cores)),
                pipelineNode.intIn("maxAttempts", 1, 20, 3),
                Duration.ofMillis(pipelineNode.longIn("retryBackoffMillis", 0, 600_000, 2_000)));
        pipelineNode.finish();

        ConfigNode retentionNode = top.object("retention");
        OptionalLong libraryBudget = diskBudget(retentionNode);
        LatentConfig.ClipLimits channelDefaults = limits(retentionNode, LatentConfig.ClipLimits.DEFAULT, false);
        Duration failedJobsKept = days(retentionNode.doubleIn("failedJobsDays", 0.01, 36_500, 14));
        Duration retentionEvery = Duration.ofMinutes(retentionNode.intIn("everyMinutes", 1, 1440, 10));
        retentionNode.finish();

        ConfigNode guardNode = top.object("diskGuard");
        LatentConfig.DiskGuard diskGuard = new LatentConfig.DiskGuard(
                gigabytes(guardNode.doubleIn("minFreeGb", 0, 1_000_000, 2)),
                guardNode.doubleIn("minFreePercent", 0, 90, 0),
                Duration.ofSeconds(guardNode.intIn("checkSeconds", 1, 3600, 10)));
        guardNode.finish();

        LatentConfig.Database database = database(top, env);
        LatentConfig.Storage storage = storage(top, env);

        Map<String, BackendConfig> backends = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> entry : top.entries("backends").entrySet()) {
            BackendConfig backend = backend(entry.getKey(), entry.getValue(), env, base);
            if (backend != null) {
                backends.put(entry.getKey(), backend);
            }
        }

        List<ChannelConfig> channels = new ArrayList<>();
        Map<String, LatentConfig.ClipLimits> channelLimits = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        List<ConfigNode> channelNodes = top.list("channels");
        if (channelNodes.isEmpty() && problems.stream().noneMatch(p -> p.startsWith("channels"))) {
            top.problem("channels", "missing (required: a list of at least one channel)");
        }
        for (ConfigNode node : channelNodes) {
            boolean ownLimits = node.has("retention");
            ConfigNode limitsNode = node.object("retention");
            ChannelConfig channel = channel(node, backends, env);
            if (ownLimits) {
                channelLimits.put(channel.id(), limits(limitsNode, channelDefaults, true));
                limitsNode.finish();
            }
            if (channel != null && !ids.add(channel.id())) {
                node.problem("id", "'" + channel.id() + "' is used by another channel already");
            }
            channels.add(channel);
        }
        top.finish();
        if (!problems.isEmpty()) {
            throw new ConfigException(file.toString(), problems);
        }
        LatentConfig.Retention retention = new LatentConfig.Retention(
                libraryBudget, channelDefaults, channelLimits, failedJobsKept, retentionEvery);
        return new LatentConfig(
                file, dataDir, server, pipeline, backends, channels, retention, diskGuard, database, storage);
    }

    /**
     * The {@code database} section: absent, the SQLite file in the data directory; with a
     * PostgreSQL {@code url}, the database several nodes share (its user and password read from the
     * environment variables {@code userEnv} and {@code passwordEnv}, never from the file).
     */
    private static LatentConfig.Database database(ConfigNode top, Function<String, String> env) {
        if (!top.has("database")) {
            return LatentConfig.Database.SQLITE;
        }
        ConfigNode node = top.object("database");
        String url = node.string("url");
        if (!url.isEmpty() && !url.startsWith("jdbc:postgresql://")) {
            node.problem("url", "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/name), got '" + url + "'");
        }
        if (url.toLowerCase(java.util.Locale.ROOT).contains("password")) {
            node.problem("url", "must not hold a password (secrets come only from the environment: passwordEnv)");
        }
        String userEnv = envName(node, "userEnv", env);
        String passwordEnv = envName(node, "passwordEnv", env);
        int poolSize = node.intIn("poolSize", 2, 200, 10);
        int leaseSeconds = node.intIn("leaseSeconds", 3, 600, 30);
        node.finish();
        return new LatentConfig.Database(url, userEnv, passwordEnv, poolSize, Duration.ofSeconds(leaseSeconds));
    }

    /**
     * The {@code storage} section: absent, media live in the data directory; with a {@code
     * bucket}, in an S3-compatible store that the data directory caches (its keys read from the
     * environment variables {@code accessKeyEnv} and {@code secretKeyEnv}).
     */
    private static LatentConfig.Storage storage(ConfigNode top, Function<String, String> env) {
        if (!top.has("storage")) {
            return LatentConfig.Storage.LOCAL;
        }
        ConfigNode node = top.object("storage");
        String bucket = node.string("bucket");
        if (!bucket.isEmpty() && !bucket.matches("[a-z0-9][a-z0-9.-]{1,62}")) {
            node.problem("bucket", "must be a bucket name (3 to 63 of a-z, 0-9, '.', '-'), got '" + bucket + "'");
        }
        String endpoint = node.string("endpoint", "");
        if (!endpoint.isEmpty() && !endpoint.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
            node.problem("endpoint", "must be an http(s):// URL of the store, got '" + endpoint + "'");
        }
        String region = node.string("region", "us-east-1");
        String prefix = node.string("prefix", "");
        if (!prefix.isEmpty() && (prefix.startsWith("/") || prefix.contains(".."))) {
            node.problem("prefix", "must be a relative key prefix such as station-a/, got '" + prefix + "'");
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        boolean pathStyle = node.bool("pathStyle", !endpoint.isEmpty());
        String accessKeyEnv = envName(node, "accessKeyEnv", env);
        String secretKeyEnv = envName(node, "secretKeyEnv", env);
        if (accessKeyEnv.isEmpty()) {
            node.problem("accessKeyEnv", "missing (required: the environment variable holding the access key id)");
        }
        if (secretKeyEnv.isEmpty()) {
            node.problem("secretKeyEnv", "missing (required: the environment variable holding the secret key)");
        }
        long cacheBytes = gigabytes(node.doubleIn("cacheGb", 0.01, 1_000_000, 20));
        node.finish();
        return new LatentConfig.Storage(
                bucket, endpoint, region, prefix, pathStyle, accessKeyEnv, secretKeyEnv, cacheBytes);
    }

    /** An optional key naming an environment variable that must be set; empty when absent. */
    private static String envName(ConfigNode node, String key, Function<String, String> env) {
        if (!node.has(key)) {
            return "";
        }
        String name = node.string(key);
        if (!ENV_NAME.matcher(name).matches()) {
            node.problem(key, "must name an environment variable (letters, digits, _), got '" + name + "'");
        } else if (env.apply(name) == null || env.apply(name).isBlank()) {
            node.problem(key, "environment variable " + name + " is not set (secrets come only from the environment)");
        }
        return name;
    }

    /** The library's disk budget: a number of GB, or {@code auto} (the default: empty). */
    private static OptionalLong diskBudget(ConfigNode node) {
        if (!node.has("maxDiskGb")) {
            return OptionalLong.empty();
        }
        String text = node.string("maxDiskGb");
        if (text.equals("auto")) {
            return OptionalLong.empty();
        }
        try {
            double gb = Double.parseDouble(text);
            if (gb >= 0.001 && gb <= 1_000_000) {
                return OptionalLong.of(gigabytes(gb));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        node.problem("maxDiskGb", "must be a number of GB from 0.001 to 1000000, or auto, got '" + text + "'");
        return OptionalLong.empty();
    }

    /**
     * The clip limits of a {@code retention} section; unset keys take {@code fallback}'s. The
     * station's section has no per-channel disk budget ({@code maxDiskGb} there is the library's).
     */
    private static LatentConfig.ClipLimits limits(ConfigNode node, LatentConfig.ClipLimits fallback, boolean channel) {
        Duration maxAge = node.has("maxAgeDays") ? days(node.doubleIn("maxAgeDays", 0, 36_500, 0)) : fallback.maxAge();
        int maxClips = node.intIn("maxClips", 0, 100_000_000, fallback.maxClips());
        long maxDisk = channel ? gigabytes(node.doubleIn("maxDiskGb", 0, 1_000_000, 0)) : fallback.maxDiskBytes();
        int minClips = node.intIn("minClips", 1, 1_000_000, fallback.minClips());
        if (maxClips > 0 && maxClips < minClips) {
            node.problem(
                    "maxClips",
                    "must be at least minClips (" + minClips + ") or 0 for no limit, got " + maxClips
                            + " (the newest minClips clips are never deleted)");
        }
        return new LatentConfig.ClipLimits(maxAge, maxClips, maxDisk, minClips);
    }

    /** Gigabytes as df counts them: 2^30 bytes. */
    private static long gigabytes(double gb) {
        return Math.round(gb * (1L << 30));
    }

    private static Duration days(double days) {
        return Duration.ofSeconds(Math.round(days * 86_400));
    }

    private static BackendConfig backend(String name, ConfigNode node, Function<String, String> env, Path base) {
        if (!ID.matcher(name).matches()) {
            node.problem(
                    "", "backend name must be lower-case letters, digits and dashes (at most 40), got '" + name + "'");
        }
        String typeKey = node.oneOf("type", BackendType.keys(), null);
        BackendType type = typeKey == null ? null : BackendType.of(typeKey);
        int concurrency = node.intIn("concurrency", 1, 256, type != null && type.stage() == StageKind.DIRECTOR ? 4 : 2);
        Duration timeout = Duration.ofSeconds(node.intIn("timeoutSeconds", 1, 86_400, 600));
        int retries = node.intIn("retries", 0, 10, 2);
        Map<String, Object> options = new LinkedHashMap<>();
        if (type != null) {
            for (Map.Entry<String, BackendType.Option> option : type.options().entrySet()) {
                Object value = option(node, option.getKey(), option.getValue(), env);
                if (value != null) {
                    options.put(option.getKey(), value);
                }
            }
        }
        if (type != null && type.remote()) {
            checkEndpoints(node, options);
        }
        if (type != null && options.get("workflow") instanceof String workflow) {
            options.put("workflow", checkWorkflow(node, base, workflow));
        }
        if (type == BackendType.GRADIO_MUSICGEN && options.get("melody") instanceof String melody) {
            options.put("melody", checkMelody(node, base, melody));
        }
        if (options.get("baseUrl") instanceof String baseUrl && !isHttpUrl(baseUrl)) {
            node.problem("baseUrl", "must be an http:// or https:// URL, got '" + baseUrl + "'");
        }
        node.finish();
        return type == null ? null : new BackendConfig(name, type, concurrency, timeout, retries, options);
    }

    private static final Pattern SPACE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");

    /** A remote backend needs somewhere to send work: url, urls or (Gradio) a Space id. */
    private static void checkEndpoints(ConfigNode node, Map<String, Object> options) {
        List<String> all = new ArrayList<>();
        if (options.get("url") instanceof String url) {
            all.add(url);
        }
        if (options.get("urls") instanceof List<?> urls) {
            urls.forEach(u -> all.add(String.valueOf(u)));
        }
        for (String url : all) {
            if (!isHttpUrl(url)) {
                node.problem("url", "must be an http:// or https:// URL, got '" + url + "'");
            }
        }
        if (options.get("space") instanceof String space) {
            if (!SPACE_ID.matcher(space).matches()) {
                node.problem("space", "must be a Hugging Face Space id owner/name, got '" + space + "'");
            }
            all.add(space);
        }
        if (all.isEmpty()) {
            node.problem(
                    "url",
                    "missing: give url or urls (or space for a Gradio backend) so the backend knows which server to call");
        }
        if (options.get("hubUrl") instanceof String hub && !isHttpUrl(hub)) {
            node.problem("hubUrl", "must be an http:// or https:// URL, got '" + hub + "'");
        }
        if (options.get("allowDownloadsFrom") instanceof List<?> hosts) {
            for (Object host : hosts) {
                DownloadPolicy.problem(String.valueOf(host))
                        .ifPresent(problem -> node.problem(
                                "allowDownloadsFrom",
                                problem + "; list hosts such as cdn.example.com, files.example.com:8443 or"
                                        + " *.example.com"));
            }
        }
    }

    private static boolean isHttpUrl(String url) {
        return (url.startsWith("http://") || url.startsWith("https://")) && url.length() > 8 && !url.contains(" ");
    }

    /**
     * Resolves a workflow file against the config file's directory and checks it exists. Whether it
     * is a usable ComfyUI workflow is checked when the backend is made, at start (the loader knows
     * no protocol client).
     */
    private static String checkWorkflow(ConfigNode node, Path base, String workflow) {
        Path file = base.resolve(workflow).normalize();
        if (!Files.isRegularFile(file)) {
            node.problem("workflow", "file " + file + " not found");
        }
        return file.toString();
    }

    private static final Set<String> AUDIO_EXTENSIONS = Set.of("wav", "mp3", "flac", "ogg", "m4a", "aac", "opus");

    /** Resolves a melody file against the config file's directory; it must be an audio file that exists. */
    private static String checkMelody(ConfigNode node, Path base, String melody) {
        Path file = base.resolve(melody).normalize();
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        String extension =
                name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT) : "";
        if (!Files.isRegularFile(file)) {
            node.problem("melody", "file " + file + " not found (paths are relative to the config file)");
        } else if (!Files.isReadable(file)) {
            node.problem("melody", "file " + file + " is not readable");
        } else if (!AUDIO_EXTENSIONS.contains(extension)) {
            node.problem(
                    "melody", "file " + file + " must be audio, one of " + new java.util.TreeSet<>(AUDIO_EXTENSIONS));
        }
        return file.toString();
    }

    private static Object option(ConfigNode node, String key, BackendType.Option option, Function<String, String> env) {
        if (!node.has(key)) {
            if (option.required()) {
                node.problem(key, "missing (required for this backend type)");
            }
            return null;
        }
        return switch (option.kind()) {
            case STRING -> {
                String value = node.string(key);
                if (option.secret()) {
                    if (!ENV_NAME.matcher(value).matches()) {
                        node.problem(
                                key, "must name an environment variable (letters, digits, _), got '" + value + "'");
                    } else if (env.apply(value) == null || env.apply(value).isBlank()) {
                        node.problem(
                                key,
                                "environment variable " + value
                                        + " is not set (secrets come only from the environment)");
                    }
                }
                yield value;
            }
            case INTEGER -> node.longIn(key, (long) option.min(), (long) option.max(), 0);
            case NUMBER -> node.doubleIn(key, option.min(), option.max(), 0);
            case BOOLEAN -> node.bool(key, false);
            case CHOICE ->
                node.oneOf(
                        key,
                        new java.util.LinkedHashSet<>(option.choices()),
                        option.choices().get(0));
            case STRINGS -> node.strings(key, List.of());
        };
    }

    private static ChannelConfig channel(
            ConfigNode node, Map<String, BackendConfig> backends, Function<String, String> env) {
        String id = node.string("id");
        if (!id.isEmpty() && !ID.matcher(id).matches()) {
            node.problem(
                    "id",
                    "must be lower-case letters, digits and dashes, starting with a letter or digit, at most 40; got '"
                            + id + "'");
        }
        String title = node.string("title", id);
        String theme = node.string("theme");
        List<String> style = node.strings("style", List.of());
        String musicMood = node.string("musicMood", "calm ambient");

        ConfigNode formatNode = node.object("format");
        HouseFormat d = HouseFormat.DEFAULT;
        HouseFormat format = d;
        int width = formatNode.intIn("width", 64, 3840, d.width());
        int height = formatNode.intIn("height", 64, 2160, d.height());
        int fps = formatNode.intIn("fps", 1, 60, d.fps());
        int segment = formatNode.intIn("segmentSeconds", 1, 10, d.segmentSeconds());
        int audioRate = formatNode.intIn("audioRate", 44100, 48000, d.audioRate());
        int videoKbps = formatNode.intIn("videoKbps", 100, 50000, d.videoKbps());
        int audioKbps = formatNode.intIn("audioKbps", 32, 512, d.audioKbps());
        double lufs = formatNode.doubleIn("loudnessLufs", -40, -5, d.loudnessLufs());
        formatNode.finish();
        try {
            format = new HouseFormat(width, height, fps, segment, audioRate, videoKbps, audioKbps, lufs);
        } catch (IllegalArgumentException e) {
            formatNode.problem("", e.getMessage());
        }

        ConfigNode modelNode = node.object("model");
        var z = ChannelConfig.ModelFormat.ZEROSCOPE;
        var model = new ChannelConfig.ModelFormat(
                modelNode.intIn("width", 64, 2048, z.width()),
                modelNode.intIn("height", 64, 2048, z.height()),
                modelNode.intIn("frames", 2, 1000, z.frames()),
                modelNode.intIn("fps", 1, 60, z.fps()));
        modelNode.finish();
        if (model.width() % 2 != 0 || model.height() % 2 != 0) {
            modelNode.problem("", "width and height must be even");
        }

        double slowMotion = node.doubleIn("slowMotion", 0.25, 8, 1.0);
        boolean interpolateFirst = node.bool("interpolateFirst", true);
        int lookahead = node.intIn("lookaheadSeconds", 10, 86_400, 180);

        ConfigNode stagesNode = node.object("stages");
        Map<StageKind, List<String>> stages = new EnumMap<>(StageKind.class);
        for (StageKind kind : StageKind.values()) {
            List<String> chain = stagesNode.strings(kind.key(), DEFAULT_CHAINS.get(kind));
            if (chain.isEmpty()) {
                stagesNode.problem(kind.key(), "must name at least one backend");
            }
            for (String name : chain) {
                BackendConfig declared = backends.get(name);
                if (declared != null) {
                    if (declared.stage() != kind) {
                        stagesNode.problem(
                                kind.key(),
                                "backend '" + name + "' is of type "
                                        + declared.type().key() + ", which serves "
                                        + declared.stage().key() + ", not " + kind.key());
                    }
                } else if (!BUILT_IN.get(kind).containsKey(name)) {
                    Set<String> allowed =
                            new java.util.TreeSet<>(BUILT_IN.get(kind).keySet());
                    backends.values().stream().filter(b -> b.stage() == kind).forEach(b -> allowed.add(b.name()));
                    stagesNode.problem(
                            kind.key(),
                            "no backend named '" + name + "' (declared or built in for " + kind.key() + ": "
                                    + String.join(", ", allowed) + ")");
                }
            }
            stages.put(kind, chain);
        }
        stagesNode.finish();

        List<ChannelConfig.PushTarget> push = new ArrayList<>();
        for (ConfigNode target : node.list("push")) {
            String name = target.string("name");
            String url = target.string("url");
            if (!url.isEmpty() && !url.startsWith("rtmp://") && !url.startsWith("rtmps://")) {
                target.problem("url", "must start with rtmp:// or rtmps://, got '" + url + "'");
            }
            String keyEnv = target.string("keyEnv", "");
            if (!keyEnv.isEmpty() && !ENV_NAME.matcher(keyEnv).matches()) {
                target.problem("keyEnv", "must name an environment variable, got '" + keyEnv + "'");
            } else if (!keyEnv.isEmpty()
                    && (env.apply(keyEnv) == null || env.apply(keyEnv).isBlank())) {
                target.problem(
                        "keyEnv",
                        "environment variable " + keyEnv + " is not set (stream keys come only from the environment)");
            }
            target.finish();
            push.add(new ChannelConfig.PushTarget(name, url, keyEnv));
        }
        node.finish();
        return new ChannelConfig(
                id,
                title,
                theme,
                style,
                musicMood,
                format,
                model,
                slowMotion,
                interpolateFirst,
                stages,
                lookahead,
                push);
    }

    /** The backend a channel's stage chain names: a declared one, else the built-in of that name. */
    public static BackendConfig resolve(LatentConfig config, StageKind stage, String name) {
        BackendConfig declared = config.backends().get(name);
        if (declared != null) {
            return declared;
        }
        BackendType type = BUILT_IN.get(stage).get(name);
        if (type == null) {
            throw new IllegalArgumentException("no backend '" + name + "' for " + stage.key());
        }
        return new BackendConfig(
                name,
                type,
                stage == StageKind.DIRECTOR
                        ? 4
                        : Math.max(1, Runtime.getRuntime().availableProcessors()),
                Duration.ofMinutes(10),
                0,
                Map.of());
    }
}
