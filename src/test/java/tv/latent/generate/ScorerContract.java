package tv.latent.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.generate.Scorer.ScoreRequest;
import tv.latent.media.MediaInfo;

/** What every {@link Scorer} must do: at least the asked length of decodable stereo audio, in the work directory. */
public abstract class ScorerContract {
    @TempDir
    protected Path root;

    protected Path work;
    protected Scorer scorer;

    protected abstract Scorer newScorer() throws Exception;

    protected double seconds() {
        return 3;
    }

    /** Whether the same prompt, length and seed must give the same bytes. */
    protected boolean deterministic() {
        return false;
    }

    @BeforeEach
    void setUpWorkDir() throws Exception {
        work = Files.createDirectory(root.resolve("work"));
        scorer = newScorer();
    }

    @AfterEach
    void closeScorer() throws Exception {
        scorer.close();
    }

    protected StageOutput score(String prompt, long seed) throws Exception {
        return scorer.score(
                new ScoreRequest(prompt, seconds(), seed), new StageContext(work, StageContext.ProgressSink.NONE));
    }

    @Test
    void writesAtLeastTheAskedLengthOfStereoAudio() throws Exception {
        StageOutput out = score("calm ambient piano", 11);

        assertThat(out.file()).exists().hasParent(work);
        assertThat(out.backend()).isNotBlank();
        MediaInfo info = StageFixtures.FFMPEG.probe(out.file());
        MediaInfo.Audio a = info.audio().orElseThrow();
        assertThat(a.channels()).isEqualTo(2);
        assertThat(a.sampleRate()).isGreaterThanOrEqualTo(32000);
        assertThat(info.durationSeconds()).isGreaterThanOrEqualTo(seconds() - 1e-3);
    }

    @Test
    void writesOnlyItsOutputInsideTheWorkDirectory() throws Exception {
        Set<String> before = StageFixtures.filesOutside(root, work);
        StageOutput out = score("upbeat electronic", 2);

        assertThat(StageFixtures.filesOutside(root, work)).isEqualTo(before);
        assertThat(StageFixtures.names(work))
                .containsExactly(out.file().getFileName().toString());
    }

    @Test
    void samePromptAndSeedScoreIdenticalBytes() throws Exception {
        Assumptions.assumeTrue(deterministic(), "backend does not claim determinism");
        StageOutput first = score("epic cinematic adventure", 99);
        StageOutput second = score("epic cinematic adventure", 99);

        assertThat(first.file()).isNotEqualTo(second.file());
        assertThat(Files.readAllBytes(first.file())).isEqualTo(Files.readAllBytes(second.file()));
    }
}
