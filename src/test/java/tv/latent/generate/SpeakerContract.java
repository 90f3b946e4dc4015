package tv.latent.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.generate.Speaker.SpeakRequest;
import tv.latent.media.Mastering;
import tv.latent.media.MediaInfo;
import tv.latent.testing.TestVoices;

/**
 * What every {@link Speaker} must do: real speech, mono at the asked sample rate, starting with
 * the voice, about as long as the line takes to say, written only in the work directory; and an
 * empty or overlong line fails the stage, not retryably, before any work.
 */
public abstract class SpeakerContract {
    protected static final String LINE = "Meet the red fox, here by the misty river.";

    @TempDir
    protected Path root;

    protected Path work;
    protected Speaker speaker;

    protected abstract Speaker newSpeaker() throws Exception;

    @BeforeEach
    void setUpWorkDir() throws Exception {
        work = Files.createDirectory(root.resolve("work"));
        speaker = newSpeaker();
    }

    @AfterEach
    void closeSpeaker() throws Exception {
        speaker.close();
    }

    protected StageOutput speak(String text, int sampleRate) throws Exception {
        return speaker.speak(
                new SpeakRequest(text, "en", sampleRate, 7), new StageContext(work, StageContext.ProgressSink.NONE));
    }

    @Test
    void speaksTheLineAsMonoAudioAtTheAskedRate() throws Exception {
        for (int rate : new int[] {48000, 44100}) {
            StageOutput out = speak(LINE, rate);

            assertThat(out.file()).exists().hasParent(work);
            assertThat(out.backend()).isNotBlank();
            MediaInfo.Audio audio =
                    StageFixtures.FFMPEG.probe(out.file()).audio().orElseThrow();
            assertThat(audio.channels()).isEqualTo(1);
            assertThat(audio.sampleRate()).isEqualTo(rate);
            assertThat(audio.codec()).isEqualTo("pcm_s16le");
            // nine words: espeak-ng says them in about 2.4 s, a neural voice in 2 to 4
            assertThat(audio.durationSeconds()).isBetween(1.2, 5.0);
            assertThat(new Mastering(StageFixtures.FFMPEG).measureLoudness(out.file()))
                    .as("a voice, not silence")
                    .isGreaterThan(-40);
        }
    }

    @Test
    void theVoiceStartsAtOnceAndALongerLineLastsLonger() throws Exception {
        StageOutput shortLine = speak("Meet the red fox.", 48000);
        StageOutput longLine = speak(LINE + " It has waited all winter for this one bright morning.", 48000);

        float[] samples = TestVoices.mono(shortLine.file(), 48000);
        assertThat(TestVoices.firstAbove(samples, 48000, -45) / 48000.0)
                .as("seconds of silence before the voice")
                .isLessThan(0.06);
        assertThat(seconds(longLine)).isGreaterThan(seconds(shortLine) + 1.5);
    }

    @Test
    void anEmptyLineFailsBeforeAnyWork() {
        for (String empty : new String[] {"", "   ", "...!?"}) {
            assertThatThrownBy(() -> speak(empty, 48000))
                    .isInstanceOf(StageException.class)
                    .hasMessageContaining("empty")
                    .satisfies(e -> assertThat(((StageException) e).retryable()).isFalse());
        }
        assertThat(work).isEmptyDirectory();
    }

    @Test
    void anOverlongLineFailsBeforeAnyWork() {
        String overlong = "The red fox waits. ".repeat(60);

        assertThatThrownBy(() -> speak(overlong, 48000))
                .isInstanceOf(StageException.class)
                .hasMessageContaining("characters")
                .satisfies(e -> assertThat(((StageException) e).retryable()).isFalse());
        assertThat(work).isEmptyDirectory();
    }

    @Test
    void writesOnlyItsOutputInsideTheWorkDirectory() throws Exception {
        Set<String> before = StageFixtures.filesOutside(root, work);
        StageOutput out = speak("A bear <b>fishing</b> & waiting --> for salmon.", 48000);

        assertThat(StageFixtures.filesOutside(root, work)).isEqualTo(before);
        assertThat(StageFixtures.names(work))
                .containsExactly(out.file().getFileName().toString());
    }

    private static double seconds(StageOutput out) throws Exception {
        return StageFixtures.FFMPEG.probe(out.file()).audio().orElseThrow().durationSeconds();
    }
}
