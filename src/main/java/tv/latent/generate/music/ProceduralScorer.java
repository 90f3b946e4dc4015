package tv.latent.generate.music;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import tv.latent.generate.Intermediate;
import tv.latent.generate.Scorer;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.generate.StageOutput;
import tv.latent.generate.internal.EngineRandom;
import tv.latent.generate.internal.Trig;
import tv.latent.generate.music.MusicPlan.Hit;
import tv.latent.generate.music.MusicPlan.Instrument;
import tv.latent.generate.music.MusicPlan.Note;

/**
 * The embedded scorer: composes a {@link MusicPlan} from the music prompt's mood words and the
 * seed, and plays it with instruments synthesised here: a pad of detuned, low-passed saws, a
 * Karplus-Strong plucked lead, an FM bell, a bass and noise drums, with a ping-pong delay on the
 * lead, a small Schroeder reverb, fades, and peak normalisation below full scale. Writes
 * 48 kHz stereo 16-bit PCM WAV, the same bytes for the same prompt, length and seed.
 *
 * <p>Its outputs say "procedural"; it needs no ffmpeg, no network and no model.
 *
 * <pre>{@code
 * Scorer scorer = new ProceduralScorer();
 * }</pre>
 *
 * <p>Thread-safe: each call has its own buffers; holds nothing that needs closing.
 */
public final class ProceduralScorer implements Scorer {
    static final String BACKEND = "procedural";
    static final int RATE = 48_000;
    private static final double PEAK = 0.89; // -1 dBFS

    /** A scorer; it needs nothing. */
    public ProceduralScorer() {}

    @Override
    public StageOutput score(ScoreRequest request, StageContext context) throws IOException {
        Intermediate.require(
                request.seconds() > 0 && request.seconds() <= 600,
                "seconds must be above 0 and at most 600, got " + request.seconds());
        MusicPlan plan = MusicPlan.compose(request.musicPrompt(), request.seconds(), request.seed());
        int samples = (int) Math.ceil(request.seconds() * RATE);
        float[][] stereo = play(plan, samples, request.seed());
        context.progress().report(0.9, "mixed " + plan.key() + " at " + plan.tempo() + " bpm");
        Path target = context.newFile("score", "wav");
        Path part = Intermediate.partFor(target);
        try {
            writeWav(part, stereo);
            Intermediate.publish(part, target);
        } catch (IOException e) {
            Intermediate.discard(part);
            throw new StageException("writing the score failed: " + e.getMessage(), true, e);
        }
        context.progress().report(1, "scored");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("mood", plan.mood());
        params.put("tempo", Integer.toString(plan.tempo()));
        params.put("key", plan.key());
        params.put("scale", plan.scaleName());
        params.put("instruments", plan.instrumentList());
        params.put(
                "progression",
                plan.degrees().stream().map(d -> Integer.toString(d + 1)).collect(Collectors.joining("-")));
        params.put("seed", Long.toString(request.seed()));
        params.put("seconds", String.format(Locale.ROOT, "%.3f", (double) samples / RATE));
        return new StageOutput(target, BACKEND, params);
    }

    // ------------------------------------------------------------------ synthesis

    static float[][] play(MusicPlan plan, int samples, long seed) {
        float[] left = new float[samples];
        float[] right = new float[samples];
        float[] leadL = new float[samples];
        float[] leadR = new float[samples];
        EngineRandom noise = new EngineRandom(seed ^ 0x4E4F495345L);
        if (plan.instruments().contains(Instrument.PAD)) {
            pad(plan, left, right);
        }
        if (plan.instruments().contains(Instrument.BASS)) {
            for (Note n : plan.bass()) {
                bass(n, left, right);
            }
        }
        boolean pluck = plan.instruments().contains(Instrument.PLUCK);
        boolean bell = plan.instruments().contains(Instrument.BELL);
        int i = 0;
        for (Note n : plan.melody()) {
            // alternate the lead between pluck and bell when both play, like two hands
            boolean usePluck = pluck && (!bell || i % 4 < 2);
            if (usePluck) {
                pluck(n, leadL, leadR, noise, 0.42f, 0.58f);
            } else {
                bell(n, leadL, leadR, 0.58f, 0.42f);
            }
            i++;
        }
        if (plan.instruments().contains(Instrument.DRUMS)) {
            for (Hit hit : plan.drums()) {
                drum(hit, left, right, noise);
            }
        }
        double beat = 60.0 / plan.tempo();
        pingPong(leadL, leadR, (int) (beat * 0.75 * RATE), 0.32f, 0.3f);
        for (int k = 0; k < samples; k++) {
            left[k] += leadL[k];
            right[k] += leadR[k];
        }
        reverb(left, right, (float) plan.reverb());
        fadesAndNormalise(left, right, plan.mood().equals("calm") ? 0.4 : 0.05);
        return new float[][] {left, right};
    }

