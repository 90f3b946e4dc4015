package tv.latent.generate.music;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tv.latent.generate.Scorer;
import tv.latent.generate.ScorerContract;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageFixtures;
import tv.latent.generate.StageOutput;

class ProceduralScorerTest extends ScorerContract {
    @Override
    protected Scorer newScorer() {
        return new ProceduralScorer();
    }

    @Override
    protected boolean deterministic() {
        return true;
    }

    short[] samples(StageOutput out) throws Exception {
        Path scratch = Files.createDirectories(root.resolve("scratch"));
        return StageFixtures.samples(out.file(), scratch);
    }

    @Test
    void calmMoodScoresSlowerThanEnergetic() throws Exception {
        int calm = Integer.parseInt(score("calm ambient soundscape", 1).params().get("tempo"));
        int energetic = Integer.parseInt(
                score("upbeat energetic dance track", 1).params().get("tempo"));
        int epic =
                Integer.parseInt(score("epic cinematic adventure", 1).params().get("tempo"));

        assertThat(calm).isBetween(70, 85);
        assertThat(energetic).isBetween(120, 140);
        assertThat(epic).isBetween(90, 110);
    }

    @Test
    void sadMoodIsMinorHappyIsMajorMysteriousIsModal() throws Exception {
        assertThat(score("sad melancholic strings", 3).params().get("scale")).startsWith("minor");
        assertThat(score("happy bright sunny tune", 3).params().get("scale")).startsWith("major");
        assertThat(score("mysterious eerie night", 3).params().get("scale")).isIn("phrygian", "dorian");
        assertThat(score("lofi jazz beats", 3).params()).containsEntry("scale", "dorian");
    }

    @Test
    void saysWhatItPlayed() throws Exception {
        StageOutput out = score("upbeat electronic", 4);

        assertThat(out.backend()).isEqualTo("procedural");
        assertThat(out.params()).containsKeys("tempo", "key", "scale", "instruments");
        assertThat(out.params().get("instruments")).contains("drums", "pluck", "bass");
        assertThat(score("calm ambient", 4).params().get("instruments")).doesNotContain("drums");
    }

    @Test
    void musicIsNotASingleTone() throws Exception {
        short[] s = samples(score("happy bright piano melody", 21));
        int window = 4096;
        Set<Integer> dominant = new HashSet<>();
        Set<Integer> crossings = new HashSet<>();
        for (int start = 0; start + window * 2 <= s.length; start += window * 2) {
            double[] mono = new double[window];
            for (int i = 0; i < window; i++) {
                mono[i] = s[start + 2 * i] + s[start + 2 * i + 1];
            }
            dominant.add(dominantBin(mono));
            int zc = 0;
            for (int i = 1; i < window; i++) {
                if ((mono[i - 1] < 0) != (mono[i] < 0)) {
                    zc++;
                }
            }
            crossings.add(zc / 8);
        }
        assertThat(dominant).as("dominant frequencies over windows").hasSizeGreaterThanOrEqualTo(3);
        assertThat(crossings).as("zero-crossing rates over windows").hasSizeGreaterThanOrEqualTo(3);
    }

    /** Strongest DFT bin between 60 Hz and 2 kHz of a Hann-windowed block, at 48 kHz. */
    private static int dominantBin(double[] x) {
        int n = x.length;
        int best = 0;
        double bestPower = -1;
        for (int k = n * 60 / 48000; k <= n * 2000 / 48000; k++) {
            double re = 0;
            double im = 0;
            for (int i = 0; i < n; i++) {
                double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
                double a = 2 * Math.PI * k * i / n;
                re += x[i] * w * Math.cos(a);
                im -= x[i] * w * Math.sin(a);
            }
            double p = re * re + im * im;
            if (p > bestPower) {
                bestPower = p;
                best = k;
            }
        }
        return best;
    }

    @Test
    void peakNeverClipsAndIsNotSilent() throws Exception {
        for (String prompt :
                new String[] {"upbeat energetic techno", "epic heroic battle", "calm ambient", "lofi chill"}) {
            short[] s = samples(score(prompt, 5));
            int peak = 0;
            boolean stereo = false;
            for (int i = 0; i < s.length; i += 2) {
                peak = Math.max(peak, Math.max(Math.abs(s[i]), Math.abs(s[i + 1])));
                stereo |= s[i] != s[i + 1];
            }
            assertThat(peak).as(prompt).isLessThan(32767).isGreaterThan(8000);
            assertThat(stereo).as(prompt + " is stereo").isTrue();
        }
    }

    @Test
    void differentSeedsWriteDifferentMusic() throws Exception {
        byte[] a = Files.readAllBytes(score("happy folk tune", 1).file());
        byte[] b = Files.readAllBytes(score("happy folk tune", 2).file());

        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void writesAtLeastTheAskedSecondsForOddLengths() throws Exception {
        StageOutput out = scorer.score(
                new Scorer.ScoreRequest("calm", 2.6667, 1), new StageContext(work, StageContext.ProgressSink.NONE));

        long dataBytes = Files.size(out.file()) - 44;
        assertThat(dataBytes / 4.0 / ProceduralScorer.RATE).isGreaterThanOrEqualTo(2.6667);
    }

    @Test
    void scoresThreeSecondsAsStereo16BitPcmAt48kHzAtAFullLevel() throws Exception {
        StageOutput out = score("upbeat energetic dance track with drums", 8);

        ByteBuffer wav = ByteBuffer.wrap(Files.readAllBytes(out.file())).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(ascii(wav, 0)).isEqualTo("RIFF");
        assertThat(ascii(wav, 8)).isEqualTo("WAVE");
        assertThat(ascii(wav, 12)).isEqualTo("fmt ");
        assertThat(wav.getShort(20)).as("PCM").isEqualTo((short) 1);
        assertThat(wav.getShort(22)).as("channels").isEqualTo((short) 2);
        assertThat(wav.getInt(24)).as("sample rate").isEqualTo(48_000);
        assertThat(wav.getShort(34)).as("bits per sample").isEqualTo((short) 16);
        assertThat(ascii(wav, 36)).isEqualTo("data");
        assertThat(wav.getInt(40)).as("data bytes: 3 s of stereo 16-bit").isEqualTo(3 * 48_000 * 4);
        assertThat(wav.capacity()).isEqualTo(44 + 3 * 48_000 * 4);
        assertThat(out.params()).containsEntry("seconds", "3.000");
        int peak = 0;
        for (int i = 44; i < wav.capacity(); i += 2) {
            peak = Math.max(peak, Math.abs(wav.getShort(i)));
        }
        // normalised to about -1 dBFS: loud, never clipped
        assertThat(peak).isBetween(28_000, 32_000);
    }

    private static String ascii(ByteBuffer buffer, int offset) {
        byte[] four = new byte[4];
        buffer.get(offset, four);
        return new String(four, StandardCharsets.US_ASCII);
    }
}
