package tv.latent.retention;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import tv.latent.library.ClipLibrary;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.pipeline.JobStore;
import tv.latent.playout.PlayoutRecords;
import tv.latent.storage.MediaStore;

/**
 * Deletes clips in an order that a crash at any point leaves nothing dangling:
 *
 * <ol>
 *   <li>{@link #forgetRows}: one transaction takes each clip out of its channel's programming (the
 *       scheduler can no longer choose it), deletes its row, and its mastered job's row. Until it
 *       commits nothing has changed; once it has, no row names the clip.
 *   <li>{@link #deleteFiles}: the clip's directory (master, thumbnail, segments), and its objects in
 *       the media store when there is one. A crash before or during it leaves a directory no row
 *       names, which the sweep at the next start removes.
 * </ol>
 *
 * <p>Thread-safe.
 */
final class ClipRemoval {
    private final Database db;
    private final DataLayout layout;
    private final ClipLibrary library;
    private final JobStore jobs;
    private final PlayoutRecords playout;
    private final MediaStore media;

    ClipRemoval(Database db, DataLayout layout, ClipLibrary library, JobStore jobs, PlayoutRecords playout) {
        this(db, layout, library, jobs, playout, MediaStore.local());
    }

    ClipRemoval(
            Database db,
            DataLayout layout,
            ClipLibrary library,
            JobStore jobs,
            PlayoutRecords playout,
            MediaStore media) {
        this.media = media;
        this.db = db;
        this.layout = layout;
        this.library = library;
        this.jobs = jobs;
        this.playout = playout;
    }

    /**
     * Step 1, in one transaction: the clips' rows, their programming and their jobs. A clip
     * marked to be kept since it was chosen stays.
     *
     * @return the clips whose rows are gone
     */
    List<ClipLibrary.Entry> forgetRows(List<ClipLibrary.Entry> clips) throws SQLException {
        return db.write(c -> {
            List<ClipLibrary.Entry> gone = new ArrayList<>();
            for (ClipLibrary.Entry clip : clips) {
                if (!library.deleteUnlessKept(c, clip.id())) {
                    continue;
                }
                playout.forget(c, clip.channelId(), clip.id());
                jobs.deleteFinished(c, clip.jobId());
                gone.add(clip);
            }
            return gone;
        });
    }

    /**
     * Step 2: the files of a clip whose row is gone: its directory, or (for a clip stored elsewhere
     * under the data directory) its master, thumbnail and segments.
     *
     * @return the bytes freed
     */
    long deleteFiles(ClipLibrary.Entry clip) throws IOException {
        Path dir = layout.clip(clip.channelId(), clip.id());
        if (!media.isLocal()) {
            media.deleteAll(layout.relative(dir) + "/");
        }
        if (clip.master().getParent().equals(dir)) {
            return DataLayout.deleteTree(dir);
        }
        return DataLayout.deleteTree(clip.master().resolveSibling("hls"))
                + DataLayout.deleteTree(clip.thumbnail())
                + DataLayout.deleteTree(clip.master());
    }
}
