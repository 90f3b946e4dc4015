package tv.latent.retention;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.library.ClipLibrary;
import tv.latent.library.DataLayout;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.JobStore;
import tv.latent.storage.MediaStore;

/**
 * Removes what no row accounts for and nothing live uses: clip directories without a clip
 * (a deletion or a mastering cut short by a crash), temporary cuts ({@code .hls-cut-*} beside a
 * clip or a slate) that no cut is writing, work directories of jobs that are finished or gone (on
 * disk, and under {@code work/} in a cluster's bucket, where a node cut off while it uploaded a
 * stage's output can leave one after another node mastered the job), and leftovers in
 * {@code data/tmp}.
 *
 * <p>What is live is told apart by rows and by age: a clip directory stays while its clip has a
 * row or its job is still being made (mastering moves the directory in place just before the row
 * is written); a work directory stays while its job is unfinished; a temporary cut stays while it
 * is younger than {@link #TEMP_CUT_AGE} (a cut gives up after two minutes); an entry of {@code
 * data/tmp} while anything in it is younger than {@link #TMP_AGE}.
 *
 * <p>{@link #everything()} lists every clip directory (at start, and once a day);
 * {@link #light()} only the work and temporary directories, which hold in-flight work and so stay
 * small whatever the size of the library. Directories are read in chunks of {@link #CHUNK}
 * names, each chunk answered by two indexed queries.
 *
 * <p>Thread-safe as long as one sweep runs at a time (the retention thread, or the CLI).
 */
