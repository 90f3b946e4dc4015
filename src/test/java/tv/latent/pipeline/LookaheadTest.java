package tv.latent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Lookahead arithmetic: ask for what fills the gap, counting shots already in the pipeline, never more. */
class LookaheadTest {
    private static final double CLIP = 64 / 24.0;

    @Test
    void asksForNothingWhileTheLookaheadIsFull() {
        assertThat(Lookahead.shotsWanted(60, 60, CLIP, 0)).isZero();
        assertThat(Lookahead.shotsWanted(75, 60, CLIP, 0)).isZero();
    }

    @Test
    void countsShotsAlreadyInThePipelineAgainstTheGap() {
        // a 10 s gap needs 4 clips of 2.67 s; 3 are being made
        assertThat(Lookahead.shotsWanted(50, 60, CLIP, 3)).isEqualTo(1);
        assertThat(Lookahead.shotsWanted(50, 60, CLIP, 4)).isZero();
        assertThat(Lookahead.shotsWanted(50, 60, CLIP, 9)).isZero();
    }

    @Test
    void asksForAtMostOneBatchAtATime() {
        assertThat(Lookahead.shotsWanted(0, 180, CLIP, 0)).isEqualTo(Lookahead.MAX_BATCH);
    }
}
