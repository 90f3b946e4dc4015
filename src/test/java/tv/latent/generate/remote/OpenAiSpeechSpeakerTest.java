package tv.latent.generate.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tv.latent.backend.speech.FakeSpeechServer;
import tv.latent.backend.speech.FakeSpeechServer.Fault;
import tv.latent.generate.Speaker;
import tv.latent.generate.SpeakerContract;
import tv.latent.generate.StageException;
import tv.latent.generate.StageOutput;
import tv.latent.media.MediaInfo;

/**
 * An OpenAI-compatible speech server (OpenAI, Kokoro-FastAPI) as a narrator's voice: the contract,
 * the wire request, the key, raw PCM, and every way a server's answer is refused with its reason.
 */
class OpenAiSpeechSpeakerTest extends SpeakerContract {
    private static final String KEY = "sk-test-speech-key-4711";

    private FakeSpeechServer server;

    @Override
    protected Speaker newSpeaker() throws Exception {
        server = FakeSpeechServer.start().requireKey(KEY);
        return speaker("wav", 0, 32L << 20);
    }

    private Speaker speaker(String format, int sampleRate, long maxBytes) {
        return RemoteStages.openAiSpeech(
                new RemoteStages.Speech(
                        "kokoro",
                        List.of(server.openAiBase()),
                        KEY,
                        sampleRate,
                        Duration.ofSeconds(20),
                        maxBytes,
                        RemoteFixtures.FAST),
                RemoteFixtures.FFMPEG,
                "kokoro",
                "af_sky",
                1.0,
                format,
                null);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void sendsTheLineModelVoiceAndFormatWithTheKey() throws Exception {
        StageOutput out = speak("Meet the red fox.", 48000);

        var request = server.requests.getLast();
        assertThat(request.path("input").asText()).isEqualTo("Meet the red fox.");
        assertThat(request.path("model").asText()).isEqualTo("kokoro");
        assertThat(request.path("voice").asText()).isEqualTo("af_sky");
        assertThat(request.path("response_format").asText()).isEqualTo("wav");
        assertThat(request.path("speed").asDouble()).isEqualTo(1.0);
        assertThat(server.authorizations.getLast()).isEqualTo("Bearer " + KEY);
        assertThat(out.backend()).isEqualTo("kokoro");
        assertThat(out.params()).containsEntry("model", "kokoro").containsEntry("sourceRate", "22050");
    }

    @Test
    void readsMp3AndHeaderlessPcmAnswers() throws Exception {
        for (String format : new String[] {"mp3", "pcm"}) {
            StageOutput out = speaker(format, 0, 32L << 20)
                    .speak(
                            new Speaker.SpeakRequest("Meet the red fox.", "en", 48000, 1),
                            new tv.latent.generate.StageContext(
                                    work, tv.latent.generate.StageContext.ProgressSink.NONE));
            MediaInfo.Audio audio =
                    RemoteFixtures.FFMPEG.probe(out.file()).audio().orElseThrow();
            assertThat(audio.sampleRate()).as(format).isEqualTo(48000);
            assertThat(audio.durationSeconds()).as(format).isBetween(0.6, 2.5);
        }
    }

    @Test
    void silenceIsRefusedWithTheReason() {
        server.fault(Fault.SILENCE);

        assertRefused(speaker("wav", 0, 32L << 20), "silence");
    }

    @Test
    void garbageIsRefusedAsNotAudio() {
        server.fault(Fault.GARBAGE);

        assertRefused(speaker("wav", 0, 32L << 20), "not audio");
    }

    @Test
    void aJsonErrorAnsweredWithSuccessIsRefusedAsNotAudio() {
        server.fault(Fault.JSON_ERROR);

        assertRefused(speaker("wav", 0, 32L << 20), "not audio");
    }

    @Test
    void audioAtTheWrongSampleRateIsRefused() {
        server.fault(Fault.WRONG_RATE);

        assertRefused(speaker("wav", 0, 32L << 20), "8000 Hz");
        server.fault(Fault.NONE);
        assertRefused(speaker("wav", 24000, 32L << 20), "set to answer at 24000 Hz");
    }

    @Test
    void aBodyThatNeverEndsStopsAtTheLimit() {
        server.fault(Fault.ENDLESS);

        // past a limit is not tried again on the same server: the chain's next backend speaks instead
        assertRefused(speaker("wav", 0, 2L << 20), "larger than", false);
        assertThat(server.endlessBytes.get()).isLessThan(64L << 20);
    }

    @Test
    void aRefusedKeyIsNotRetriedAndNotShown() {
        server.requireKey("another-key");

        assertThatThrownBy(() -> speak("Meet the red fox.", 48000))
                .isInstanceOf(StageException.class)
                .hasMessageContaining("refused the key")
                .hasMessageContaining("Incorrect API key")
                .satisfies(e -> assertThat(((StageException) e).retryable()).isFalse())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
        assertThat(server.requests).hasSize(1);
    }

    @Test
    void aRateLimitCarriesTheServersWait() {
        server.fault(Fault.RATE_LIMITED);

        assertThatThrownBy(() -> speak("Meet the red fox.", 48000))
                .isInstanceOf(StageException.class)
                .satisfies(e -> assertThat(((StageException) e).retryAfter()).contains(Duration.ofSeconds(30)));
    }

    private void assertRefused(Speaker speaker, String reason) {
        assertRefused(speaker, reason, true);
    }

    private void assertRefused(Speaker speaker, String reason, boolean retryable) {
        assertThatThrownBy(() -> speaker.speak(
                        new Speaker.SpeakRequest("Meet the red fox.", "en", 48000, 1),
                        new tv.latent.generate.StageContext(work, tv.latent.generate.StageContext.ProgressSink.NONE)))
                .isInstanceOf(StageException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((StageException) e).retryable()).isEqualTo(retryable));
        assertThat(work).isEmptyDirectory();
    }
}
