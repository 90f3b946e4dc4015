package tv.latent.playout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.testing.LargeLibrary;
import tv.latent.testing.SlowTest;

/**
 * A channel with 100,000 clips of history: every question the scheduler asks at an airing
 * decision is answered through an index (the plans are checked, as the database makes them, with
 * no statistics gathered), and the answers are the right clips.
 */
@SlowTest
class LongHistoryTest {
    private static final int CLIPS = 100_000;
    private static final int FRESH = 5;

    @TempDir
    Path dir;

    private Database db;
    private DataLayout layout;

    @BeforeEach
    void seed() throws Exception {
        layout = new DataLayout(dir).prepare();
        db = Database.open(layout.database());
        LargeLibrary.seed(
                db, layout, "tv", CLIPS, FRESH, layout.clip("tv", "shared").resolve("master.mp4"));
    }

    @Test
    void everyAiringDecisionIsAnIndexedQueryEvenWithAHundredThousandClips() throws Exception {
        for (String sql : new String[] {Programming.NEXT_FRESH, Programming.NEXT_RERUN, Programming.FRESH_FRAMES}) {
            String plan = LargeLibrary.plan(db, sql.replace("LIMIT ?", "LIMIT 1"), "tv");
            assertThat(plan)
                    .as(sql)
                    .containsPattern("USING (COVERING )?INDEX playout_clip_")
                    .doesNotContain("SCAN playout_clip")
                    .doesNotContain("TEMP B-TREE");
        }
        db.close();
    }

    @Test
    void theOldestFreshClipAndTheLeastRecentlyAiredRerunAreChosenFromTheWholeHistory() throws Exception {
        MemoryCatalog none = MemoryCatalog.everyChannel(java.util.List.of());
        Programming programming = Programming.open(db, new IdsOnly(none), "tv");

        assertThat(programming.nextFresh(Set.of()).map(AirableClip::clipId))
                .contains(LargeLibrary.clipId(CLIPS - FRESH));
        assertThat(programming.nextRerun(Set.of()).map(AirableClip::clipId)).contains(LargeLibrary.clipId(0));
        assertThat(programming.nextRerun(Set.of(LargeLibrary.clipId(0))).map(AirableClip::clipId))
                .contains(LargeLibrary.clipId(1));
        assertThat(programming.unairedFreshFrames()).isEqualTo(FRESH * 64L);
        db.close();
    }

    /** A catalog that knows every clip id of the seeded library (their masters are not needed here). */
    private record IdsOnly(ClipCatalog arrivals) implements ClipCatalog {
        @Override
        public java.util.List<AirableClip> arrivedAfter(String channelId, long afterSeq, int limit) {
            return arrivals.arrivedAfter(channelId, afterSeq, limit);
        }

        @Override
        public Optional<AirableClip> find(String clipId) {
            return Optional.of(new AirableClip(
                    clipId, "tv", Path.of("/nowhere/master.mp4"), 64, clipId, "", java.time.Instant.EPOCH, 0));
        }
    }
}
