package tv.latent.generate.music;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tv.latent.generate.Scorer;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageOutput;

/**
 * The procedural scorer's output, pinned: for each music prompt, length and seed, the SHA-256
 * of the WAV file must equal the value recorded before the scorer moved into its own package.
 */
class ScoredMusicBytesTest {
    @TempDir
    Path work;

    record Case(String musicPrompt, double seconds, long seed, String sha256) {
        @Override
        public String toString() {
            return musicPrompt + ", " + seconds + " s, seed " + seed;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case(
                        "upbeat energetic dance track with drums",
                        3,
                        1,
                        "aa16ecdd159c1bc121690c6dfc1f9b09c10b2675617898732d39355d74b7c1e4"),
                new Case(
                        "calm ambient soundscape",
                        2.6667,
                        2,
                        "572ab4cbb534dd56960803c67be3dd5d81621006ac96889807743421d48eb4fe"),
                new Case(
                        "sad melancholic strings",
                        3,
                        3,
                        "e616e15c01e2be77879150bac81e49eeae874d2b25a02f6c587a7a5a82b8e391"),
                new Case(
                        "mysterious eerie night",
                        3,
                        4,
                        "3eb62aa5e94f4cba7c51b9ed27312b2217e2bbd680f6f188ac7e53a4ff9dd117"),
                new Case("lofi jazz beats", 3, 5, "cc21f9106ad1c73fd0589f5ef5cff23c545caa0710850eb859126d45cc7f9575"),
                new Case(
                        "epic heroic battle",
                        4,
                        6,
                        "61601952ad0258753d5ca7193e70019023f53367dde76782065d719cc5876c23"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void writesTheBytesRecordedForThePromptAndSeed(Case c) throws Exception {
        StageOutput out = new ProceduralScorer()
                .score(
                        new Scorer.ScoreRequest(c.musicPrompt(), c.seconds(), c.seed()),
                        new StageContext(work, StageContext.ProgressSink.NONE));

        String hex =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out.file())));
        assertThat(hex).isEqualTo(c.sha256());
    }
}