    private static double frequency(int midi) {
        return 440 * StrictMath.pow(2, (midi - 69) / 12.0);
    }

    private static int at(double seconds) {
        return (int) Math.round(seconds * RATE);
    }

    /** Band-limited-enough saw: naive ramp with a polyBLEP correction at the wrap. */
    private static float saw(double phase, double inc) {
        double v = 2 * phase - 1;
        if (phase < inc) {
            double t = phase / inc;
            v -= t + t - t * t - 1;
        } else if (phase > 1 - inc) {
            double t = (phase - 1) / inc;
            v -= t * t + t + t + 1;
        }
        return (float) v;
    }

    private static void pad(MusicPlan plan, float[] left, float[] right) {
        int n = left.length;
        double slot = plan.slotSeconds();
        double attack = plan.padAttack();
        double release = Math.min(0.6, slot * 0.4);
        double cutoff = 500 + 2500 * plan.brightness();
        float g = (float) (1 - StrictMath.exp(-2 * Math.PI * cutoff / RATE));
        for (int c = 0; c < plan.chords().size(); c++) {
            int[] chord = plan.chords().get(c);
            int start = at(c * slot);
            int end = Math.min(n, at((c + 1) * slot + release));
            if (start >= n) {
                break;
            }
            float level = 0.09f / (float) Math.sqrt(chord.length);
            for (int v = 0; v < chord.length; v++) {
                double f = frequency(chord[v]);
                double[] inc = {
                    f * StrictMath.pow(2, -7 / 1200.0) / RATE,
                    f * StrictMath.pow(2, 5 / 1200.0) / RATE,
                    f * StrictMath.pow(2, -4 / 1200.0) / RATE,
                    f * StrictMath.pow(2, 8 / 1200.0) / RATE
                };
                double[] phase = {0.1 * v, 0.37 + 0.1 * v, 0.71, 0.53};
                float l1 = 0;
                float l2 = 0;
                float r1 = 0;
                float r2 = 0;
                for (int k = start; k < end; k++) {
                    double t = (double) (k - start) / RATE;
                    double held = (double) (k - start) / RATE - slot;
                    float env = (float) (Math.min(1, t / attack) * (held > 0 ? Math.max(0, 1 - held / release) : 1));
                    float sl = saw(phase[0], inc[0]) + saw(phase[1], inc[1]);
                    float sr = saw(phase[2], inc[2]) + saw(phase[3], inc[3]);
                    for (int o = 0; o < 4; o++) {
                        phase[o] += inc[o];
                        if (phase[o] >= 1) {
                            phase[o] -= 1;
                        }
                    }
                    l1 += g * (sl - l1);
                    l2 += g * (l1 - l2);
                    r1 += g * (sr - r1);
                    r2 += g * (r1 - r2);
                    left[k] += l2 * env * level;
                    right[k] += r2 * env * level;
                }
            }
        }
    }

    private static void bass(Note note, float[] left, float[] right) {
        int start = at(note.start());
        int end = Math.min(left.length, at(note.start() + note.length() + 0.08));
        double inc = frequency(note.midi()) / RATE;
        double phase = 0;
        float lp = 0;
        for (int k = Math.max(0, start); k < end; k++) {
            double t = (double) (k - start) / RATE;
            double rel = t - note.length();
            float env = (float) (Math.min(1, t / 0.008)
                    * (rel > 0 ? Math.max(0, 1 - rel / 0.08) : 1)
                    * (0.7 + 0.3 * StrictMath.exp(-t * 6)));
            float s = Trig.sin(2 * Math.PI * phase) + 0.3f * saw(phase, inc);
            lp += 0.12f * (s - lp);
            float v = lp * env * 0.22f * note.velocity();
            left[k] += v;
            right[k] += v;
            phase += inc;
            if (phase >= 1) {
                phase -= 1;
            }
        }
    }

