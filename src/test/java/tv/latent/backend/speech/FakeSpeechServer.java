package tv.latent.backend.speech;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import tv.latent.testing.TestMedia;
import tv.latent.testing.TestVoices;

/**
 * A speech server on 127.0.0.1 that speaks both protocols LatentTV knows, with real speech
 * (espeak-ng): OpenAI-compatible {@code POST /v1/audio/speech} (any {@code response_format} ffmpeg
 * can write; {@code pcm} as 24 kHz 16-bit mono) and Piper's {@code POST /} (WAV at 22050 Hz).
 * On demand it misbehaves as real servers do: silence, garbage, audio at 8 kHz, a body that never
 * ends, a JSON error answered with 200, 500, a 429 with Retry-After, a refused key.
 *
 * <pre>{@code
 * try (FakeSpeechServer tts = FakeSpeechServer.start()) {
 *   String base = tts.openAiBase(); // http://127.0.0.1:PORT/v1
 *   tts.fault(FakeSpeechServer.Fault.SILENCE);
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class FakeSpeechServer implements AutoCloseable {
    /** How the server misbehaves. */
    public enum Fault {
        NONE,
        /** A valid WAV of silence as long as the speech would be. */
        SILENCE,
        /** Random bytes, labelled audio/wav. */
        GARBAGE,
        /** The speech resampled to 8000 Hz. */
        WRONG_RATE,
        /** 200 audio/wav whose body never ends. */
        ENDLESS,
        /** 200 with a JSON error body. */
        JSON_ERROR,
        SERVER_ERROR,
        /** 429 with {@code Retry-After: 30}. */
        RATE_LIMITED
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every request's JSON body, in order. */
    public final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    /** Every request's Authorization header ("null" when absent). */
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** Bytes of endless bodies sent (shows one was cut off). */
    public final AtomicLong endlessBytes = new AtomicLong();

    private final HttpServer server;
    private volatile Fault fault = Fault.NONE;
    private volatile String requiredKey;
    private volatile boolean closed;

    private FakeSpeechServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeSpeechServer start() throws IOException {
        return new FakeSpeechServer();
    }

    /** The OpenAI-compatible base URL ({@code .../v1}). */
    public String openAiBase() {
        return root() + "/v1";
    }

    /** The Piper server's root. */
    public String root() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeSpeechServer fault(Fault value) {
        fault = value;
        return this;
    }

    /** Answers 401 unless the request carries {@code Authorization: Bearer key}. */
    public FakeSpeechServer requireKey(String key) {
        requiredKey = key;
        return this;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            boolean openAi = path.equals("/v1/audio/speech");
            if (!ex.getRequestMethod().equals("POST") || !(openAi || path.equals("/"))) {
                send(ex, 404, "application/json", "{\"detail\": \"Not Found\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            JsonNode body = JSON.readTree(ex.getRequestBody());
            requests.add(body);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(auth));
            if (requiredKey != null && !("Bearer " + requiredKey).equals(auth)) {
                send(
                        ex,
                        401,
                        "application/json",
                        "{\"error\": {\"message\": \"Incorrect API key provided\", \"type\": \"invalid_request_error\"}}"
                                .getBytes(StandardCharsets.UTF_8));
                return;
            }
            Fault now = fault;
            switch (now) {
                case SERVER_ERROR -> {
                    send(
                            ex,
                            500,
                            "application/json",
                            "{\"detail\": \"model crashed\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                case RATE_LIMITED -> {
                    ex.getResponseHeaders().set("Retry-After", "30");
                    send(
                            ex,
                            429,
                            "application/json",
                            "{\"error\": {\"message\": \"Rate limit reached\"}}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                case JSON_ERROR -> {
                    send(
                            ex,
                            200,
                            "application/json",
                            "{\"error\": \"voice not loaded\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                case GARBAGE -> {
                    byte[] junk = new byte[40_000];
                    new java.util.Random(7).nextBytes(junk);
                    send(ex, 200, "audio/wav", junk);
                    return;
                }
                case ENDLESS -> {
                    endless(ex);
                    return;
                }
                default -> {
                    // speech below
                }
            }
            String text =
                    openAi ? body.path("input").asText("") : body.path("text").asText("");
            String format = openAi ? body.path("response_format").asText("mp3") : "wav";
            send(ex, 200, contentType(format), speech(text, format, now));
        }
    }

    /** The line spoken by espeak-ng, made into what the fault and format ask for. */
    private static byte[] speech(String text, String format, Fault fault) throws IOException {
        try {
            Path voice = Files.createTempFile("fake-tts-", ".wav");
            try {
                Files.write(voice, TestVoices.espeak(text));
                List<String> args = new ArrayList<>(List.of("-i", voice.toString()));
                if (fault == Fault.SILENCE) {
                    args.addAll(List.of("-af", "volume=0"));
                }
                int rate = fault == Fault.WRONG_RATE ? 8000 : format.equals("pcm") ? 24000 : 22050;
                args.addAll(List.of("-ar", Integer.toString(rate), "-ac", "1"));
                String suffix =
                        switch (format) {
                            case "pcm" -> ".pcm";
                            case "mp3" -> ".mp3";
                            case "flac" -> ".flac";
                            case "opus" -> ".ogg";
                            case "aac" -> ".m4a";
                            default -> ".wav";
                        };
                if (format.equals("pcm")) {
                    args.addAll(List.of("-f", "s16le"));
                } else if (format.equals("opus")) {
                    args.addAll(List.of("-c:a", "libopus", "-ar", "48000"));
                }
                return TestMedia.bytes(suffix, out -> {
                    List<String> all = new ArrayList<>(args);
                    all.add(out.toString());
                    TestMedia.ffmpeg().run(all, Duration.ofMinutes(1), null, null);
                });
            } finally {
                Files.deleteIfExists(voice);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String contentType(String format) {
        return switch (format) {
            case "mp3" -> "audio/mpeg";
            case "pcm" -> "audio/pcm";
            case "flac" -> "audio/flac";
            case "opus" -> "audio/ogg";
            case "aac" -> "audio/aac";
            default -> "audio/wav";
        };
    }

    private void endless(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "audio/wav");
        ex.sendResponseHeaders(200, 0);
        byte[] chunk = new byte[64 * 1024];
        try {
            OutputStream out = ex.getResponseBody();
            while (!closed && endlessBytes.get() < (4L << 30)) {
                out.write(chunk);
                endlessBytes.addAndGet(chunk.length);
            }
        } catch (IOException gone) {
            // the client hung up: what an endless answer is for
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
    }
}
