package tv.latent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.gradio.FakeEndpoint;
import tv.latent.backend.gradio.FakeGradioServer;
import tv.latent.backend.speech.FakeSpeechServer;
import tv.latent.config.ConfigLoader;
import tv.latent.library.Clip;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;
import tv.latent.testing.TestMedia;
import tv.latent.web.ConsoleClient;

/**
 * Runs real jobs in a LatentTV process whose environment holds a Hugging Face token, an OpenAI
 * key, a speech server's key and a stream key, against a fake Space that demands the token, a
 * speech server that demands its key (then fails, so the narrator falls back) and an LLM that is down;
 * then looks for the secrets in everything the process wrote (its logs and output, the database
 * and every file in the data directory) and in every page and API answer of the station. None may
 * appear.
 */
@SlowTest
class SecretsStayOutTest {
    private static final Map<String, String> SECRETS = Map.of(
            "HF_TOKEN", "hf_TOPSECRETtoken4711",
            "OPENAI_API_KEY", "sk-TOPSECRETkey4712",
            "TWITCH_KEY", "live_TOPSECRETstream4713",
            // the console's first password: stored only hashed, never written anywhere
            "LATENTTV_ADMIN_PASSWORD", "pw_TOPSECRETadmin4714",
            "FAL_KEY", "fal-TOPSECRETkey4714",
            "REPLICATE_API_TOKEN", "r8_TOPSECRETtoken4715",
            "SPEECH_API_KEY", "sk-TOPSECRETspeech4714");

    @TempDir
    Path dir;

    private FakeGradioServer space;
    private final List<AutoCloseable> fakes = new ArrayList<>();
    private FakeSpeechServer tts;

    @AfterEach
    void stop() throws Exception {
        if (space != null) {
            space.close();
        }
        for (AutoCloseable fake : fakes) {
            fake.close();
        }
        if (tts != null) {
            tts.close();
        }
    }