    /** Karplus-Strong: a noise burst circulating in a delay line one period long, averaged each pass. */
    private static void pluck(Note note, float[] left, float[] right, EngineRandom noise, float panL, float panR) {
        int start = at(note.start());
        if (start >= left.length) {
            return;
        }
        int end = Math.min(left.length, at(note.start() + note.length() + 0.6));
        double period = RATE / frequency(note.midi());
        int size = Math.max(2, (int) period);
        float[] line = new float[size];
        for (int k = 0; k < size; k++) {
            line[k] = (float) (noise.next() * 2 - 1);
        }
        int pos = 0;
        float decay = 0.996f;
        float level = 0.2f * note.velocity();
        double releaseAt = note.length() + 0.05;
        for (int k = start; k < end; k++) {
            int next = pos + 1 == size ? 0 : pos + 1;
            float out = line[pos];
            line[pos] = decay * 0.5f * (line[pos] + line[next]);
            pos = next;
            double t = (double) (k - start) / RATE;
            float env = t > releaseAt ? (float) Math.max(0, 1 - (t - releaseAt) / 0.5) : 1f;
            left[k] += out * level * env * panL;
            right[k] += out * level * env * panR;
        }
    }

    /** Two-operator FM: a sine modulated at 3.5× its frequency, the index falling as the note rings. */
    private static void bell(Note note, float[] left, float[] right, float panL, float panR) {
        int start = at(note.start());
        if (start >= left.length) {
            return;
        }
        int end = Math.min(left.length, at(note.start() + note.length() + 1.2));
        double f = frequency(note.midi());
        double carrier = 0;
        double modulator = 0;
        double cInc = f / RATE;
        double mInc = f * 3.5 / RATE;
        float amp = 0.16f * note.velocity();
        float decay = (float) StrictMath.exp(-2.2 / RATE);
        float indexDecay = (float) StrictMath.exp(-6.0 / RATE);
        float env = 1;
        float index = 2.2f;
        for (int k = start; k < end; k++) {
            double t = (double) (k - start) / RATE;
            float attack = (float) Math.min(1, t / 0.004);
            float s = Trig.sin(2 * Math.PI * carrier + index * Trig.sin(2 * Math.PI * modulator));
            float v = s * env * attack * amp;
            left[k] += v * panL;
            right[k] += v * panR;
            carrier += cInc;
            modulator += mInc;
            if (carrier >= 1) {
                carrier -= 1;
            }
            if (modulator >= 1) {
                modulator -= 1;
            }
            env *= decay;
            index *= indexDecay;
        }
    }

    private static void drum(Hit hit, float[] left, float[] right, EngineRandom noise) {
        int start = at(hit.time());
        if (start < 0 || start >= left.length) {
            return;
        }
        float v = hit.velocity();
        switch (hit.drum()) {
            case KICK -> {
                int end = Math.min(left.length, start + at(0.35));
                double phase = 0;
                for (int k = start; k < end; k++) {
                    double t = (double) (k - start) / RATE;
                    double f = 45 + 85 * StrictMath.exp(-t * 30);
                    phase += f / RATE;
                    float s = Trig.sin(2 * Math.PI * phase) * (float) StrictMath.exp(-t * 9) * 0.5f * v;
                    left[k] += s;
                    right[k] += s;
                }
            }
            case SNARE -> {
                int end = Math.min(left.length, start + at(0.2));
                float lp = 0;
                double phase = 0;
                for (int k = start; k < end; k++) {
                    double t = (double) (k - start) / RATE;
                    float n = (float) (noise.next() * 2 - 1);
                    lp += 0.3f * (n - lp);
                    phase += 185.0 / RATE;
                    float body = Trig.sin(2 * Math.PI * phase) * (float) StrictMath.exp(-t * 30);
                    float s = ((n - lp * 0.5f) * (float) StrictMath.exp(-t * 22) * 0.6f + body * 0.4f) * 0.22f * v;
                    left[k] += s * 0.95f;
                    right[k] += s;
                }
            }
            case HAT -> {
                int end = Math.min(left.length, start + at(0.05));
                float lp = 0;
                for (int k = start; k < end; k++) {
                    double t = (double) (k - start) / RATE;
                    float n = (float) (noise.next() * 2 - 1);
                    lp += 0.5f * (n - lp);
                    float s = (n - lp) * (float) StrictMath.exp(-t * 90) * 0.1f * v;
                    left[k] += s * 0.7f;
                    right[k] += s;
                }
            }
        }
    }

