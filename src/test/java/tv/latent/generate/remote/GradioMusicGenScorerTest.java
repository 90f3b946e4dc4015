package tv.latent.generate.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.gradio.FakeGradioServer;
import tv.latent.backend.gradio.FakeGradioServer.Fault;
import tv.latent.generate.Scorer;
import tv.latent.generate.Scorer.ScoreRequest;
import tv.latent.generate.ScorerContract;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.generate.StageOutput;
import tv.latent.media.MediaInfo;

/** The scorer contract against a fake hosted MusicGen Space, which always answers about 15 s. */
class GradioMusicGenScorerTest extends ScorerContract {
    @TempDir
    Path scratch;

    FakeGradioServer fake;
    final RemoteFixtures.Spy spy = new RemoteFixtures.Spy();

    @Override
    protected Scorer newScorer() {
        fake = FakeGradioServer.builder()
                .endpoint(RemoteFixtures.musicGenPredictBatched(spy))
                .start();
        return scorer(null);
    }

    Scorer scorer(Path melody) {
        return RemoteStages.musicGen(
                RemoteFixtures.gradio("musicgen", fake, Duration.ofSeconds(10)), RemoteFixtures.FFMPEG, melody);
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    StageOutput score(Scorer scorer, double seconds) throws Exception {
        return scorer.score(
                new ScoreRequest("calm lo-fi hip hop", seconds, 5),
                new StageContext(Files.createDirectories(scratch.resolve("work")), StageContext.ProgressSink.NONE));
    }

    @Test
    void fifteenSecondsAreTrimmedToAShortAskAndLoopedToALongOne() throws Exception {
        try (Scorer scorer = scorer(null)) {
            for (double seconds : new double[] {3.5, 20}) {
                MediaInfo info =
                        RemoteFixtures.FFMPEG.probe(score(scorer, seconds).file());
                assertThat(info.durationSeconds()).as("asked %s s", seconds).isCloseTo(seconds, within(0.05));
                assertThat(info.audio().orElseThrow().sampleRate()).isEqualTo(48000);
            }
        }
    }

    @Test
    void withoutAMelodyTheMelodyInputIsNull() throws Exception {
        try (Scorer scorer = scorer(null)) {
            score(scorer, 3);
        }
        assertThat(spy.last().get(0).asText()).isEqualTo("calm lo-fi hip hop");
        assertThat(spy.last().get(1).isNull()).isTrue();
    }

    @Test
    void aConfiguredMelodyIsUploadedAndSent() throws Exception {
        Path melody = RemoteFixtures.melody(scratch);
        StageOutput out;
        try (Scorer scorer = scorer(melody)) {
            out = score(scorer, 3);
        }
        var sent = spy.last().get(1);
        assertThat(sent.path("meta").path("_type").asText()).isEqualTo("gradio.FileData");
        assertThat(fake.storedFile(sent.path("path").asText()))
                .as("the uploaded bytes")
                .isEqualTo(Files.readAllBytes(melody));
        assertThat(out.params()).containsEntry("melody", "melody.wav");
    }

    @Test
    void aServerErrorIsARetryableFailureLeavingNothing() throws Exception {
        fake.fault(Fault.SERVER_ERROR);
        try (Scorer scorer = scorer(null)) {
            assertThatThrownBy(() -> score(scorer, 3))
                    .isInstanceOfSatisfying(
                            StageException.class, e -> assertThat(e.retryable()).isTrue())
                    .hasMessageContaining("musicgen");
        }
        assertThat(RemoteFixtures.files(scratch.resolve("work"))).isEmpty();
    }
}