    private int latenttv(Path config, Path log, String... args) throws Exception {
        ProcessBuilder builder = LatentTvProcess.builder(config, log, args);
        builder.environment().putAll(SECRETS);
        Process process = builder.start();
        assertThat(process.waitFor(240, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    /** Starts the station with the secrets in its environment and saves every page and API answer. */
    private void servePagesInto(Path config, Path log, Path pages) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                "tv.latent.cli.Main",
                "serve",
                "--no-generate",
                "--port",
                "0",
                "--config",
                config.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(SECRETS);
        Process process = builder.start();
        try {
            java.util.regex.Pattern watch =
                    java.util.regex.Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)/watch/secrets");
            String base = null;
            // generous: on a machine loaded far beyond its cores a JVM can take a minute to start serving
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (base == null && System.nanoTime() < deadline && process.isAlive()) {
                var m = watch.matcher(Files.readString(log));
                if (m.find()) {
                    base = m.group(1);
                } else {
                    Thread.sleep(100);
                }
            }
            assertThat(base).as(Files.readString(log)).isNotNull();
            var http = java.net.http.HttpClient.newHttpClient();
            StringBuilder all = new StringBuilder();
            for (String path : List.of(
                    "/",
                    "/watch/secrets",
                    "/api/channels",
                    "/api/channels/secrets",
                    "/api/clips?channel=secrets",
                    "/api/jobs?channel=secrets",
                    "/hls/secrets/live.m3u8",
                    "/hls/secrets/master.m3u8",
                    "/hls/secrets/subs.m3u8")) {
                var response = http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(path).isEqualTo(200);
                all.append(path).append('\n').append(response.body()).append('\n');
            }
            // the operator console, logged in: every page, an API token made, and the audit log
            ConsoleClient operator = new ConsoleClient(base);
            assertThat(operator.login("admin", SECRETS.get("LATENTTV_ADMIN_PASSWORD"))
                            .statusCode())
                    .isEqualTo(303);
            operator.page("/admin/tokens");
            assertThat(operator.post("/admin/tokens", Map.of("name", "robot")).statusCode())
                    .isEqualTo(200);
            for (String path : List.of(
                    "/admin",
                    "/admin/channels/secrets",
                    "/admin/jobs",
                    "/admin/library",
                    "/admin/library?channel=secrets",
                    "/admin/backends",
                    "/admin/audit",
                    "/admin/tokens")) {
                var response = operator.page(path);
                assertThat(response.statusCode()).as(path).isEqualTo(200);
                all.append(path).append('\n').append(response.body()).append('\n');
            }
            Files.writeString(pages, all);
        } finally {
            process.destroy();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void noTokenOrKeyAppearsInLogsErrorsDatabaseOrFiles() throws Exception {
        space = FakeGradioServer.builder()
                .flavor(FakeGradioServer.Flavor.GRADIO_5)
                .requireToken(SECRETS.get("HF_TOKEN"))
                .endpoint(FakeEndpoint.named("/run")
                        .parameter("prompt", "str", "Textbox")
                        .parameter("seed", "int", "Slider", 0)
                        .parameter("num_frames", "int", "Slider", 24)
                        .parameter("num_inference_steps", "int", "Slider", 25)
                        .returns("Result", "Video")
                        .handler(call -> List.of(call.video(
                                "out.mp4", TestMedia.mp4(576, 320, call.input(2).asInt(), 8)))))
                .start();
        tts = FakeSpeechServer.start().requireKey(SECRETS.get("SPEECH_API_KEY"));
        Path config = dir.resolve("latenttv.yaml");
        Files.writeString(
                config,
                """
        dataDir: data
        pipeline: {maxAttempts: 1}
        backends:
          llm: {type: openai, baseUrl: 'http://127.0.0.1:9/v1', model: test, apiKeyEnv: OPENAI_API_KEY, timeoutSeconds: 5}
          zeroscope: {type: gradio-zeroscope, url: '%s', tokenEnv: HF_TOKEN, timeoutSeconds: 60, retries: 0}
          voice: {type: openai-speech, url: '%s', model: kokoro, voice: af_sky, apiKeyEnv: SPEECH_API_KEY, timeoutSeconds: 20, retries: 0}
        channels:
          - id: secrets
            theme: a red fox at golden hour
            narration: {mode: shot}
            stages: {director: [llm], render: [zeroscope, procedural], speak: [voice, espeak]}
            push: [{name: twitch, url: 'rtmp://127.0.0.1:1/app', keyEnv: TWITCH_KEY}]
        """
                        .formatted(space.root(), tts.openAiBase()));

        Path firstLog = dir.resolve("first.log");
        assertThat(latenttv(config, firstLog, "generate", "--channel", "secrets", "--count", "1"))
                .as(Files.readString(firstLog))
                .isZero();
        assertThat(tts.authorizations).contains("Bearer " + SECRETS.get("SPEECH_API_KEY"));
        space.fault(FakeGradioServer.Fault.SERVER_ERROR);
        tts.fault(FakeSpeechServer.Fault.SERVER_ERROR);
        Path secondLog = dir.resolve("second.log");
        assertThat(latenttv(config, secondLog, "generate", "--channel", "secrets", "--count", "1"))
                .as(Files.readString(secondLog))
                .isZero();

        try (Station app = Station.open(ConfigLoader.load(config, SECRETS::get))) {
            List<Clip> clips = app.library().list("secrets", 10);
            assertThat(clips).hasSize(2);
            assertThat(clips).anySatisfy(c -> assertThat(c.provenance()).contains("\"backend\":\"zeroscope\""));
            assertThat(clips)
                    .anySatisfy(
                            c -> assertThat(c.provenance()).contains("fallback").contains("zeroscope"));
            assertThat(clips).allSatisfy(c -> assertThat(c.director()).contains("LLM unavailable"));
            assertThat(clips).anySatisfy(c -> assertThat(c.provenance()).contains("\"backend\":\"voice\""));
            assertThat(clips).anySatisfy(c -> assertThat(c.provenance()).contains("\"backend\":\"espeak-ng\""));
        }
        Path serveLog = dir.resolve("serve.log");
        Path pages = dir.resolve("pages.txt");
        servePagesInto(config, serveLog, pages);

        List<Path> written = new ArrayList<>(List.of(firstLog, secondLog, serveLog, pages));
        try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
            files.filter(Files::isRegularFile).forEach(written::add);
        }
        for (Path file : written) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String secret : SECRETS.values()) {
                assertThat(text).as("%s must not contain a secret", file).doesNotContain(secret);
            }
        }
    }

