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

/** Piper's HTTP server as a narrator's voice: the contract, the wire request, a failing server. */
class PiperSpeakerTest extends SpeakerContract {
    private FakeSpeechServer server;

    @Override
    protected Speaker newSpeaker() throws Exception {
        server = FakeSpeechServer.start();
        return RemoteStages.piper(
                new RemoteStages.Speech(
                        "piper",
                        List.of(server.root()),
                        null,
                        0,
                        Duration.ofSeconds(20),
                        32L << 20,
                        RemoteFixtures.FAST),
                RemoteFixtures.FFMPEG,
                "p326",
                1.1);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void postsTheTextWithSpeakerAndLengthScale() throws Exception {
        StageOutput out = speak("Meet the red fox.", 48000);

        var request = server.requests.getLast();
        assertThat(request.path("text").asText()).isEqualTo("Meet the red fox.");
        assertThat(request.path("speaker").asText()).isEqualTo("p326");
        assertThat(request.path("length_scale").asDouble()).isEqualTo(1.1);
        assertThat(server.authorizations.getLast()).isEqualTo("null");
        assertThat(out.backend()).isEqualTo("piper");
    }

    @Test
    void aFailingServerIsTriedAgainThenFailsRetryably() {
        server.fault(Fault.SERVER_ERROR);

        assertThatThrownBy(() -> speak("Meet the red fox.", 48000))
                .isInstanceOf(StageException.class)
                .hasMessageContaining("model crashed")
                .satisfies(e -> assertThat(((StageException) e).retryable()).isTrue());
        assertThat(server.requests).hasSize(2); // the pool's one retry
    }
}
