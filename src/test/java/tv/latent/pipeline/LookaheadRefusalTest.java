package tv.latent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tv.latent.director.ShotPlan;

/** A shot a model refused is replaced by the director at once; a shot a backend failed backs the channel off. */
class LookaheadRefusalTest {
    static ShotJob ended(String lastError) {
        Instant t = Instant.parse("2026-03-01T12:00:00Z");
        return new ShotJob(
                "job-1",
                "news",
                new ShotPlan(null, "a heron", "", 1, "", "s1"),
                "test",
                "",
                JobState.order(true),
                JobState.FAILED,
                1,
                t,
                lastError,
                Map.of(),
                3,
                t,
                t);
    }

    final Lookahead lookahead = new Lookahead(id -> 0, null, null, id -> null, List.of(), Duration.ofSeconds(1));

    @Test
    void aRefusedShotDoesNotBackTheChannelOff() {
        ShotJob refused = ended("render" + ShotJob.REFUSED + "fal: content policy: flagged");
        assertThat(refused.refused()).isTrue();

        lookahead.heard(refused);

        assertThat(lookahead.generation("news").failing()).isFalse();
    }

    @Test
    void aShotThatFailedBacksTheChannelOff() {
        ShotJob failed = ended("render failed: fal: SERVER_ERROR");
        assertThat(failed.refused()).isFalse();

        lookahead.heard(failed);

        assertThat(lookahead.generation("news").failing()).isTrue();
    }
}
