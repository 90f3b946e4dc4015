package tv.latent.generate.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tv.latent.generate.Speaker;
import tv.latent.generate.SpeakerContract;
import tv.latent.generate.StageFixtures;
import tv.latent.generate.StageOutput;

class EspeakSpeakerTest extends SpeakerContract {
    @Override
    protected Speaker newSpeaker() {
        return EspeakSpeaker.locate(StageFixtures.FFMPEG, null, 160, 50, Duration.ofSeconds(30));
    }

    @Test
    void saysWhichVoiceRateAndPitchSpoke() throws Exception {
        StageOutput out = speak("Meet the red fox.", 48000);

        assertThat(out.backend()).isEqualTo("espeak-ng");
        assertThat(out.params())
                .containsEntry("voice", "en-us")
                .containsEntry("rate", "160")
                .containsEntry("pitch", "50")
                .containsKey("seconds");
    }

    @Test
    void theSameLineSpeaksTheSameBytes() throws Exception {
        StageOutput first = speak("Meet the red fox.", 48000);
        StageOutput second = speak("Meet the red fox.", 48000);

        assertThat(Files.readAllBytes(first.file())).isEqualTo(Files.readAllBytes(second.file()));
    }

    @Test
    void aFasterRateSpeaksTheSameLineInLessTime() throws Exception {
        Speaker fast = EspeakSpeaker.locate(StageFixtures.FFMPEG, null, 300, 50, Duration.ofSeconds(30));
        StageOutput slow = speak(LINE, 48000);
        StageOutput quick = fast.speak(
                new Speaker.SpeakRequest(LINE, "en", 48000, 7),
                new tv.latent.generate.StageContext(work, tv.latent.generate.StageContext.ProgressSink.NONE));

        assertThat(seconds(quick)).isLessThan(seconds(slow) * 0.7);
    }

    @Test
    void theLanguagePicksTheVoiceUnlessOneIsSet() {
        assertThat(EspeakSpeaker.voiceFor("en")).isEqualTo("en-us");
        assertThat(EspeakSpeaker.voiceFor("fr-FR")).isEqualTo("fr-fr");
        assertThat(EspeakSpeaker.voiceFor("de")).isEqualTo("de");
    }

    @Test
    void aVoiceEspeakDoesNotHaveStopsTheStartWithItsName() {
        assertThatThrownBy(() -> EspeakSpeaker.locate(StageFixtures.FFMPEG, "xx-nope", 160, 50, Duration.ofSeconds(30)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("xx-nope");
    }

    private static double seconds(StageOutput out) throws Exception {
        return StageFixtures.FFMPEG.probe(out.file()).audio().orElseThrow().durationSeconds();
    }
}
