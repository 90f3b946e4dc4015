package tv.latent.generate.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tv.latent.backend.speech.SpeechClient;
import tv.latent.backend.speech.SpeechRequest;
import tv.latent.generate.Speaker;
import tv.latent.generate.SpeechAudio;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageOutput;
import tv.latent.media.Ffmpeg;

/**
 * A narrator's voice from a speech server: an OpenAI-compatible {@code /audio/speech} (OpenAI,
 * Kokoro-FastAPI) or Piper's HTTP server, over an {@link EndpointPool} (retries, breakers,
 * Retry-After). What a server sends is accepted only as {@link SpeechAudio} accepts a voice: a
 * server that answers silence, something that is not audio, audio at a rate it was not set to
 * answer with, or a voice far too long or short for the line, fails the try (retryably: another
 * try or backend may do better). Raw {@code pcm} answers are read as 16-bit mono at the
 * configured rate. Thread-safe.
 */
final class RemoteSpeaker implements Speaker, Circuits {
    /** OpenAI's {@code pcm} is 24 kHz 16-bit mono, without a header. */
    static final int OPENAI_PCM_RATE = 24_000;

    /** Builds the protocol request for a line. */
    @FunctionalInterface
    interface Requests {
        SpeechRequest of(String text);
    }

    private final EndpointPool<SpeechClient> pool;
    private final Ffmpeg ffmpeg;
    private final Requests requests;
    private final Duration timeout;
    private final int sampleRate;
    private final boolean pcm;
    private final Map<String, String> settings;

    /**
     * @param sampleRate the rate the server must answer with, or 0 for any voice rate
     * @param pcm whether answers are headerless 16-bit mono PCM (at {@code sampleRate}, else 24 kHz)
     * @param settings what to keep in the provenance besides the seconds (model, voice ...)
     */
    RemoteSpeaker(
            EndpointPool<SpeechClient> pool,
            Ffmpeg ffmpeg,
            Requests requests,
            Duration timeout,
            int sampleRate,
            boolean pcm,
            Map<String, String> settings) {
        this.pool = pool;
        this.ffmpeg = ffmpeg;
        this.requests = requests;
        this.timeout = timeout;
        this.sampleRate = sampleRate;
        this.pcm = pcm;
        this.settings = Map.copyOf(settings);
    }

    @Override
    public StageOutput speak(SpeakRequest request, StageContext context) throws IOException, InterruptedException {
        SpeechAudio.checkText(request.text());
        SpeechRequest wire = requests.of(request.text());
        Path target = context.newFile("speak", "wav");
        context.progress().report(0, "speaking on " + pool.backend());
        SpeechAudio.Accepted accepted = pool.call(timeout, (client, left) -> {
            Path raw = context.newFile("speech", "audio");
            Path wav = pcm ? context.newFile("speech-pcm", "wav") : raw;
            try {
                client.synthesize(wire, raw, left);
                if (pcm) {
                    wrapPcm(raw, wav, sampleRate > 0 ? sampleRate : OPENAI_PCM_RATE);
                }
                return SpeechAudio.accept(ffmpeg, wav, target, request, pool.backend(), sampleRate, true);
            } finally {
                Files.deleteIfExists(raw);
                Files.deleteIfExists(wav);
            }
        });
        context.progress().report(1, "spoken");
        Map<String, String> params = new LinkedHashMap<>(settings);
        params.put("seconds", String.format(Locale.ROOT, "%.3f", accepted.seconds()));
        params.put("sourceRate", Integer.toString(accepted.sourceRate()));
        return new StageOutput(target, pool.backend(), params);
    }

    /** Headerless 16-bit little-endian mono PCM as a WAV file. */
    static void wrapPcm(Path pcm, Path wav, int rate) throws IOException {
        long size = Files.size(pcm);
        if (size > Integer.MAX_VALUE - 36) {
            throw new IOException("the PCM answer is too large: " + size + " bytes");
        }
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt((int) (36 + size))
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(rate)
                .putInt(rate * 2)
                .putShort((short) 2)
                .putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt((int) size);
        try (OutputStream out = Files.newOutputStream(wav);
                InputStream in = Files.newInputStream(pcm)) {
            out.write(header.array());
            in.transferTo(out);
        }
    }

    @Override
    public List<EndpointPool.Circuit> circuits() {
        return pool.circuits();
    }

    @Override
    public void close() {
        pool.close();
    }
}
