package tv.latent.generate.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.gradio.FakeGradioServer;
import tv.latent.backend.gradio.FakeGradioServer.Fault;
import tv.latent.generate.Interpolator;
import tv.latent.generate.Interpolator.InterpolateRequest;
import tv.latent.generate.InterpolatorContract;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.generate.StageOutput;
import tv.latent.media.MediaInfo;

/**
 * The interpolator contract against a fake FILM Space (fn_index 1, no api name): whatever rate
 * FILM answers at, the clip comes back at the channel's rate and the asked length.
 */
class GradioFilmInterpolatorTest extends InterpolatorContract {
    @TempDir
    Path scratch;

    FakeGradioServer fake;
    final RemoteFixtures.Spy spy = new RemoteFixtures.Spy();

    @Override
    protected Interpolator newInterpolator() {
        fake = FakeGradioServer.builder().endpoint(RemoteFixtures.filmFn1(spy)).start();
        return interpolator();
    }

    Interpolator interpolator() {
        return RemoteStages.film(RemoteFixtures.gradio("film", fake, Duration.ofSeconds(10)), RemoteFixtures.FFMPEG);
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    StageOutput interpolate(Interpolator interpolator, int fps) throws Exception {
        Path input = source(Files.createDirectories(scratch.resolve("in")));
        return interpolator.interpolate(
                new InterpolateRequest(input, fps, 1),
                new StageContext(Files.createDirectories(scratch.resolve("work")), StageContext.ProgressSink.NONE));
    }

    @Test
    void sendsTheStepsThatReachTheChannelRateAndTheRadioValue() throws Exception {
        try (Interpolator interpolator = interpolator()) {
            interpolate(interpolator, 24);
        }
        var inputs = spy.last();
        assertThat(inputs.get(0).has("video")).isTrue();
        assertThat(inputs.get(1).asInt()).as("8 fps × 2² reaches 24").isEqualTo(2);
        assertThat(inputs.get(2).isTextual()).as("the fps radio takes a string").isTrue();
        assertThat(inputs.get(2).asText()).isEqualTo("24");
    }

    @Test
    void aResultAtAnotherRateIsRetimedToTheChannelRateAndLength() throws Exception {
        StageOutput out;
        try (Interpolator interpolator = interpolator()) {
            out = interpolate(interpolator, 30);
        }
        // FILM made 61 frames at 30 fps (2.03 s); the two-second clip must stay two seconds at 30 fps
        MediaInfo info = RemoteFixtures.FFMPEG.probe(out.file());
        MediaInfo.Video v = info.video().orElseThrow();
        assertThat(v.fps()).isEqualTo(30.0);
        assertThat(v.frames()).isEqualTo(60);
    }

    @Test
    void aServerErrorOrABrokenStreamIsARetryableFailureLeavingNothing() throws Exception {
        for (Fault fault : new Fault[] {Fault.SERVER_ERROR, Fault.DISCONNECT_MID_STREAM}) {
            fake.clearFaults().fault(fault);
            try (Interpolator interpolator = interpolator()) {
                assertThatThrownBy(() -> interpolate(interpolator, 24))
                        .as(fault.name())
                        .isInstanceOfSatisfying(StageException.class, e -> assertThat(e.retryable())
                                .isTrue())
                        .hasMessageContaining("film");
            }
            assertThat(RemoteFixtures.files(scratch.resolve("work")))
                    .as(fault.name())
                    .isEmpty();
        }
    }
}
