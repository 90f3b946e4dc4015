package tv.latent.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import tv.latent.backend.http.DownloadPolicy;
import tv.latent.media.HouseFormat;
import tv.latent.schedule.Schedule;
import tv.latent.schedule.Slot;

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
            StageKind.SCORE, Map.of("procedural", BackendType.PROCEDURAL_MUSIC),
            StageKind.SPEAK, Map.of("espeak", BackendType.ESPEAK_NG));

    private static final Map<StageKind, List<String>> DEFAULT_CHAINS = Map.of(
            StageKind.DIRECTOR, List.of("template"),
            StageKind.RENDER, List.of("procedural"),
            StageKind.UPSCALE, List.of("ffmpeg"),
            StageKind.INTERPOLATE, List.of("ffmpeg"),
            StageKind.SCORE, List.of("procedural"),
            StageKind.SPEAK, List.of("espeak"));

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

        LatentConfig.Iptv iptv = iptv(top.object("iptv"));
        if (iptv.ssdp()
                && iptv.publicUrl().isEmpty()
                && Set.of("0.0.0.0", "::", "[::]").contains(server.host())) {
            top.problem(
                    "iptv.ssdp",
                    "needs iptv.publicUrl (such as http://192.168.1.20:8080) while server.host listens on every"
                            + " address: the announcement must say where the tuner is");
        }

        ConfigNode guardNode = top.object("diskGuard");
        LatentConfig.DiskGuard diskGuard = new LatentConfig.DiskGuard(
                gigabytes(guardNode.doubleIn("minFreeGb", 0, 1_000_000, 2)),
                guardNode.doubleIn("minFreePercent", 0, 90, 0),
                Duration.ofSeconds(guardNode.intIn("checkSeconds", 1, 3600, 10)));
        guardNode.finish();

        LatentConfig.Database database = database(top, env);
        LatentConfig.Storage storage = storage(top, env);
        StudioConfig studio = StudioSections.read(top, base, env);

        ConfigNode budgetNode = top.object("budget");
        String currency = budgetNode.string("currency", "USD");
        Budget stationBudget = budget(budgetNode);
        budgetNode.finish();

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
        checkNumbers(channelNodes, channels);
        top.finish();
        if (!problems.isEmpty()) {
            throw new ConfigException(file.toString(), problems);
        }
        LatentConfig.Retention retention = new LatentConfig.Retention(
                libraryBudget, channelDefaults, channelLimits, failedJobsKept, retentionEvery);
        return new LatentConfig(
                file,
                dataDir,
                server,
                pipeline,
                backends,
                channels,
                retention,
                diskGuard,
                iptv,
                studio,
                currency,
                stationBudget,
                database,
                storage);
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

    /** The {@code iptv} section: how media centers reach the channels. */
    private static LatentConfig.Iptv iptv(ConfigNode node) {
        LatentConfig.Iptv d = LatentConfig.Iptv.DEFAULT;
        String publicUrl = node.string("publicUrl", "");
        if (!publicUrl.isEmpty()) {
            if (!isHttpUrl(publicUrl) || publicUrl.contains("?") || publicUrl.contains("#")) {
                node.problem(
                        "publicUrl",
                        "must be an http:// or https:// base URL without query, such as http://192.168.1.20:8080, got '"
                                + publicUrl + "'");
            }
            while (publicUrl.endsWith("/")) {
                publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
            }
        }
        LatentConfig.Iptv iptv = new LatentConfig.Iptv(
                publicUrl,
                node.intIn("tunerCount", 1, 64, d.tunerCount()),
                node.string("deviceName", d.deviceName()),
                node.bool("ssdp", d.ssdp()),
                node.intIn("clientBufferSeconds", 1, 300, d.clientBufferSeconds()));
        node.finish();
        return iptv;
    }

    /** Channel numbers a channel sets must differ: guides and tuners find channels by them. */
    private static void checkNumbers(List<ConfigNode> nodes, List<ChannelConfig> channels) {
        Map<Integer, String> taken = new java.util.HashMap<>();
        for (int i = 0; i < channels.size() && i < nodes.size(); i++) {
            ChannelConfig channel = channels.get(i);
            if (channel == null || channel.number().isEmpty()) {
                continue;
            }
            String before = taken.putIfAbsent(channel.number().getAsInt(), channel.id());
            if (before != null) {
                nodes.get(i)
                        .problem(
                                "number",
                                channel.number().getAsInt() + " is channel '" + before
                                        + "''s number already; each channel needs its own");
            }
        }
    }

    private static final Pattern TIME = Pattern.compile("([01]?[0-9]|2[0-3]):([0-5][0-9])");

    /**
     * A channel's {@code schedule}: {@code timeZone} (an IANA id, required with slots) and
     * {@code slots}, each checked here for form and by {@link Schedule#problems()} for sense.
     */
    private static Schedule schedule(ConfigNode node) {
        List<ConfigNode> slotNodes = node.list("slots");
        ZoneId zone = ZoneOffset.UTC;
        if (node.has("timeZone")) {
            String id = node.string("timeZone");
            if (ZoneId.getAvailableZoneIds().contains(id)) {
                zone = ZoneId.of(id);
            } else if (!id.isEmpty()) {
                node.problem(
                        "timeZone",
                        "unknown time zone '" + id + "' (an IANA id, such as Europe/Paris, America/New_York or UTC)");
            }
        } else if (!slotNodes.isEmpty()) {
            node.problem(
                    "timeZone",
                    "missing (required with slots: the IANA id of the zone their times are in, such as Europe/Paris)");
        }
        List<Slot> slots = new ArrayList<>();
        boolean wellFormed = true;
        for (ConfigNode slotNode : slotNodes) {
            Slot slot = slot(slotNode);
            if (slot == null) {
                wellFormed = false;
            } else {
                slots.add(slot);
            }
        }
        node.finish();
        Schedule schedule = new Schedule(zone, slots);
        if (wellFormed) {
            for (String problem : schedule.problems()) {
                int colon = problem.indexOf(": ");
                node.problem(problem.substring(0, colon), problem.substring(colon + 2));
            }
        }
        return schedule;
    }

    /** One slot, or null when its times or days are malformed (reported). */
    private static Slot slot(ConfigNode node) {
        String title = node.has("title") ? node.string("title") : "";
        String theme = node.has("theme") ? node.string("theme") : "";
        LocalTime start = time(node, "start");
        LocalTime end = time(node, "end");
        Set<DayOfWeek> days = days(node);
        Slot slot = new Slot(
                title,
                node.string("description", ""),
                theme,
                node.strings("style", List.of()),
                node.string("musicMood", ""),
                node.string("category", Slot.DEFAULT_CATEGORY),
                start,
                end,
                days);
        node.finish();
        return start == null || end == null || days == null ? null : slot;
    }

    private static LocalTime time(ConfigNode node, String key) {
        if (!node.has(key)) {
            node.problem(key, "missing (required: a time of day HH:MM, 24-hour)");
            return null;
        }
        String text = node.string(key);
        var match = TIME.matcher(text);
        if (!match.matches()) {
            node.problem(key, "must be a time of day HH:MM (24-hour, such as 06:00 or 22:30), got '" + text + "'");
            return null;
        }
        return LocalTime.of(Integer.parseInt(match.group(1)), Integer.parseInt(match.group(2)));
    }

    private static final Map<String, Set<DayOfWeek>> DAY_WORDS = dayWords();

    private static Map<String, Set<DayOfWeek>> dayWords() {
        Map<String, Set<DayOfWeek>> words = new LinkedHashMap<>();
        words.put("daily", EnumSet.allOf(DayOfWeek.class));
        words.put("weekdays", EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
        words.put("weekends", EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY));
        for (DayOfWeek day : DayOfWeek.values()) {
            String name = day.name().toLowerCase(java.util.Locale.ROOT);
            words.put(name, EnumSet.of(day));
            words.put(name.substring(0, 3), EnumSet.of(day));
        }
        return Map.copyOf(words);
    }

    /** {@code days}: daily (the default), weekdays, weekends, or a list of days (mon, tuesday, ...); null when malformed. */
    private static Set<DayOfWeek> days(ConfigNode node) {
        List<String> words = node.strings("days", List.of("daily"));
        if (words.isEmpty()) {
            node.problem("days", "must name at least one day (daily, weekdays, weekends, or days such as mon, tue)");
            return null;
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String word : words) {
            Set<DayOfWeek> named = DAY_WORDS.get(word.toLowerCase(java.util.Locale.ROOT));
            if (named == null) {
                node.problem(
                        "days",
                        "'" + word + "' is not a day (daily, weekdays, weekends, mon, tue, wed, thu, fri, sat, sun"
                                + " or the full names)");
                return null;
            }
            days.addAll(named);
        }
        return days;
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

    /** Spend caps from {@code hourly} and {@code daily} (absent: no cap). */
    private static Budget budget(ConfigNode node) {
        return new Budget(
                node.doubleIn("hourly", 0, 1e9, Double.POSITIVE_INFINITY),
                node.doubleIn("daily", 0, 1e9, Double.POSITIVE_INFINITY));
    }

    /** A backend's price ({@code perCall}, {@code perSecond}, {@code perGpuSecond}; absent: free). */
    private static Price price(ConfigNode node) {
        ConfigNode priceNode = node.object("price");
        Price price = new Price(
                priceNode.doubleIn("perCall", 0, 1e6, 0),
                priceNode.doubleIn("perSecond", 0, 1e6, 0),
                priceNode.doubleIn("perGpuSecond", 0, 1e6, 0));
        priceNode.finish();
        return price;
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
        Price price = price(node);
        if (type != null && type.remote()) {
            checkEndpoints(node, options);
        }
        if (type != null && type.hosted()) {
            checkHosted(node, type, options);
        }
        if (type != null && options.get("workflow") instanceof String workflow) {
            options.put("workflow", checkWorkflow(node, "workflow", base, workflow));
        }
        if (type != null && options.get("imageWorkflow") instanceof String workflow) {
            options.put("imageWorkflow", checkWorkflow(node, "imageWorkflow", base, workflow));
        }
        if (type == BackendType.GRADIO_MUSICGEN && options.get("melody") instanceof String melody) {
            options.put("melody", checkMelody(node, base, melody));
        }
        if (options.get("baseUrl") instanceof String baseUrl && !isHttpUrl(baseUrl)) {
            node.problem("baseUrl", "must be an http:// or https:// URL, got '" + baseUrl + "'");
        }
        node.finish();
        return type == null ? null : new BackendConfig(name, type, concurrency, timeout, retries, options, price);
    }

    /**
     * A hosted queue backend needs its credential from the environment (fal: a fal key in
     * {@code keyEnv} or, through the Hugging Face router, a token in {@code tokenEnv}; Replicate:
     * {@code tokenEnv}), an optional http(s) {@code url}, and an input mapping of names to names.
     */
    private static void checkHosted(ConfigNode node, BackendType type, Map<String, Object> options) {
        boolean fal = type.options().containsKey("app");
        boolean key = options.containsKey("keyEnv");
        boolean token = options.containsKey("tokenEnv");
        if (fal && key == token) {
            node.problem(
                    "keyEnv",
                    key
                            ? "give keyEnv (a fal key) or tokenEnv (a Hugging Face token, through the router), not both"
                            : "missing: give keyEnv (the variable holding a fal key) or tokenEnv (a Hugging Face"
                                    + " token, to go through the router)");
        }
        if (!fal && !token) {
            node.problem("tokenEnv", "missing (required: the variable holding the Replicate API token)");
        }
        if (options.get("url") instanceof String url && !isHttpUrl(url)) {
            node.problem("url", "must be an http:// or https:// URL, got '" + url + "'");
        }
        if (options.get("input") instanceof Map<?, ?> input) {
            input.forEach((field, value) -> {
                if (!(value instanceof String)) {
                    node.problem(
                            "input." + field, "must name a value of the shot (prompt, seed, frames...), got " + value);
                }
            });
        }
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
    private static String checkWorkflow(ConfigNode node, String key, Path base, String workflow) {
        Path file = base.resolve(workflow).normalize();
        if (!Files.isRegularFile(file)) {
            node.problem(key, "file " + file + " not found");
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
            case MAP -> node.scalars(key);
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

        ChannelConfig.ModelFormat model = model(node);
        double slowMotion = node.doubleIn("slowMotion", 0.25, 8, 1.0);
        boolean interpolateFirst = node.bool("interpolateFirst", true);
        int lookahead = node.intIn("lookaheadSeconds", 10, 86_400, 180);
        boolean continuity = node.bool("continuity", false);
        ConfigNode budgetNode = node.object("budget");
        Budget budget = budget(budgetNode);
        budgetNode.finish();

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
        Narration narration = narration(node.object("narration"));

        OptionalInt number =
                node.has("number") ? OptionalInt.of(node.intIn("number", 1, 99_999, 1)) : OptionalInt.empty();
        String logo = node.string("logo", "");
        if (!logo.isEmpty() && !isHttpUrl(logo)) {
            node.problem("logo", "must be an http:// or https:// URL of an image, got '" + logo + "'");
        }
        Schedule schedule = schedule(node.object("schedule"));

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
        StudioConfig.Channel studio = StudioSections.channel(node, env);
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
                push,
                number,
                logo,
                schedule,
                studio,
                continuity,
                budget,
                narration);
    }

    /**
     * Validates one channel given as the structure a channel of the YAML file has (the console
     * submits it so), by the same rules as {@link #load}, against the backends {@code config}
     * declares. Keys are those of a channel in the YAML file, without {@code retention}.
     *
     * <pre>{@code
     * ChannelConfig channel = ConfigLoader.channel(Map.of("id", "news", "theme", "a quiet harbour"), config, System::getenv);
     * }</pre>
     *
     * @throws ConfigException listing every problem as {@code key: what is wrong (what is allowed)},
     *     the same words the YAML loader uses
     */
    public static ChannelConfig channel(Map<String, ?> settings, LatentConfig config, Function<String, String> env) {
        List<String> problems = new ArrayList<>();
        JsonNode tree = new ObjectMapper().valueToTree(settings);
        if (tree == null || !tree.isObject()) {
            throw new ConfigException("channel", List.of("(top level): must be a mapping of keys to values"));
        }
        ChannelConfig channel =
                channel(new ConfigNode(tree, "", problems), new LinkedHashMap<>(config.backends()), env);
        if (!problems.isEmpty()) {
            throw new ConfigException("channel", problems);
        }
        return channel;
    }

    /** A channel as the structure of a channel of the YAML file: what {@link #channel(Map, LatentConfig, Function)} reads back. */
    public static Map<String, Object> settings(ChannelConfig channel) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", channel.id());
        out.put("title", channel.title());
        out.put("theme", channel.theme());
        if (!channel.style().isEmpty()) {
            out.put("style", channel.style());
        }
        out.put("musicMood", channel.musicMood());
        out.put("policy", channel.policy().key());
        if (!channel.studio().suggestions()) {
            out.put("suggestions", false);
        }
        channel.studio().twitch().ifPresent(t -> {
            Map<String, Object> twitch = new LinkedHashMap<>();
            twitch.put("channel", t.channel());
            if (!t.tokenEnv().isEmpty()) {
                twitch.put("tokenEnv", t.tokenEnv());
                twitch.put("nick", t.nick());
            }
            twitch.put("reply", t.reply());
            out.put("twitch", twitch);
        });
        out.put("lookaheadSeconds", channel.lookaheadSeconds());
        if (channel.narration().mode() != Narration.Mode.OFF) {
            Map<String, Object> narration = new LinkedHashMap<>();
            narration.put("mode", channel.narration().mode().key());
            narration.put("persona", channel.narration().persona());
            narration.put("language", channel.narration().language());
            narration.put("duckingDb", channel.narration().duckingDb());
            out.put("narration", narration);
        }
        if (channel.continuity()) {
            out.put("continuity", true);
        }
        Map<String, Object> budget = new LinkedHashMap<>();
        if (Double.isFinite(channel.budget().hourly())) {
            budget.put("hourly", channel.budget().hourly());
        }
        if (Double.isFinite(channel.budget().daily())) {
            budget.put("daily", channel.budget().daily());
        }
        if (!budget.isEmpty()) {
            out.put("budget", budget);
        }
        Map<String, Object> stages = new LinkedHashMap<>();
        for (StageKind kind : StageKind.values()) {
            stages.put(kind.key(), channel.chain(kind).isEmpty() ? DEFAULT_CHAINS.get(kind) : channel.chain(kind));
        }
        out.put("stages", stages);
        HouseFormat f = channel.format();
        Map<String, Object> format = new LinkedHashMap<>();
        format.put("width", f.width());
        format.put("height", f.height());
        format.put("fps", f.fps());
        format.put("segmentSeconds", f.segmentSeconds());
        format.put("audioRate", f.audioRate());
        format.put("videoKbps", f.videoKbps());
        format.put("audioKbps", f.audioKbps());
        format.put("loudnessLufs", f.loudnessLufs());
        out.put("format", format);
        List<Map<String, Object>> push = new ArrayList<>();
        for (ChannelConfig.PushTarget target : channel.push()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", target.name());
            one.put("url", target.url());
            if (!target.keyEnv().isEmpty()) {
                one.put("keyEnv", target.keyEnv());
            }
            push.add(one);
        }
        if (!push.isEmpty()) {
            out.put("push", push);
        }
        channel.number().ifPresent(n -> out.put("number", n));
        if (!channel.logo().isEmpty()) {
            out.put("logo", channel.logo());
        }
        if (!channel.schedule().slots().isEmpty()) {
            out.put("schedule", scheduleSettings(channel.schedule()));
        }
        return out;
    }

    /** A schedule as the YAML file writes it: what {@link #schedule(ConfigNode)} reads back. */
    private static Map<String, Object> scheduleSettings(Schedule schedule) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("timeZone", schedule.zone().getId());
        List<Map<String, Object>> slots = new ArrayList<>();
        for (Slot slot : schedule.slots()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("title", slot.title());
            one.put("theme", slot.theme());
            if (!slot.description().isEmpty()) {
                one.put("description", slot.description());
            }
            if (!slot.style().isEmpty()) {
                one.put("style", slot.style());
            }
            if (!slot.musicMood().isEmpty()) {
                one.put("musicMood", slot.musicMood());
            }
            if (!slot.category().equals(Slot.DEFAULT_CATEGORY)) {
                one.put("category", slot.category());
            }
            one.put("start", HH_MM.format(slot.start()));
            one.put("end", HH_MM.format(slot.end()));
            one.put(
                    "days",
                    slot.daily()
                            ? List.of("daily")
                            : slot.days().stream()
                                    .sorted()
                                    .map(d -> d.name().substring(0, 3).toLowerCase(java.util.Locale.ROOT))
                                    .toList());
            slots.add(one);
        }
        out.put("slots", slots);
        return out;
    }

    private static final java.time.format.DateTimeFormatter HH_MM =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm");

    /** The backend names each stage's chain may name (built in, then declared in {@code config}), by stage key. */
    public static Map<String, List<String>> choices(LatentConfig config) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (StageKind kind : StageKind.values()) {
            List<String> names =
                    new ArrayList<>(new java.util.TreeSet<>(BUILT_IN.get(kind).keySet()));
            config.backends().values().stream().filter(b -> b.stage() == kind).forEach(b -> names.add(b.name()));
            out.put(kind.key(), List.copyOf(names));
        }
        return out;
    }

    /**
     * The model's native format: a preset's name ({@code model: zeroscope-576w}), or a mapping of
     * numbers with an optional {@code preset} under them (the numbers win); Zeroscope 576w when absent.
     */
    private static ChannelConfig.ModelFormat model(ConfigNode node) {
        ChannelConfig.ModelFormat base = ChannelConfig.ModelFormat.ZEROSCOPE;
        if (node.isString("model")) {
            String name = node.string("model");
            return ModelPreset.of(name).map(ModelPreset::format).orElseGet(() -> {
                node.problem(
                        "model",
                        "no model preset '" + name + "' (presets: " + String.join(", ", ModelPreset.keys())
                                + "), or give {width, height, frames, fps}");
                return ChannelConfig.ModelFormat.ZEROSCOPE;
            });
        }
        ConfigNode modelNode = node.object("model");
        if (modelNode.has("preset")) {
            String name = modelNode.string("preset");
            base = ModelPreset.of(name).map(ModelPreset::format).orElse(base);
            if (ModelPreset.of(name).isEmpty()) {
                modelNode.problem(
                        "preset",
                        "no model preset '" + name + "' (presets: " + String.join(", ", ModelPreset.keys()) + ")");
            }
        }
        var model = new ChannelConfig.ModelFormat(
                modelNode.intIn("width", 64, 2048, base.width()),
                modelNode.intIn("height", 64, 2048, base.height()),
                modelNode.intIn("frames", 2, 1000, base.frames()),
                modelNode.intIn("fps", 1, 60, base.fps()));
        modelNode.finish();
        if (model.width() % 2 != 0 || model.height() % 2 != 0) {
            modelNode.problem("", "width and height must be even");
        }
        return model;
    }

    /** A language tag as BCP 47 writes it: {@code en}, {@code en-US}, {@code pt-BR}, {@code yue}. */
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}");

    private static final int MAX_PERSONA_CHARS = 120;

    /** A channel's {@code narration} section; absent: no narrator. */
    private static Narration narration(ConfigNode node) {
        Set<String> modes = new java.util.LinkedHashSet<>();
        for (Narration.Mode mode : Narration.Mode.values()) {
            modes.add(mode.key());
        }
        // YAML 1.1 reads a bare `mode: off` as the boolean false
        String mode = node.has("mode") && node.string("mode").equals("false")
                ? Narration.Mode.OFF.key()
                : node.oneOf("mode", modes, Narration.Mode.OFF.key());
        String persona = node.string("persona", Narration.OFF.persona());
        if (persona.length() > MAX_PERSONA_CHARS || persona.chars().anyMatch(Character::isISOControl)) {
            node.problem("persona", "must be one line of at most " + MAX_PERSONA_CHARS + " characters");
        }
        String language = node.string("language", Narration.OFF.language());
        if (!LANGUAGE.matcher(language).matches()) {
            node.problem("language", "must be a language tag such as en, en-US or fr, got '" + language + "'");
        }
        double ducking = node.doubleIn("duckingDb", 0, Narration.MAX_DUCKING_DB, Narration.OFF.duckingDb());
        node.finish();
        return new Narration(
                Narration.Mode.valueOf(mode == null ? "OFF" : mode.toUpperCase(java.util.Locale.ROOT)),
                persona,
                language,
                ducking);
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
