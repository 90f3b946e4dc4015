package tv.latent.station;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.config.BackendConfig;
import tv.latent.config.ChannelConfig;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.config.StageKind;
import tv.latent.director.Director;
import tv.latent.director.FallbackDirector;
import tv.latent.director.OpenAiDirector;
import tv.latent.director.TemplateDirector;
import tv.latent.generate.FfmpegInterpolator;
import tv.latent.generate.FfmpegUpscaler;
import tv.latent.generate.InterpolationMode;
import tv.latent.generate.Interpolator;
import tv.latent.generate.Renderer;
import tv.latent.generate.Scorer;
import tv.latent.generate.Speaker;
import tv.latent.generate.StageException;
import tv.latent.generate.Upscaler;
import tv.latent.generate.music.ProceduralScorer;
import tv.latent.generate.procedural.ProceduralRenderer;
import tv.latent.generate.remote.A1111Settings;
import tv.latent.generate.remote.BackendHealth;
import tv.latent.generate.remote.Circuits;
import tv.latent.generate.remote.ComfyUiSettings;
import tv.latent.generate.remote.EndpointPool;
import tv.latent.generate.remote.HostedSettings;
import tv.latent.generate.remote.PoolPolicy;
import tv.latent.generate.remote.RemoteStages;
import tv.latent.generate.remote.StartupCheck;
import tv.latent.generate.voice.EspeakSpeaker;
import tv.latent.media.Ffmpeg;
import tv.latent.pipeline.Backend;
import tv.latent.pipeline.ChannelStages;
import tv.latent.time.Backoff;

/**
 * Makes the backends a configuration names, once each (so a backend's concurrency cap holds
 * across every channel that uses it), and hands each channel its fallback chains.
 *
 * <p>Thread-safe: a channel added while the station runs gets its chains here too (backends are
 * made once, at their first use). Closes every backend it made, once.
 */
