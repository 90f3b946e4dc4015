package tv.latent.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.cli.Main;
import tv.latent.web.Stations;

/** {@code latenttv keep}, {@code keep --off}, {@code clips} and {@code prune [--dry-run]} on a real data directory. */
class RetentionCommandsTest {
    @TempDir
    Path dir;

    Path config;
    List<String> clips;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void aLibraryOverItsLimit() throws Exception {
        config = Stations.config(dir, "retention: {maxClips: 2, minClips: 1}\n");
        try (TestLibrary shelf = new TestLibrary(dir)) {
            // twelve aired clips: the newest eight are next to rerun, so the four oldest may go
            clips = shelf.airedClips(Stations.CHANNEL, 12, Duration.ofDays(1));
        }
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(
                Stream.concat(Stream.of(args), Stream.of("--config", config.toString()))
                        .toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private Set<String> rows() throws Exception {
        try (TestLibrary shelf = new TestLibrary(dir)) {
            return shelf.clipRows();
        }
    }

    @Test
    void aDryRunPrintsWhatWouldGoAndWhyAndDeletesNothing() throws Exception {
        assertThat(run("prune", "--dry-run")).as(err.toString()).isZero();

        assertThat(printed())
                .contains("would delete")
                .contains(clips.get(0) + "  3 KB: channel tv has more than 2 clips")
                .contains("4 clips, about 9 KB, would be deleted")
                .contains("over a limit: channel tv: 6 clips over maxClips 2 cannot go")
                .doesNotContain(clips.get(4));
        assertThat(rows()).hasSize(12);
    }

    @Test
    void pruneDeletesTheOldestThatMayGo() throws Exception {
        assertThat(run("prune")).as(err.toString()).isZero();

        assertThat(printed()).contains("4 clips deleted");
        assertThat(rows()).doesNotContainAnyElementsOf(clips.subList(0, 4)).hasSize(8);
    }

    @Test
    void aKeptClipIsMarkedInTheListingAndSurvivesPrune() throws Exception {
        assertThat(run("keep", clips.get(0))).as(err.toString()).isZero();
        assertThat(printed()).contains("is kept");
        assertThat(run("clips", "--limit", "20")).isZero();
        assertThat(printed()).containsOnlyOnce("[kept]");

        run("prune");

        assertThat(rows())
                .contains(clips.get(0))
                .doesNotContainAnyElementsOf(clips.subList(1, 4))
                .hasSize(9);
    }

    @Test
    void keepOffLiftsTheMark() throws Exception {
        run("keep", clips.get(0));
        assertThat(run("keep", "--off", clips.get(0))).isZero();
        assertThat(printed()).contains("no longer kept");

        run("prune");

        assertThat(rows()).doesNotContain(clips.get(0));
    }

    @Test
    void keepingAClipThatIsNotThereSaysSo() {
        assertThat(run("keep", "no-such-clip")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no clip 'no-such-clip' in the library");
    }
}
