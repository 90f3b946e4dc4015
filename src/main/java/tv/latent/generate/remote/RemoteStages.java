package tv.latent.generate.remote;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import tv.latent.backend.a1111.A1111Client;
import tv.latent.backend.comfyui.ComfyUiClient;
import tv.latent.backend.comfyui.Workflow;
import tv.latent.backend.fal.FalClient;
import tv.latent.backend.gradio.Endpoint;
import tv.latent.backend.gradio.GradioClient;
import tv.latent.backend.http.ClientBuilder;
import tv.latent.backend.replicate.ReplicateClient;
import tv.latent.backend.speech.SpeechClient;
import tv.latent.backend.speech.SpeechRequest;
import tv.latent.generate.Interpolator;
import tv.latent.generate.Renderer;
import tv.latent.generate.Scorer;
import tv.latent.generate.Speaker;
import tv.latent.generate.Upscaler;
import tv.latent.media.Ffmpeg;

/**
 * Stages that run on model servers: Gradio apps (Zeroscope, Zeroscope XL, FILM, MusicGen),
 * AUTOMATIC1111 text2video, ComfyUI workflows, hosted queues (fal, the Hugging Face router's
 * fal route, Replicate) and speech servers (OpenAI-compatible, Piper), each over an {@link
 * EndpointPool}.
 *
 * <pre>{@code
 * Renderer zeroscope = RemoteStages.zeroscope(new RemoteStages.Gradio("zeroscope",
 *     List.of("hysts/zeroscope-v2"), System.getenv("HF_TOKEN"), null, "/run", -1, List.of(),
 *     Duration.ofMinutes(10), 512L << 20, PoolPolicy.DEFAULT), 25);
 * }</pre>
 */
public final class RemoteStages {
    private RemoteStages() {}

    /**
     * How to reach a Gradio function.
     *
     * @param endpoints Space ids ({@code owner/name}) or app URLs
     * @param token Hugging Face token, or null (never logged)
     * @param hub the hub to resolve Spaces with, or null for huggingface.co
     * @param apiName the function's api name ("/run"), or null to call by {@code fnIndex}
     * @param parameters the names the app's {@code /info} must list, empty for the type's defaults
     * @param timeout one call, queue and download included
     * @param allowDownloadsFrom hosts besides each app's own origin that its files may come from
     *     ({@link tv.latent.backend.http.DownloadPolicy})
     */
    public record Gradio(
            String backend,
            List<String> endpoints,
            String token,
            URI hub,
            String apiName,
            int fnIndex,
            List<String> parameters,
            Duration timeout,
            long maxDownloadBytes,
            PoolPolicy policy,
            List<String> allowDownloadsFrom) {
        public Gradio {
            endpoints = List.copyOf(endpoints);
            parameters = List.copyOf(parameters);
            allowDownloadsFrom = List.copyOf(allowDownloadsFrom);
        }

        /** Files only from each app's own origin. */
        public Gradio(
                String backend,
                List<String> endpoints,
                String token,
                URI hub,
                String apiName,
                int fnIndex,
                List<String> parameters,
                Duration timeout,
                long maxDownloadBytes,
                PoolPolicy policy) {
            this(
                    backend,
                    endpoints,
                    token,
                    hub,
                    apiName,
                    fnIndex,
                    parameters,
                    timeout,
                    maxDownloadBytes,
                    policy,
                    List.of());
        }
    }

    public static Renderer zeroscope(Gradio g, int steps) {
        return new GradioZeroscopeRenderer(app(g, "/run", GradioZeroscopeRenderer.PARAMETERS), steps);
    }

    public static Upscaler zeroscopeXl(Gradio g, Ffmpeg ffmpeg) {
        return new GradioXlUpscaler(app(g, "/run", GradioXlUpscaler.PARAMETERS), ffmpeg);
    }

    public static Interpolator film(Gradio g, Ffmpeg ffmpeg) {
        return new GradioFilmInterpolator(app(g, null, GradioFilmInterpolator.PARAMETERS), ffmpeg);
    }

    public static Scorer musicGen(Gradio g, Ffmpeg ffmpeg) {
        return musicGen(g, ffmpeg, null);
    }

