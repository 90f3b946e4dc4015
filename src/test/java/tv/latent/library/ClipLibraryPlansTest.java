package tv.latent.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.testing.LargeLibrary;
import tv.latent.testing.SlowTest;

/** What playout asks the library at every round is indexed, with 100,000 clips and no statistics. */
@SlowTest
class ClipLibraryPlansTest {
    @TempDir
    Path dir;

    @Test
    void newArrivalsAndOneClipByIdAreIndexedLookupsInAHundredThousandClips() throws Exception {
        DataLayout layout = new DataLayout(dir).prepare();
        try (Database db = Database.open(layout.database())) {
            LargeLibrary.seed(
                    db, layout, "tv", 100_000, 3, layout.clip("tv", "shared").resolve("master.mp4"));
            ClipLibrary library = new ClipLibrary(db, layout);

            assertThat(LargeLibrary.plan(db, ClipLibrary.ARRIVED_AFTER, "tv", 99_990, 10))
                    .contains("USING INDEX clips_by_channel_seq")
                    .doesNotContain("SCAN clips")
                    .doesNotContain("TEMP B-TREE");
            assertThat(library.arrivedAfter("tv", 99_998, 10))
                    .extracting(a -> a.clip().id())
                    .containsExactly(LargeLibrary.clipId(99_998), LargeLibrary.clipId(99_999));
            assertThat(library.find(LargeLibrary.clipId(42))).isPresent();
        }
    }
}
