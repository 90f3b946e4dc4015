package tv.latent.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.testing.SlowTest;
import tv.latent.testing.TestMedia;
import tv.latent.testing.TestVoices;

/**
 * Listens to narrated masters: the music dips under the voice by the configured dB (sidechain
 * compression keyed by the voice), the voice starts where it was placed and is played faster when
 * asked, and the whole keeps the loudness target, never clips and keeps the clip's length.
 *
 * <p>The music is a 60 Hz tone, below any voice, so a steep low-pass hears only the music and a
 * high-pass only the voice.
 */
@SlowTest
class NarrationMixTest {
    private static final HouseFormat FORMAT = HouseClips.FORMAT;
    private static final int FRAMES = 128; // 5.33 s
    private static final int RATE = 48000;
    private static final double DELAY = 1.5;
    private static final String[] MUSIC_ONLY = {
        "lowpass=f=70:p=2", "lowpass=f=70:p=2", "lowpass=f=70:p=2", "lowpass=f=70:p=2"
    };
    private static final String[] VOICE_ONLY = {"highpass=f=300:p=2", "highpass=f=300:p=2"};

    @TempDir
    Path dir;

    private final Ffmpeg ffmpeg = TestMedia.ffmpeg();
    private final Mastering mastering = new Mastering(ffmpeg);

    private Path video() throws Exception {
        return TestMedia.pattern(dir.resolve("v.mp4"), 256, 144, 144, 24, TestMedia.QUICK_H264);
    }

    private Path music() throws Exception {
        return TestMedia.tone(dir.resolve("music.wav"), 60, RATE, 6, "-af", "volume=0.3", "-ac", "2");
    }

    private Path voice() throws Exception {
        Path file = dir.resolve("voice.wav");
        Files.write(file, TestVoices.espeak("Meet the red fox, here by the misty river."));
        return file;
    }

    private Mastering.Mastered master(String name, double tempo, double duckingDb) throws Exception {
        Path voice = voice();
        double seconds = ffmpeg.probe(voice).audio().orElseThrow().durationSeconds();
        return mastering.master(
                new Mastering.Source(
                        video(),
                        "",
                        music(),
                        Double.NaN,
                        new Mastering.Voice(
                                voice, mastering.measureLoudness(voice), DELAY, tempo, duckingDb, seconds / tempo)),
                FORMAT,
                FRAMES,
                dir.resolve(name),
                "narrated",
                "test",
                p -> {});
    }

    @Test
    void theMusicDipsUnderTheVoiceByTheConfiguredDucking() throws Exception {
        for (double ducking : new double[] {12, 6}) {
            Mastering.Mastered m = master("duck-" + ducking, 1, ducking);
            Measured heard = listen(m.video(), voice(), 1);

            assertThat(heard.musicOpenDb() - heard.musicUnderVoiceDb())
                    .as("dB the music dips under the voice, configured %.0f", ducking)
                    .isCloseTo(ducking, offset(1.5));
        }
    }

    @Test
    void withoutDuckingTheMusicStaysLevel() throws Exception {
        Measured heard = listen(master("level", 1, 0).video(), voice(), 1);

        assertThat(heard.musicOpenDb() - heard.musicUnderVoiceDb()).isCloseTo(0, offset(1.0));
    }

    @Test
    void theVoiceStartsWhereItWasPlacedAndTheMixKeepsLengthLoudnessAndHeadroom() throws Exception {
        Mastering.Mastered m = master("placed", 1, 12);

        assertThat(HouseFormatCheck.problems(m.info(), FORMAT, FRAMES)).isEmpty();
        assertThat(m.loudnessLufs()).isCloseTo(FORMAT.loudnessLufs(), offset(1.5));
        assertThat(TestVoices.mono(m.video(), RATE).length)
                .isCloseTo((int) FORMAT.samplesFor(FRAMES), offset(RATE / 100));
        assertThat(TestVoices.peak(m.video()))
                .as("peak sample of either channel")
                .isLessThan(0.98);
        float[] voiceHeard = TestVoices.mono(m.video(), 8000, VOICE_ONLY);
        float[] voiceSaid = TestVoices.mono(voice(), 8000, VOICE_ONLY);
        assertThat(TestVoices.offsetOf(voiceSaid, voiceHeard, 8000, 0, 4)).isCloseTo(DELAY, offset(0.02));
    }

    @Test
    void aVoicePlayedFasterEndsSooner() throws Exception {
        double seconds = lastAbove(TestVoices.mono(voice(), 8000, VOICE_ONLY));
        float[] normal = TestVoices.mono(master("normal", 1, 12).video(), 8000, VOICE_ONLY);
        float[] faster = TestVoices.mono(master("faster", 1.25, 12).video(), 8000, VOICE_ONLY);

        assertThat(lastAbove(normal) - DELAY).isCloseTo(seconds, offset(0.1));
        assertThat(lastAbove(faster) - DELAY).isCloseTo(seconds / 1.25, offset(0.1));
    }

    /** The music's level where the voice speaks and where it is silent, in dB. */
    record Measured(double musicUnderVoiceDb, double musicOpenDb) {}

    private Measured listen(Path master, Path voice, double tempo) throws Exception {
        float[] music = TestVoices.mono(master, RATE, MUSIC_ONLY);
        float[] said = TestVoices.mono(voice, RATE, "atempo=" + tempo);
        int window = RATE / 20;
        List<Double> under = new ArrayList<>();
        List<Double> open = new ArrayList<>();
        int voiceStart = (int) (DELAY * RATE);
        int voiceEnd = voiceStart + said.length;
        for (int at = 0; at + window <= music.length; at += window) {
            double level = TestVoices.db(music, at, at + window);
            int inVoice = at - voiceStart;
            boolean speaking = inVoice >= window
                    && inVoice + window <= said.length
                    && TestVoices.db(said, inVoice - window, inVoice + window) > -40;
            if (speaking) {
                under.add(level);
            } else if ((at + window < voiceStart - RATE / 5 && at > RATE / 2) || at > voiceEnd + RATE) {
                open.add(level);
            }
        }
        assertThat(under).as("windows under the voice").hasSizeGreaterThan(10);
        assertThat(open).as("windows without it").hasSizeGreaterThan(5);
        return new Measured(median(under), median(open));
    }

    private static double lastAbove(float[] samples) {
        int window = 80; // 10 ms at 8 kHz
        int last = -1;
        for (int i = 0; i + window <= samples.length; i += window) {
            if (TestVoices.db(samples, i, i + window) > -40) {
                last = i + window;
            }
        }
        return last / 8000.0;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }
}