    /** @param melody an audio file MusicGen's music should follow, or null for none */
    public static Scorer musicGen(Gradio g, Ffmpeg ffmpeg, Path melody) {
        return new GradioMusicGenScorer(app(g, "/predict_batched", GradioMusicGenScorer.PARAMETERS), ffmpeg, melody);
    }

    private static GradioApp app(Gradio g, String defaultApiName, List<String> defaultParameters) {
        String apiName = g.apiName() != null ? g.apiName() : g.fnIndex() >= 0 ? null : defaultApiName;
        // FILM's function has no api name: it is called by fn_index, 1 unless configured
        Endpoint endpoint =
                apiName != null ? Endpoint.named(apiName) : Endpoint.index(g.fnIndex() >= 0 ? g.fnIndex() : 1);
        Duration request = min(g.timeout(), Duration.ofSeconds(60));
        EndpointPool<GradioClient> pool = new EndpointPool<>(
                g.backend(),
                g.endpoints(),
                gradioConnector(g, request, g.timeout()),
                g.policy(),
                InstantSource.system());
        // the start-up check must not wait for a sleeping Space to wake: it warns and the first call checks
        Duration quick = min(request, START_CHECK_TIMEOUT);
        return new GradioApp(
                pool,
                endpoint,
                g.parameters().isEmpty() ? defaultParameters : g.parameters(),
                g.timeout(),
                g.maxDownloadBytes(),
                g.endpoints(),
                gradioConnector(g, quick, quick));
    }

    private static final Duration START_CHECK_TIMEOUT = Duration.ofSeconds(5);

    private static EndpointPool.Connector<GradioClient> gradioConnector(Gradio g, Duration request, Duration wake) {
        return spaceOrUrl -> {
            GradioClient.Builder b = GradioClient.builder(spaceOrUrl)
                    .token(g.token())
                    .connectTimeout(min(request, Duration.ofSeconds(10)))
                    .requestTimeout(request)
                    .callTimeout(g.timeout())
                    .transferTimeout(g.timeout())
                    .wakeTimeout(wake)
                    .maxDownloadBytes(g.maxDownloadBytes())
                    .allowDownloadsFrom(g.allowDownloadsFrom());
            if (g.hub() != null) {
                b.hub(g.hub());
            }
            return b.connect();
        };
    }

    /** How to reach AUTOMATIC1111 servers; user and password null for none. */
    public record A1111(
            String backend, List<String> urls, String user, String password, long maxDownloadBytes, PoolPolicy policy) {
        public A1111 {
            urls = List.copyOf(urls);
        }
    }

    public static Renderer a1111Renderer(A1111 a, A1111Settings settings, Ffmpeg ffmpeg) {
        return new A1111Stage(a1111Pool(a, settings, ffmpeg), settings, ffmpeg);
    }

    public static Upscaler a1111Upscaler(A1111 a, A1111Settings settings, Ffmpeg ffmpeg) {
        return new A1111Stage(a1111Pool(a, settings, ffmpeg), settings, ffmpeg);
    }

    private static EndpointPool<A1111Client> a1111Pool(A1111 a, A1111Settings settings, Ffmpeg ffmpeg) {
        return new EndpointPool<>(
                a.backend(),
                a.urls(),
                url -> {
                    A1111Client.Builder b = A1111Client.builder(URI.create(url))
                            .renderTimeout(settings.timeout())
                            .callTimeout(min(settings.timeout(), Duration.ofSeconds(60)))
                            .connectTimeout(min(settings.timeout(), Duration.ofSeconds(10)))
                            .maxVideoBytes(a.maxDownloadBytes())
                            .videoCheck(A1111Stage.probing(ffmpeg));
                    if (a.user() != null) {
                        b.basicAuth(a.user(), a.password());
                    }
                    return b.build();
                },
                a.policy(),
                InstantSource.system());
    }

    /** How to reach ComfyUI servers. */
    public record ComfyUi(String backend, List<String> urls, long maxDownloadBytes, PoolPolicy policy) {
        public ComfyUi {
            urls = List.copyOf(urls);
        }
    }

    public static Renderer comfyUiRenderer(ComfyUi c, ComfyUiSettings settings) throws IOException {
        Workflow image = settings.imageWorkflow() == null ? null : Workflow.load(settings.imageWorkflow());
        return new ComfyUiStage(comfyPool(c, settings), Workflow.load(settings.workflow()), image, settings, null);
    }