final class Sweeper {
    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);

    static final Duration TEMP_CUT_AGE = Duration.ofMinutes(10);
    static final Duration TMP_AGE = Duration.ofHours(6);
    static final int CHUNK = 256;

    private final DataLayout layout;
    private final ClipLibrary library;
    private final JobStore jobs;
    private final InstantSource wall;
    private final MediaStore media;

    /** What one sweep removed. */
    record Swept(int clipDirs, int tempCuts, int workDirs, int tmpEntries, long bytes) {
        static final Swept NONE = new Swept(0, 0, 0, 0, 0);

        Swept plus(Swept o) {
            return new Swept(
                    clipDirs + o.clipDirs,
                    tempCuts + o.tempCuts,
                    workDirs + o.workDirs,
                    tmpEntries + o.tmpEntries,
                    bytes + o.bytes);
        }

        int total() {
            return clipDirs + tempCuts + workDirs + tmpEntries;
        }
    }

    Sweeper(DataLayout layout, ClipLibrary library, JobStore jobs, InstantSource wall, MediaStore media) {
        this.layout = layout;
        this.library = library;
        this.jobs = jobs;
        this.wall = wall;
        this.media = media;
    }

    /** Sweeps the whole data directory, every clip directory included. */
    Swept everything() throws SQLException, IOException {
        Swept swept = light();
        for (Path channel : directories(layout.root().resolve("clips"))) {
            swept = swept.plus(clipsOf(channel));
        }
        for (Path channel : directories(layout.root().resolve("channels"))) {
            swept = swept.plus(tempCutsIn(channel));
        }
        return swept;
    }

    /** Sweeps work directories (on disk and in the bucket) and {@code data/tmp}: what in-flight work leaves. */
    Swept light() throws SQLException, IOException {
        return workDirs().plus(workObjects()).plus(tmp());
    }

    private Swept clipsOf(Path channelDir) throws SQLException, IOException {
        if (!isId(channelDir)) {
            return Swept.NONE;
        }
        Swept swept = Swept.NONE;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(channelDir)) {
            List<Path> chunk = new ArrayList<>();
            for (Path entry : entries) {
                if (isId(entry) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    chunk.add(entry);
                } else if (isTempCut(entry)) {
                    swept = swept.plus(tempCut(entry));
                }
                if (chunk.size() == CHUNK) {
                    swept = swept.plus(clipChunk(chunk));
                    chunk.clear();
                }
            }
            swept = swept.plus(clipChunk(chunk));
        }
        return swept;
    }

    private Swept clipChunk(List<Path> dirs) throws SQLException, IOException {
        if (dirs.isEmpty()) {
            return Swept.NONE;
        }
        List<String> ids = dirs.stream().map(d -> d.getFileName().toString()).toList();
        // jobs first, clips second: a job seen finished had its clip's row committed with it, so a
        // clip read afterwards as missing is really gone (never a mastering that just finished)
        Map<String, JobState> states = jobs.states(ids);
        Set<String> rows = library.existing(ids);
        Swept swept = Swept.NONE;
        for (Path dir : dirs) {
            String id = dir.getFileName().toString();
            JobState state = states.get(id);
            if (rows.contains(id)) {
                swept = swept.plus(tempCutsIn(dir));
            } else if (state == null || state.terminal()) {
                long bytes = delete(dir, "clip directory with no clip");
                swept = swept.plus(new Swept(bytes >= 0 ? 1 : 0, 0, 0, 0, Math.max(0, bytes)));
            }
        }
        return swept;
    }

    private Swept tempCutsIn(Path dir) throws IOException {
        Swept swept = Swept.NONE;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*-cut-*")) {
            for (Path entry : entries) {
                swept = swept.plus(tempCut(entry));
            }
        }
        return swept;
    }

    private Swept tempCut(Path entry) {
        if (!olderThan(modified(entry), TEMP_CUT_AGE)) {
            return Swept.NONE;
        }
        long bytes = delete(entry, "temporary cut left behind");
        return bytes < 0 ? Swept.NONE : new Swept(0, 1, 0, 0, bytes);
    }

    private Swept workDirs() throws SQLException, IOException {
        Swept swept = Swept.NONE;
        List<Path> chunk = new ArrayList<>();
        for (Path dir : directories(layout.root().resolve("work"))) {
            if (isId(dir)) {
                chunk.add(dir);
            }
            if (chunk.size() == CHUNK) {
                swept = swept.plus(workChunk(chunk));
                chunk.clear();
            }
        }
        return swept.plus(workChunk(chunk));
    }

    /**
     * The bucket's {@code work/} folders of jobs that are finished or gone. Only in-flight jobs
     * (and such leftovers) have one, so the listing stays small whatever the library's size; a job
     * row exists before its first upload, so a folder without a row is a deleted job's. A bucket
     * that cannot be listed leaves them to the next pass: the rest of the pass goes on.
     */
    private Swept workObjects() throws SQLException, IOException {
        if (media.isLocal()) {
            return Swept.NONE;
        }
        List<String> ids;
        try {
            ids = media.children("work/").stream().filter(Sweeper::isId).toList();
        } catch (IOException e) {
            // the bucket is down: the disk's limits still hold this pass; its leftovers wait for the next
            LOG.warn("the bucket's work folders are not swept this pass: {}", e.getMessage());
            return Swept.NONE;
        }
        Swept swept = Swept.NONE;
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            Map<String, JobState> states = jobs.states(chunk);
            for (String id : chunk) {
                JobState state = states.get(id);
                if (state == null || state.terminal()) {
                    media.deleteAll("work/" + id + "/");
                    LOG.info("swept the bucket's work folder of a finished or deleted job: work/{}/", id);
                    swept = swept.plus(new Swept(0, 0, 1, 0, 0));
                }
            }
        }
        return swept;
    }

    private Swept workChunk(List<Path> dirs) throws SQLException {
        if (dirs.isEmpty()) {
            return Swept.NONE;
        }
        Map<String, JobState> states =
                jobs.states(dirs.stream().map(d -> d.getFileName().toString()).toList());
        Swept swept = Swept.NONE;
        for (Path dir : dirs) {
            JobState state = states.get(dir.getFileName().toString());
            if (state == null || state.terminal()) {
                long bytes = delete(dir, "work directory of a finished or deleted job");
                swept = swept.plus(bytes < 0 ? Swept.NONE : new Swept(0, 0, 1, 0, bytes));
            }
        }
        return swept;
    }

    private Swept tmp() throws IOException {
        Swept swept = Swept.NONE;
        Path tmp = layout.tmp();
        if (!Files.isDirectory(tmp)) {
            return swept;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp)) {
            for (Path entry : entries) {
                if (olderThan(newest(entry), TMP_AGE)) {
                    long bytes = delete(entry, "leftover in data/tmp");
                    swept = swept.plus(bytes < 0 ? Swept.NONE : new Swept(0, 0, 0, 1, bytes));
                }
            }
        }
        return swept;
    }

    /** Deletes a tree; -1 (logged) when it could not be. */
    private static long delete(Path tree, String what) {
        try {
            long bytes = DataLayout.deleteTree(tree);
            LOG.debug("swept {}: {}", what, tree);
            return bytes;
        } catch (IOException e) {
            LOG.warn("could not sweep {} {}: {}", what, tree, e.toString());
            return -1;
        }
    }

    private boolean olderThan(FileTime time, Duration age) {
        return time.toMillis() < wall.millis() - age.toMillis();
    }

    /**
     * The newest modification time in a tree (a file being written keeps its directory live); now
     * when the tree cannot be read (it is changing: leave it for the next sweep).
     */
    private FileTime newest(Path tree) {
        try (Stream<Path> walk = Files.walk(tree)) {
            FileTime newest = FileTime.fromMillis(0);
            for (Path p : walk.toList()) {
                FileTime t = modified(p);
                if (t.compareTo(newest) > 0) {
                    newest = t;
                }
            }
            return newest;
        } catch (IOException | java.io.UncheckedIOException e) {
            return FileTime.fromMillis(wall.millis());
        }
    }

    /** A file's modification time; now when it cannot be read (it is changing, or just went). */
    private FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return FileTime.fromMillis(wall.millis());
        }
    }

    private static List<Path> directories(Path parent) throws IOException {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(parent)) {
            return list.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .toList();
        }
    }

    private static boolean isTempCut(Path entry) {
        String name = entry.getFileName().toString();
        return name.startsWith(".") && name.contains("-cut-");
    }

    private static boolean isId(Path path) {
        return isId(path.getFileName().toString());
    }

    private static boolean isId(String name) {
        try {
            DataLayout.check(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
