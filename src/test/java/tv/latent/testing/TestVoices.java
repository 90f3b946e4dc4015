package tv.latent.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real speech for tests (Debian's espeak-ng) and what tests measure of audio: mono samples, levels
 * in dB, and where a known voice starts in a mix (cross-correlation).
 *
 * <pre>{@code
 * byte[] wav = TestVoices.espeak("Meet the red fox.", 22050);
 * float[] mix = TestVoices.mono(master, 8000);
 * double at = TestVoices.offsetOf(voice, mix, 8000, 0, 3);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class TestVoices {
    private TestVoices() {}

    /** {@code text} spoken by espeak-ng (en-us, 160 words a minute, pitch 50), as a WAV at its native 22050 Hz. */
    public static byte[] espeak(String text) throws IOException, InterruptedException {
        Path out = Files.createTempFile("latenttv-voice-", ".wav");
        try {
            Process p = new ProcessBuilder(
                            "espeak-ng",
                            "-v",
                            "en-us",
                            "-s",
                            "160",
                            "-p",
                            "50",
                            "-b",
                            "1",
                            "--stdin",
                            "-w",
                            out.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try (var in = p.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("espeak-ng failed for \"" + text + "\"");
            }
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The audio of {@code file} (its first audio stream, every channel averaged) as floats at {@code rate}. */
    public static float[] mono(Path file, int rate, String... filters) throws IOException, InterruptedException {
        Path raw = Files.createTempFile("latenttv-mono-", ".f32");
        try {
            List<String> args = new ArrayList<>(
                    List.of("-i", file.toString(), "-map", "0:a:0", "-ac", "1", "-ar", Integer.toString(rate)));
            if (filters.length > 0) {
                args.addAll(List.of("-af", String.join(",", filters)));
            }
            args.addAll(List.of("-f", "f32le", raw.toString()));
            TestMedia.ffmpeg().run(args, Duration.ofMinutes(2), null, null);
            byte[] bytes = Files.readAllBytes(raw);
            float[] out = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(out);
            return out;
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    /** The largest sample of any channel of {@code file}'s first audio stream (1 is full scale). */
    public static double peak(Path file) throws IOException, InterruptedException {
        Path raw = Files.createTempFile("latenttv-peak-", ".f32");
        try {
            TestMedia.ffmpeg()
                    .run(
                            List.of("-i", file.toString(), "-map", "0:a:0", "-f", "f32le", raw.toString()),
                            Duration.ofMinutes(2),
                            null,
                            null);
            byte[] bytes = Files.readAllBytes(raw);
            var floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            double peak = 0;
            while (floats.hasRemaining()) {
                peak = Math.max(peak, Math.abs(floats.get()));
            }
            return peak;
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    /** The RMS level of {@code samples[from, to)} in dBFS. */
    public static double db(float[] samples, int from, int to) {
        double sum = 0;
        int n = 0;
        for (int i = Math.max(0, from); i < Math.min(samples.length, to); i++) {
            sum += samples[i] * samples[i];
            n++;
        }
        return n == 0 || sum == 0 ? -200 : 10 * Math.log10(sum / n);
    }

    /** The first sample of {@code samples} whose 10 ms window is above {@code thresholdDb}, or -1. */
    public static int firstAbove(float[] samples, int rate, double thresholdDb) {
        int window = rate / 100;
        for (int i = 0; i + window <= samples.length; i += window / 2) {
            if (db(samples, i, i + window) > thresholdDb) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Where {@code voice} (trimmed of its leading silence) best matches in {@code mix}, in seconds
     * from the mix's start, searching lags from {@code fromSeconds} to {@code toSeconds}: the
     * normalised cross-correlation's peak. Both at {@code rate}.
     */
    public static double offsetOf(float[] voice, float[] mix, int rate, double fromSeconds, double toSeconds) {
        int start = Math.max(0, firstAbove(voice, rate, -45));
        float[] v = java.util.Arrays.copyOfRange(voice, start, Math.min(voice.length, start + rate * 2));
        double vNorm = 0;
        for (float s : v) {
            vNorm += s * s;
        }
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int lag = (int) (fromSeconds * rate); lag <= (int) (toSeconds * rate); lag++) {
            if (lag < 0 || lag + v.length > mix.length) {
                continue;
            }
            double dot = 0;
            double mNorm = 0;
            for (int i = 0; i < v.length; i++) {
                dot += v[i] * mix[lag + i];
                mNorm += mix[lag + i] * mix[lag + i];
            }
            double score = dot / Math.sqrt(vNorm * mNorm + 1e-12);
            if (score > bestScore) {
                bestScore = score;
                best = lag;
            }
        }
        return best < 0 ? Double.NaN : (double) best / rate;
    }
}