    public static Upscaler comfyUiUpscaler(ComfyUi c, ComfyUiSettings settings, Ffmpeg ffmpeg) throws IOException {
        return new ComfyUiStage(comfyPool(c, settings), Workflow.load(settings.workflow()), null, settings, ffmpeg);
    }

    private static EndpointPool<ComfyUiClient> comfyPool(ComfyUi c, ComfyUiSettings settings) {
        return new EndpointPool<>(
                c.backend(),
                c.urls(),
                url -> ComfyUiClient.builder(URI.create(url))
                        .promptTimeout(settings.timeout())
                        .transferTimeout(settings.timeout())
                        .callTimeout(min(settings.timeout(), Duration.ofSeconds(60)))
                        .connectTimeout(min(settings.timeout(), Duration.ofSeconds(10)))
                        .maxDownloadBytes(c.maxDownloadBytes())
                        .build(),
                c.policy(),
                InstantSource.system());
    }

    /**
     * How to reach fal: its queue (or a gateway at {@code url}) with a fal key, or the Hugging Face
     * router with a Hugging Face token (exactly one of the two; never logged).
     *
     * @param url the queue host or router route, or null for fal's own ({@link FalClient#QUEUE},
     *     {@link FalClient#HUGGING_FACE_ROUTER})
     */
    public record Fal(
            String backend,
            URI url,
            String key,
            String huggingFaceToken,
            Duration pollInterval,
            long maxDownloadBytes,
            PoolPolicy policy) {}

    public static Renderer falRenderer(Fal f, HostedSettings settings, Ffmpeg ffmpeg) {
        return fal(f, settings, HostedStage.Kind.RENDER, ffmpeg);
    }

    public static Upscaler falUpscaler(Fal f, HostedSettings settings, Ffmpeg ffmpeg) {
        return fal(f, settings, HostedStage.Kind.UPSCALE, ffmpeg);
    }

    public static Scorer falScorer(Fal f, HostedSettings settings, Ffmpeg ffmpeg) {
        return fal(f, settings, HostedStage.Kind.SCORE, ffmpeg);
    }

    private static HostedStage fal(Fal f, HostedSettings settings, HostedStage.Kind kind, Ffmpeg ffmpeg) {
        boolean router = f.huggingFaceToken() != null;
        URI url = f.url() != null ? f.url() : router ? FalClient.HUGGING_FACE_ROUTER : FalClient.QUEUE;
        EndpointPool.Connector<HostedQueue> connector = endpoint -> {
            FalClient.Builder b = shortCalls(FalClient.builder(URI.create(endpoint)), settings)
                    .pollInterval(f.pollInterval())
                    .transferTimeout(settings.timeout())
                    .maxDownloadBytes(f.maxDownloadBytes());
            return new FalQueue((router ? b.huggingFaceToken(f.huggingFaceToken()) : b.key(f.key())).build());
        };
        return hosted(f.backend(), url, connector, f.policy(), settings, HostedStage.Service.FAL, kind, ffmpeg);
    }

    /** A hosted stage over one queue endpoint. */
    private static HostedStage hosted(
            String backend,
            URI url,
            EndpointPool.Connector<HostedQueue> connector,
            PoolPolicy policy,
            HostedSettings settings,
            HostedStage.Service service,
            HostedStage.Kind kind,
            Ffmpeg ffmpeg) {
        EndpointPool<HostedQueue> pool =
                new EndpointPool<>(backend, List.of(url.toString()), connector, policy, InstantSource.system());
        return new HostedStage(pool, settings, service, kind, ffmpeg);
    }

    /** A hosted client's short calls (submit, poll, cancel): at most a minute, connecting within ten seconds. */
    private static <B extends ClientBuilder<B>> B shortCalls(B builder, HostedSettings settings) {
        return builder.callTimeout(min(settings.timeout(), Duration.ofSeconds(60)))
                .connectTimeout(min(settings.timeout(), Duration.ofSeconds(10)));
    }

    /**
     * How to reach Replicate's API (or a gateway at {@code url}) with an API token (never logged).
     *
     * @param url the API base, or null for {@link ReplicateClient#API}
     */
    public record Replicate(
            String backend, URI url, String token, Duration pollInterval, long maxDownloadBytes, PoolPolicy policy) {}