    /**
     * The hosted queues: a fal key refused by one gateway (401) and taken by another, a Hugging Face
     * token through the router's fal route, and a Replicate token that a failing model echoes in its
     * error text. Every backend is called; no key or token may appear anywhere the station writes or
     * answers.
     */
    @Test
    void noFalKeyReplicateTokenOrHuggingFaceTokenAppearsAnywhere() throws Exception {
        var refusing = tv.latent.generate.remote.HostedFixtures.fal("fal-some-other-key")
                .start();
        var fal = tv.latent.generate.remote.HostedFixtures.fal(SECRETS.get("FAL_KEY"))
                .start();
        var router = tv.latent.generate.remote.HostedFixtures.fal(SECRETS.get("HF_TOKEN"))
                .router()
                .start();
        var replicate = tv.latent.generate.remote.HostedFixtures.replicate(SECRETS.get("REPLICATE_API_TOKEN"))
                .start();
        fakes.addAll(List.of(refusing, fal, router, replicate));
        replicate.misbehave(tv.latent.backend.replicate.FakeReplicateServer.Misbehaviour.FAIL, 2);
        router.misbehave(tv.latent.backend.fal.FakeFalServer.Misbehaviour.NO_VIDEO, 1);
        String input = "{prompt: prompt, seed: seed, num_frames: frames, fps: fps, width: width, height: height}";
        Path config = dir.resolve("latenttv.yaml");
        Files.writeString(
                config,
                """
        dataDir: data
        pipeline: {maxAttempts: 1}
        backends:
          fal-refused: {type: fal-render, app: %1$s, keyEnv: FAL_KEY, url: '%2$s', input: %6$s, pollMillis: 20, timeoutSeconds: 30, retries: 0}
          replicate: {type: replicate-render, model: %3$s, tokenEnv: REPLICATE_API_TOKEN, url: '%4$s', input: %6$s, pollMillis: 20, timeoutSeconds: 30, retries: 0}
          hf: {type: fal-render, app: %1$s, tokenEnv: HF_TOKEN, url: '%5$s', input: %6$s, pollMillis: 20, timeoutSeconds: 30, retries: 0}
          fal: {type: fal-render, app: %1$s, keyEnv: FAL_KEY, url: '%7$s', input: %6$s, pollMillis: 20, timeoutSeconds: 30, retries: 0, price: {perCall: 0.1}}
        channels:
          - id: secrets
            theme: a red fox at golden hour
            model: {width: 128, height: 72, frames: 16, fps: 8}
            stages: {render: [fal-refused, replicate, hf, fal, procedural]}
        """
                        .formatted(
                                tv.latent.generate.remote.HostedFixtures.VIDEO_APP,
                                refusing.baseUri(),
                                tv.latent.generate.remote.HostedFixtures.VIDEO_MODEL,
                                replicate.baseUri(),
                                router.baseUri(),
                                input,
                                fal.baseUri()));

        Path log = dir.resolve("generate.log");
        assertThat(latenttv(config, log, "generate", "--channel", "secrets", "--count", "2"))
                .as(Files.readString(log))
                .isZero();
        try (Station app = Station.open(ConfigLoader.load(config, SECRETS::get))) {
            List<Clip> clips = app.library().list("secrets", 10);
            assertThat(clips).hasSize(2);
            assertThat(clips).anySatisfy(c -> assertThat(c.provenance()).contains("\"backend\":\"fal\""));
            assertThat(clips).anySatisfy(c -> assertThat(c.provenance()).contains("\"backend\":\"hf\""));
            assertThat(clips)
                    .allSatisfy(c ->
                            assertThat(c.provenance()).contains("replicate: ").contains("fal-refused: "));
        }
        assertThat(refusing.requests()).isNotEmpty();
        assertThat(router.requests()).isNotEmpty();
        Path serveLog = dir.resolve("serve.log");
        Path pages = dir.resolve("pages.txt");
        servePagesInto(config, serveLog, pages);

        List<Path> written = new ArrayList<>(List.of(log, serveLog, pages));
        try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
            files.filter(Files::isRegularFile).forEach(written::add);
        }
        for (Path file : written) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String secret : SECRETS.values()) {
                assertThat(text).as("%s must not contain a secret", file).doesNotContain(secret);
            }
        }
    }
}