public final class Backends implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);
    private final LatentConfig config;
    private final Ffmpeg ffmpeg;
    private final Map<String, Backend<?>> made = new LinkedHashMap<>();
    private final Map<String, Director> directors = new LinkedHashMap<>();

    private final Function<String, String> env;

    public Backends(LatentConfig config, Ffmpeg ffmpeg) {
        this(config, ffmpeg, System::getenv);
    }

    /** @param env where secrets named by {@code tokenEnv}-style options are read */
    public Backends(LatentConfig config, Ffmpeg ffmpeg, Function<String, String> env) {
        this.config = config;
        this.ffmpeg = ffmpeg;
        this.env = env;
    }

    public synchronized ChannelStages stagesFor(ChannelConfig channel) {
        return new ChannelStages(
                channel,
                chain(channel, StageKind.RENDER, Renderer.class),
                chain(channel, StageKind.UPSCALE, Upscaler.class),
                chain(channel, StageKind.INTERPOLATE, Interpolator.class),
                chain(channel, StageKind.SCORE, Scorer.class),
                // a channel without a narrator needs no voice (nor espeak-ng installed)
                channel.narration().on() ? chain(channel, StageKind.SPEAK, Speaker.class) : List.of());
    }

    /**
     * The channel's director: the first of its director chain. An LLM director always has the
     * template director behind it, so a channel keeps airing when the LLM is down.
     */
    public synchronized Director directorFor(ChannelConfig channel) {
        String name = channel.chain(StageKind.DIRECTOR).get(0);
        return directors.computeIfAbsent(name, n -> {
            BackendConfig backend = ConfigLoader.resolve(config, StageKind.DIRECTOR, n);
            return switch (backend.type()) {
                case TEMPLATE -> new TemplateDirector();
                case OPENAI ->
                    new FallbackDirector(
                            new OpenAiDirector(
                                    backend.option("baseUrl", ""),
                                    secret(backend, "apiKeyEnv"),
                                    backend.option("model", ""),
                                    backend.doubleOption("temperature", 0.9),
                                    backend.timeout()),
                            new TemplateDirector());
                default -> throw new IllegalArgumentException("backend " + n + " is not a director");
            };
        });
    }

    private String secret(BackendConfig b, String option) {
        return b.option(option).map(env).orElse(null);
    }

    private <T extends AutoCloseable> List<Backend<T>> chain(ChannelConfig channel, StageKind stage, Class<T> kind) {
        List<Backend<T>> chain = new ArrayList<>();
        for (String name : channel.chain(stage)) {
            Backend<?> backend = made.computeIfAbsent(
                    stage.key() + "/" + name, key -> make(ConfigLoader.resolve(config, stage, name)));
            chain.add(cast(backend, kind));
        }
        return chain;
    }

    @SuppressWarnings("unchecked")
    private static <T extends AutoCloseable> Backend<T> cast(Backend<?> backend, Class<T> kind) {
        if (!kind.isInstance(backend.impl())) {
            throw new IllegalArgumentException("backend " + backend.name() + " is not a " + kind.getSimpleName());
        }
        return (Backend<T>) backend;
    }

    private Backend<?> make(BackendConfig b) {
        AutoCloseable impl =
                switch (b.type()) {
                    case PROCEDURAL_VIDEO -> new ProceduralRenderer(ffmpeg, b.timeout());
                    case FFMPEG_UPSCALE -> new FfmpegUpscaler(ffmpeg, b.timeout());
                    case FFMPEG_INTERPOLATE ->
                        new FfmpegInterpolator(ffmpeg, InterpolationMode.parse(b.option("mode", "mci")), b.timeout());
                    case PROCEDURAL_MUSIC -> new ProceduralScorer();
                    case GRADIO_ZEROSCOPE -> RemoteStages.zeroscope(gradio(b), b.intOption("steps", 25));
                    case GRADIO_ZEROSCOPE_XL -> RemoteStages.zeroscopeXl(gradio(b), ffmpeg);
                    case GRADIO_FILM -> RemoteStages.film(gradio(b), ffmpeg);
                    case GRADIO_MUSICGEN -> RemoteStages.musicGen(gradio(b), ffmpeg, melody(b));
                    case A1111_RENDER -> RemoteStages.a1111Renderer(a1111(b), a1111Settings(b), ffmpeg);
                    case A1111_UPSCALE -> RemoteStages.a1111Upscaler(a1111(b), a1111Settings(b), ffmpeg);
                    case COMFYUI_RENDER -> comfy(b, () -> RemoteStages.comfyUiRenderer(comfyUi(b), comfySettings(b)));
                    case COMFYUI_UPSCALE ->
                        comfy(b, () -> RemoteStages.comfyUiUpscaler(comfyUi(b), comfySettings(b), ffmpeg));
                    case FAL_RENDER -> hosted(b, () -> RemoteStages.falRenderer(fal(b), hostedSettings(b), ffmpeg));
                    case FAL_UPSCALE -> hosted(b, () -> RemoteStages.falUpscaler(fal(b), hostedSettings(b), ffmpeg));
                    case FAL_MUSIC -> hosted(b, () -> RemoteStages.falScorer(fal(b), hostedSettings(b), ffmpeg));
                    case REPLICATE_RENDER ->
                        hosted(b, () -> RemoteStages.replicateRenderer(replicate(b), hostedSettings(b), ffmpeg));
                    case REPLICATE_UPSCALE ->
                        hosted(b, () -> RemoteStages.replicateUpscaler(replicate(b), hostedSettings(b), ffmpeg));
                    case REPLICATE_MUSIC ->
                        hosted(b, () -> RemoteStages.replicateScorer(replicate(b), hostedSettings(b), ffmpeg));
                    case ESPEAK_NG ->
                        EspeakSpeaker.locate(
                                ffmpeg,
                                b.option("voice").orElse(null),
                                b.intOption("rate", 160),
                                b.intOption("pitch", 50),
                                b.timeout());
                    case OPENAI_SPEECH ->
                        RemoteStages.openAiSpeech(
                                speech(b, "apiKeyEnv"),
                                ffmpeg,
                                b.option("model", ""),
                                b.option("voice", ""),
                                b.options().containsKey("speed") ? b.doubleOption("speed", 1) : null,
                                b.option("format", "wav"),
                                b.option("instructions").orElse(null));
                    case PIPER ->
                        RemoteStages.piper(
                                speech(b, null),
                                ffmpeg,
                                b.option("speaker").orElse(null),
                                b.options().containsKey("lengthScale") ? b.doubleOption("lengthScale", 1) : null);
                    case TEMPLATE, OPENAI ->
                        throw new IllegalArgumentException("backend " + b.name() + " is a director");
                };
        return Backend.of(b.name(), impl, b.concurrency(), b.timeout(), b.price());
    }

    private RemoteStages.Fal fal(BackendConfig b) {
        return new RemoteStages.Fal(
                b.name(),
                b.option("url").map(URI::create).orElse(null),
                secret(b, "keyEnv"),
                secret(b, "tokenEnv"),
                Duration.ofMillis(b.intOption("pollMillis", 500)),
                maxBytes(b),
                policy(b));
    }

    private RemoteStages.Replicate replicate(BackendConfig b) {
        return new RemoteStages.Replicate(
                b.name(),
                b.option("url").map(URI::create).orElse(null),
                secret(b, "tokenEnv"),
                Duration.ofMillis(b.intOption("pollMillis", 1000)),
                maxBytes(b),
                policy(b));
    }

    /** The model (fal {@code app}, Replicate {@code model}), its image-to-video twin, input mapping and extras. */
    private static HostedSettings hostedSettings(BackendConfig b) {
        Map<String, String> input = new LinkedHashMap<>();
        b.mapOption("input").forEach((field, value) -> input.put(field, String.valueOf(value)));
        return new HostedSettings(
                b.option("app").or(() -> b.option("model")).orElse(""),
                b.option("imageApp").or(() -> b.option("imageModel")).orElse(null),
                input,
                b.option("imageField").orElse(null),
                b.mapOption("extra"),
                b.option("output", ""),
                b.timeout(),
                b.intOption("maxUploadMegabytes", 16) * (1L << 20));
    }

    private static AutoCloseable hosted(BackendConfig b, java.util.function.Supplier<AutoCloseable> maker) {
        try {
            return maker.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("backend " + b.name() + ": " + e.getMessage(), e);
        }
    }

    private RemoteStages.Speech speech(BackendConfig b, String keyOption) {
        return new RemoteStages.Speech(
                b.name(),
                endpoints(b),
                keyOption == null ? null : secret(b, keyOption),
                b.intOption("sampleRate", 0),
                b.timeout(),
                Math.min(maxBytes(b), 64L << 20),
                policy(b));
    }

    private static List<String> endpoints(BackendConfig b) {
        List<String> all = new ArrayList<>();
        b.option("url").ifPresent(all::add);
        if (b.options().get("urls") instanceof List<?> urls) {
            urls.forEach(u -> all.add(String.valueOf(u)));
        }
        b.option("space").ifPresent(all::add);
        return all;
    }

    private static PoolPolicy policy(BackendConfig b) {
        return new PoolPolicy(
                b.retries(),
                Duration.ofMillis(b.intOption("retryBackoffMillis", 2_000)),
                b.intOption("breakerFailures", 3),
                Duration.ofSeconds(b.intOption("breakerCooldownSeconds", 60)),
                Backoff.DEFAULT_JITTER);
    }

    private static long maxBytes(BackendConfig b) {
        return b.intOption("maxDownloadMegabytes", 1024) * (1L << 20);
    }

    private RemoteStages.Gradio gradio(BackendConfig b) {
        List<String> parameters = b.options().get("parameters") instanceof List<?> p
                ? p.stream().map(String::valueOf).toList()
                : List.of();
        return new RemoteStages.Gradio(
                b.name(),
                endpoints(b),
                secret(b, "tokenEnv"),
                b.option("hubUrl").map(URI::create).orElse(null),
                b.option("apiName").orElse(null),
                b.intOption("fnIndex", -1),
                parameters,
                b.timeout(),
                maxBytes(b),
                policy(b),
                strings(b, "allowDownloadsFrom"));
    }

    private static List<String> strings(BackendConfig b, String option) {
        return b.options().get(option) instanceof List<?> values
                ? values.stream().map(String::valueOf).toList()
                : List.of();
    }

    /** The melody file (already resolved and found by the config loader), probed now so a bad file stops the start. */
    private Path melody(BackendConfig b) {
        Path file = b.option("melody").map(Path::of).orElse(null);
        if (file == null) {
            return null;
        }
        try {
            if (ffmpeg.probe(file).audio().isEmpty()) {
                throw new IllegalArgumentException(
                        "backend " + b.name() + ": melody file " + file + " has no audio stream");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "backend " + b.name() + ": melody file " + file + " is not readable audio: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing the melody of " + b.name(), e);
        }
        return file;
    }

    /**
     * Checks every remote backend made so far that can be checked before work starts (Gradio apps:
     * their function's parameters against {@code /info}). Call after {@link #stagesFor} for every
     * channel, before the pipeline starts. An app that cannot be reached now (a sleeping Space, a
     * server still booting) only gives a warning, logged and returned: it is checked at its first call.
     *
     * @return the warnings
     * @throws IllegalStateException when a reachable app no longer takes the parameters LatentTV
     *     sends; the message shows both parameter lists for every such backend
     */
    public List<String> checkAtStart() throws InterruptedException {
        List<String> warnings = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Backend<?> backend : made.values()) {
            if (backend.impl() instanceof StartupCheck check) {
                try {
                    for (String warning : check.checkAtStart()) {
                        LOG.warn(warning);
                        warnings.add(warning);
                    }
                } catch (StageException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("cannot start: " + String.join("; ", problems));
        }
        return warnings;
    }

    /**
     * The circuit of each endpoint of every remote backend made, by backend name (for metrics).
     * Thread-safe once wiring is done.
     */
    public synchronized Map<String, List<EndpointPool.Circuit>> circuits() {
        Map<String, List<EndpointPool.Circuit>> out = new LinkedHashMap<>();
        for (Backend<?> backend : made.values()) {
            if (backend.impl() instanceof Circuits c) {
                out.put(backend.name(), c.circuits());
            }
        }
        return out;
    }

    /** A backend made so far: its stage key and name. */
    record Made(String stage, String name) {}

    /** Every backend made so far, in the order made (directors not included). */
    synchronized List<Made> made() {
        List<Made> out = new ArrayList<>();
        made.keySet().forEach(key -> {
            int slash = key.indexOf('/');
            out.add(new Made(key.substring(0, slash), key.substring(slash + 1)));
        });
        return out;
    }

    private RemoteStages.A1111 a1111(BackendConfig b) {
        return new RemoteStages.A1111(
                b.name(), endpoints(b), secret(b, "usernameEnv"), secret(b, "passwordEnv"), maxBytes(b), policy(b));
    }

    private static A1111Settings a1111Settings(BackendConfig b) {
        return new A1111Settings(
                b.option("model").orElse(null),
                b.option("sampler", "DDIM_Gaussian"),
                b.intOption("steps", 30),
                b.intOption("cfg", 17),
                b.doubleOption("eta", 0),
                b.option("negativePrompt", "text, watermark, copyright, blurry, nsfw"),
                b.doubleOption("strength", 0.75),
                b.timeout());
    }

    private static RemoteStages.ComfyUi comfyUi(BackendConfig b) {
        return new RemoteStages.ComfyUi(b.name(), endpoints(b), maxBytes(b), policy(b));
    }

    private static ComfyUiSettings comfySettings(BackendConfig b) {
        return new ComfyUiSettings(
                Path.of(b.option("workflow", "")),
                b.intOption("steps", 30),
                b.doubleOption("cfg", 9),
                b.doubleOption("denoise", 0.7),
                b.timeout(),
                b.option("imageWorkflow").map(Path::of).orElse(null));
    }

    private interface Maker {
        AutoCloseable make() throws IOException;
    }

    private static AutoCloseable comfy(BackendConfig b, Maker maker) {
        try {
            return maker.make();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "backend " + b.name() + ": workflow file " + b.option("workflow", "")
                            + " is not a usable ComfyUI API-format workflow: " + e.getMessage(),
                    e);
        }
    }

    /** Backends made so far that stopped calling their servers because their credentials were refused. */
    public Map<String, String> misconfigured() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Backend<?> backend : made.values()) {
            if (backend.impl() instanceof BackendHealth health) {
                health.misconfigured().ifPresent(why -> out.put(backend.name(), why));
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        for (Backend<?> backend : made.values()) {
            try {
                backend.impl().close();
            } catch (Exception ignored) {
                // closing everything; one backend's failure must not keep the others open
            }
        }
        made.clear();
        directors.values().forEach(Director::close);
        directors.clear();
    }
}