    public static Renderer replicateRenderer(Replicate r, HostedSettings settings, Ffmpeg ffmpeg) {
        return replicate(r, settings, HostedStage.Kind.RENDER, ffmpeg);
    }

    public static Upscaler replicateUpscaler(Replicate r, HostedSettings settings, Ffmpeg ffmpeg) {
        return replicate(r, settings, HostedStage.Kind.UPSCALE, ffmpeg);
    }

    public static Scorer replicateScorer(Replicate r, HostedSettings settings, Ffmpeg ffmpeg) {
        return replicate(r, settings, HostedStage.Kind.SCORE, ffmpeg);
    }

    private static HostedStage replicate(Replicate r, HostedSettings settings, HostedStage.Kind kind, Ffmpeg ffmpeg) {
        URI url = r.url() != null ? r.url() : ReplicateClient.API;
        EndpointPool.Connector<HostedQueue> connector =
                endpoint -> new ReplicateQueue(shortCalls(ReplicateClient.builder(URI.create(endpoint)), settings)
                        .token(r.token())
                        .pollInterval(r.pollInterval())
                        .transferTimeout(settings.timeout())
                        .maxDownloadBytes(r.maxDownloadBytes())
                        .build());
        return hosted(r.backend(), url, connector, r.policy(), settings, HostedStage.Service.REPLICATE, kind, ffmpeg);
    }

    /**
     * How to reach speech servers.
     *
     * @param urls base URLs: an OpenAI-compatible API's ({@code https://api.openai.com/v1}), or a
     *     Piper server's root
     * @param apiKey the key sent as a bearer token, or null (never logged)
     * @param sampleRate the rate answers must have (0: any voice rate; OpenAI's {@code pcm} is
     *     then read at 24 kHz)
     * @param timeout one line, retries included
     */
    public record Speech(
            String backend,
            List<String> urls,
            String apiKey,
            int sampleRate,
            Duration timeout,
            long maxDownloadBytes,
            PoolPolicy policy) {
        public Speech {
            urls = List.copyOf(urls);
        }
    }

    /**
     * An OpenAI-compatible {@code POST /audio/speech} narrator.
     *
     * @param speed 0.25..4, or null for the server's
     * @param format the {@code response_format}: wav, mp3, flac, opus, aac or pcm
     * @param instructions how to speak (gpt-4o-mini-tts), or null
     */
    public static Speaker openAiSpeech(
            Speech s, Ffmpeg ffmpeg, String model, String voice, Double speed, String format, String instructions) {
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("model", model);
        settings.put("voice", voice);
        settings.put("format", format);
        if (speed != null) {
            settings.put("speed", String.valueOf(speed));
        }
        return new RemoteSpeaker(
                speechPool(s, SpeechClient.Protocol.OPENAI),
                ffmpeg,
                text -> SpeechRequest.openAi(text, model, voice, format, speed, instructions),
                s.timeout(),
                s.sampleRate(),
                "pcm".equals(format),
                settings);
    }

    /**
     * Piper's HTTP server.
     *
     * @param speaker a multi-speaker voice's speaker, or null
     * @param lengthScale above 1 speaks slower, or null for the voice's
     */
    public static Speaker piper(Speech s, Ffmpeg ffmpeg, String speaker, Double lengthScale) {
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        if (speaker != null) {
            settings.put("speaker", speaker);
        }
        if (lengthScale != null) {
            settings.put("lengthScale", String.valueOf(lengthScale));
        }
        return new RemoteSpeaker(
                speechPool(s, SpeechClient.Protocol.PIPER),
                ffmpeg,
                text -> SpeechRequest.piper(text, speaker, lengthScale),
                s.timeout(),
                s.sampleRate(),
                false,
                settings);
    }

    private static EndpointPool<SpeechClient> speechPool(Speech s, SpeechClient.Protocol protocol) {
        return new EndpointPool<>(
                s.backend(),
                s.urls(),
                url -> SpeechClient.builder(URI.create(url), protocol)
                        .apiKey(s.apiKey())
                        .connectTimeout(min(s.timeout(), Duration.ofSeconds(10)))
                        .callTimeout(min(s.timeout(), Duration.ofSeconds(60)))
                        .maxAudioBytes(s.maxDownloadBytes())
                        .build(),
                s.policy(),
                InstantSource.system());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
