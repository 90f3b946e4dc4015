package tv.latent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.ChannelConfig;
import tv.latent.testing.SlowTest;

/** The pause hook the disk guard drives: while it says so, no stage starts and no shot is asked for. */
class GenerationPauseTest {
    @TempDir
    Path dir;

    /** A pause switch that counts how often it was asked. */
    private static final class Switch implements BooleanSupplier {
        final AtomicBoolean paused = new AtomicBoolean(true);
        final CountDownLatch asked = new CountDownLatch(20);

        @Override
        public boolean getAsBoolean() {
            asked.countDown();
            return paused.get();
        }
    }

    @Test
    @SlowTest
    void aPausedPipelineStartsNoStageAndGoesOnByItselfWhenResumed() throws Exception {
        Switch pause = new Switch();
        try (TestChannels.Wired wired = new TestChannels.Wired(dir.resolve("data"), "", List.of());
                Pipeline pipeline = new Pipeline(
                        wired.jobs,
                        wired.library,
                        wired.layout,
                        wired.ffmpeg,
                        wired.config.pipeline(),
                        Map.of(
                                "test",
                                wired.factory.stagesFor(wired.config.channels().get(0))),
                        InstantSource.system(),
                        tv.latent.time.MonotonicClock.system(),
                        pause,
                        null,
                        tv.latent.storage.MediaStore.local())) {
            pipeline.start();
            ShotJob job = pipeline.submit("test", TestChannels.shots("a fox in the snow"))
                    .get(0);

            // the dispatcher has looked many times, and found generation paused each time
            assertThat(pause.asked.await(1, TimeUnit.MINUTES)).isTrue();
            ShotJob stored = wired.jobs.find(job.id()).orElseThrow();
            assertThat(stored.state()).isEqualTo(JobState.RENDER);
            assertThat(stored.attempts()).isZero();
            assertThat(wired.layout.work(job.id())).doesNotExist();

            pause.paused.set(false);
            assertThat(pipeline.await(job.id(), Duration.ofMinutes(3)).state()).isEqualTo(JobState.MASTERED);
        }
    }

    @Test
    void aPausedLookaheadAsksTheDirectorForNothing() throws Exception {
        AtomicBoolean paused = new AtomicBoolean(true);
        try (TestChannels.Wired wired = new TestChannels.Wired(dir.resolve("data"), "", List.of())) {
            ChannelConfig channel = wired.config.channels().get(0);
            Lookahead lookahead = new Lookahead(
                    id -> 0,
                    wired.pipeline,
                    wired.jobs,
                    id -> wired.factory.directorFor(channel),
                    List.of(channel),
                    Duration.ofSeconds(1),
                    paused::get);

            assertThat(lookahead.feedOnce(channel)).isZero();
            assertThat(wired.jobs.unfinished("test")).isZero();

            paused.set(false);
            assertThat(lookahead.feedOnce(channel)).isPositive();
            assertThat(wired.jobs.unfinished("test")).isPositive();
        }
    }
}