    private static void pingPong(float[] left, float[] right, int delay, float feedback, float mix) {
        if (delay <= 0) {
            return;
        }
        float[] dl = new float[delay];
        float[] dr = new float[delay];
        int pos = 0;
        for (int k = 0; k < left.length; k++) {
            float outL = dl[pos];
            float outR = dr[pos];
            dl[pos] = right[k] * 0.5f + outR * feedback;
            dr[pos] = left[k] * 0.5f + outL * feedback;
            left[k] += outL * mix;
            right[k] += outR * mix;
            pos = pos + 1 == delay ? 0 : pos + 1;
        }
    }

    /** Schroeder reverb: four damped combs in parallel, two allpasses in series, per channel. */
    private static void reverb(float[] left, float[] right, float wet) {
        int[] combs = {1557, 1617, 1491, 1422};
        int[] allpasses = {225, 556};
        float[] wl = reverbChannel(left, combs, allpasses, 0);
        float[] wr = reverbChannel(right, combs, allpasses, 23);
        for (int k = 0; k < left.length; k++) {
            left[k] = left[k] * (1 - wet * 0.5f) + wl[k] * wet;
            right[k] = right[k] * (1 - wet * 0.5f) + wr[k] * wet;
        }
    }

    private static float[] reverbChannel(float[] in, int[] combs, int[] allpasses, int spread) {
        int n = in.length;
        float[] out = new float[n];
        float scale = 48f / 44.1f;
        for (int c : combs) {
            int size = (int) ((c + spread) * scale);
            float[] line = new float[size];
            int pos = 0;
            float damp = 0;
            for (int k = 0; k < n; k++) {
                float y = line[pos];
                damp = y * 0.7f + damp * 0.3f;
                line[pos] = in[k] * 0.015f + damp * 0.84f;
                out[k] += y;
                pos = pos + 1 == size ? 0 : pos + 1;
            }
        }
        for (int a : allpasses) {
            int size = (int) ((a + spread) * scale);
            float[] line = new float[size];
            int pos = 0;
            for (int k = 0; k < n; k++) {
                float buffered = line[pos];
                float x = out[k];
                line[pos] = x + buffered * 0.5f;
                out[k] = buffered - x;
                pos = pos + 1 == size ? 0 : pos + 1;
            }
        }
        return out;
    }

    private static void fadesAndNormalise(float[] left, float[] right, double fadeIn) {
        int n = left.length;
        int in = Math.min(n / 4, at(fadeIn));
        int out = Math.min(n / 3, at(Math.max(0.3, Math.min(1.5, n / (double) RATE * 0.12))));
        float peak = 1e-9f;
        for (int k = 0; k < n; k++) {
            float g = 1;
            if (k < in) {
                g = (float) k / in;
            }
            if (k >= n - out) {
                float t = (float) (n - k) / out;
                g *= t * t;
            }
            left[k] *= g;
            right[k] *= g;
            peak = Math.max(peak, Math.max(Math.abs(left[k]), Math.abs(right[k])));
        }
        float gain = (float) (PEAK / peak);
        for (int k = 0; k < n; k++) {
            left[k] *= gain;
            right[k] *= gain;
        }
    }

    // ------------------------------------------------------------------ WAV

    static void writeWav(Path file, float[][] stereo) throws IOException {
        int frames = stereo[0].length;
        int dataBytes = frames * 4;
        ByteBuffer buf = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
        buf.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        buf.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 2)
                .putInt(RATE)
                .putInt(RATE * 4)
                .putShort((short) 4)
                .putShort((short) 16);
        buf.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(dataBytes);
        for (int k = 0; k < frames; k++) {
            buf.putShort(pcm(stereo[0][k]));
            buf.putShort(pcm(stereo[1][k]));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(buf.array());
        }
    }

    private static short pcm(float v) {
        int s = Math.round(v * 32767f);
        return (short) Math.max(-32767, Math.min(32767, s));
    }
}
