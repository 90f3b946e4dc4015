package tv.latent.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports of clips: animated GIF and WebP sized for chat apps, and the MP4 with its captions as a
 * subtitle track; made once on first request (in the background, with a progress state), kept
 * under one directory, and swept by age and total size. A narrated clip's captions ({@link
 * Captions#FILE} beside its master) travel with every export: burnt into the GIF and WebP (which
 * play silent, as captions are most needed), a {@code mov_text} track of the MP4 (players show it
 * when asked; the picture and sound are the master's, copied).
 *
 * <pre>{@code
 * ClipExports exports = new ClipExports(ffmpeg, dataDir.resolve("exports"), ClipExports.Limits.DEFAULT, InstantSource.system());
 * switch (exports.request(clip.id(), clip.master(), ClipExports.Format.GIF)) {
 *     case ClipExports.Ready r -> serve(r.file());        // 200 image/gif
 *     case ClipExports.Making m -> accepted(m.progress()); // 202, ask again shortly
 *     case ClipExports.Busy b -> unavailable(b.retryAfterSeconds()); // 503 Retry-After
 *     case ClipExports.Failed f -> error(f.reason());
 * }
 * }</pre>
 *
 * <p>Bounds: at most {@link Limits#maxJobs} exports are made at once (a request beyond is told
 * {@link Busy}, never queued); asking for an export that is being made joins it (one ffmpeg per
 * clip and format); an animated export is at most {@link #MAX_WIDTH} px wide, {@link #MAX_SECONDS}
 * long and {@link Limits#maxFileBytes} big (made again narrower when it would be bigger), an MP4
 * is the master's size; exports older than
 * {@link Limits#maxAge}, and the oldest beyond {@link Limits#maxTotalBytes}, are deleted after each
 * new one. File names are made here from a checked clip id and a fixed extension: nothing a client
 * sends becomes a path. Thread-safe; {@link #close()} (idempotent) refuses new exports.
 */
public final class ClipExports implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClipExports.class);
    /** Chat apps show previews up to about this width; wider only costs bytes. */
    public static final int MAX_WIDTH = 480;
    /** Long enough for a loop of any clip of ours (house clips run about 2.7 s), short enough to stay small. */
    public static final double MAX_SECONDS = 6.0;
    /** The narrower widths tried, in turn, when an export comes out too big. */
    private static final int[] WIDTHS = {MAX_WIDTH, 360, 240};

    /**
     * How burnt-in captions look: libass's default sans, sized to the picture, white with a dark
     * outline and shadow so a line reads on any scene, kept off the edges.
     */
    private static final String BURNT_STYLE =
            ":force_style='" + "Fontsize=18,PrimaryColour=&H00FFFFFF,OutlineColour=&H00101010,BorderStyle=1,"
                    + "Outline=1.5,Shadow=0.8,MarginV=14'";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

    /** The formats, with their file extension and media type. */
    public enum Format {
        GIF("gif", "image/gif", 10),
        WEBP("webp", "image/webp", 12),
        /** The master as it is, with the clip's captions as a subtitle track. */
        MP4("mp4", "video/mp4", 0);

        private final String extension;
        private final String mediaType;
        private final int fps;

        Format(String extension, String mediaType, int fps) {
            this.extension = extension;
            this.mediaType = mediaType;
            this.fps = fps;
        }

        public String extension() {
            return extension;
        }

        public String mediaType() {
            return mediaType;
        }

        /** Frames per second of an animated export: enough for motion, few enough for chat apps' size limits (0: the master's). */
        public int fps() {
            return fps;
        }
    }

    /**
     * @param maxJobs exports made at once; beyond, a request is answered {@link Busy}
     * @param maxFileBytes an export bigger than this is made again narrower (or fails at the narrowest)
     * @param maxTotalBytes all exports together; beyond, the oldest are deleted
     * @param maxAge an export older than this is deleted (made again when asked for)
     */
    public record Limits(int maxJobs, long maxFileBytes, long maxTotalBytes, Duration maxAge) {
        public static final Limits DEFAULT = new Limits(2, 8L << 20, 512L << 20, Duration.ofDays(7));

        public Limits {
            if (maxJobs < 1 || maxFileBytes < 1 || maxTotalBytes < maxFileBytes || maxAge.isNegative()) {
                throw new IllegalArgumentException("export limits out of range: " + maxJobs + ", " + maxFileBytes + ", "
                        + maxTotalBytes + ", " + maxAge);
            }
        }
    }

    /** Where an export is. */
    public sealed interface State permits Ready, Making, Busy, Failed {}

    /** Made: the file, to be served as it is. */
    public record Ready(Path file, long bytes) implements State {}

    /** Being made: {@code progress} from 0 to 1. */
    public record Making(double progress) implements State {}

    /** Not started: every export slot is taken. */
    public record Busy(int retryAfterSeconds) implements State {}

    /** The last attempt failed (told once; the next request tries again). */
    public record Failed(String reason) implements State {}

    /** One export being made. */
    private static final class Job {
        volatile double progress;
        volatile String failure;
        volatile boolean done;
    }

    private final Ffmpeg ffmpeg;
    private final Path dir;
    private final Limits limits;
    private final InstantSource wall;
    private final Semaphore slots;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public ClipExports(Ffmpeg ffmpeg, Path dir, Limits limits, InstantSource wall) {
        this.ffmpeg = ffmpeg;
        this.dir = dir.toAbsolutePath().normalize();
        this.limits = limits;
        this.wall = wall;
        this.slots = new Semaphore(limits.maxJobs());
    }

    /** The file an export of {@code clipId} is kept in (it may not exist yet). */
    Path file(String clipId, Format format) {
        if (clipId == null || !ID.matcher(clipId).matches()) {
            throw new IllegalArgumentException("not a clip id: '" + clipId + "'");
        }
        return dir.resolve(clipId + "." + format.extension());
    }

    /**
     * The export of a clip: ready, or being made (started now when it was not, when a slot is
     * free), or refused for now.
     *
     * @param master the clip's house-format MP4, as the library knows it
     */
    public State request(String clipId, Path master, Format format) {
        Path file = file(clipId, format);
        String key = file.getFileName().toString();
        Job running = jobs.get(key);
        if (running != null) {
            return finishedOrMaking(key, running, file);
        }
        if (Files.isRegularFile(file) && fresh(file)) {
            return ready(file);
        }
        if (closed) {
            return new Busy(30);
        }
        if (!slots.tryAcquire()) {
            return new Busy(5);
        }
        Job job = new Job();
        Job other = jobs.putIfAbsent(key, job);
        if (other != null) {
            slots.release();
            return finishedOrMaking(key, other, file);
        }
        Thread.ofVirtual().name("export-" + key).start(() -> {
            try {
                make(master, file, format, job);
            } catch (Exception e) {
                job.failure = e instanceof IOException || e instanceof FfmpegException ? e.getMessage() : e.toString();
                LOG.warn("export {} failed: {}", key, job.failure);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            } finally {
                job.done = true;
                if (job.failure == null) {
                    jobs.remove(key, job);
                }
                slots.release();
            }
        });
        return new Making(0);
    }

    private State finishedOrMaking(String key, Job job, Path file) {
        if (!job.done) {
            return new Making(job.progress);
        }
        if (job.failure != null) {
            jobs.remove(key, job);
            return new Failed(job.failure);
        }
        return Files.isRegularFile(file) ? ready(file) : new Making(1);
    }

    private State ready(Path file) {
        try {
            return new Ready(file, Files.size(file));
        } catch (IOException e) {
            return new Making(1); // swept just now: the next request makes it again
        }
    }

    private boolean fresh(Path file) {
        try {
            return Files.getLastModifiedTime(file)
                    .toInstant()
                    .isAfter(wall.instant().minus(limits.maxAge()));
        } catch (IOException e) {
            return false;
        }
    }

    /** Makes the export beside its place and moves it in; an animated one narrower while it is too big. */
    private void make(Path master, Path file, Format format, Job job) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path part = dir.resolve(file.getFileName() + ".part");
        Path captions = captions(master);
        if (format == Format.MP4) {
            double seconds = Math.max(0.1, ffmpeg.probe(master).durationSeconds());
            ffmpeg.run(
                    mp4Arguments(master, captions, part),
                    RUN_TIMEOUT,
                    null,
                    written -> job.progress = Math.min(1, written / seconds));
            keep(part, file);
            return;
        }
        double seconds =
                Math.min(MAX_SECONDS, Math.max(0.1, ffmpeg.probe(master).durationSeconds()));
        for (int i = 0; i < WIDTHS.length; i++) {
            int pass = i;
            ffmpeg.run(
                    arguments(master, captions, part, format, WIDTHS[i], seconds),
                    RUN_TIMEOUT,
                    null,
                    written -> job.progress = Math.min(1, (pass + written / seconds) / WIDTHS.length));
            long bytes = Files.size(part);
            if (bytes <= limits.maxFileBytes()) {
                keep(part, file);
                return;
            }
        }
        Files.deleteIfExists(part);
        throw new IOException("the " + format.extension() + " stays over " + limits.maxFileBytes() + " bytes even "
                + WIDTHS[WIDTHS.length - 1] + " px wide");
    }

    private void keep(Path part, Path file) throws IOException {
        Files.setLastModifiedTime(part, FileTime.from(wall.instant()));
        Files.move(
                part,
                file,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        sweep(file);
    }

    /** True when the master has captions beside it: its MP4 export then differs from the master by a subtitle track. */
    public static boolean captioned(Path master) throws IOException {
        return captions(master) != null;
    }

    /** The captions beside a master when it has any cue, else null (a clip without narration). */
    static Path captions(Path master) throws IOException {
        Path file = master.resolveSibling(Captions.FILE);
        return Files.isRegularFile(file) && !Captions.read(file).isEmpty() ? file : null;
    }

    /**
     * The ffmpeg arguments of one animated export: the clip's first {@code seconds}, at the
     * format's frame rate, scaled down (never up) to {@code width}, its {@code captions} (when not
     * null) burnt in at the bottom; a GIF gets a palette made for the clip (one pass over frames in
     * memory), a WebP is lossy animated libwebp. Both loop forever.
     */
    static List<String> arguments(Path master, Path captions, Path out, Format format, int width, double seconds) {
        if (format == Format.MP4) {
            throw new IllegalArgumentException("an MP4 export is not animated: mp4Arguments");
        }
        String scale = "fps=" + format.fps() + ",scale='min(" + width + ",iw)':-2:flags=lanczos"
                + (captions == null ? "" : ",subtitles=filename=" + Mastering.filterPath(captions) + BURNT_STYLE);
        List<String> args = new ArrayList<>(List.of("-t", String.format(java.util.Locale.ROOT, "%.3f", seconds)));
        args.addAll(List.of("-i", master.toString(), "-an", "-sn", "-dn", "-map_metadata", "-1"));
        switch (format) {
            case GIF ->
                args.addAll(List.of(
                        "-filter_complex",
                        scale + ",split[a][b];[a]palettegen=max_colors=160:stats_mode=diff[p];"
                                + "[b][p]paletteuse=dither=bayer:bayer_scale=3:diff_mode=rectangle",
                        "-loop",
                        "0",
                        "-f",
                        "gif"));
            case MP4 -> throw new AssertionError("refused above");
            case WEBP ->
                args.addAll(List.of(
                        "-vf",
                        scale,
                        "-c:v",
                        "libwebp_anim",
                        "-lossless",
                        "0",
                        "-quality",
                        "70",
                        "-compression_level",
                        "4",
                        "-loop",
                        "0",
                        "-f",
                        "webp"));
        }
        args.add(out.toString());
        return args;
    }

    /**
     * The ffmpeg arguments of an MP4 export: the master's streams copied (and its metadata, which
     * carries the provenance), with {@code captions} (when not null) as a default {@code mov_text}
     * track, laid out for progressive download.
     */
    static List<String> mp4Arguments(Path master, Path captions, Path out) {
        List<String> args = new ArrayList<>(List.of("-i", master.toString()));
        if (captions != null) {
            args.addAll(List.of("-i", captions.toString()));
        }
        args.addAll(List.of("-map", "0:v", "-map", "0:a?"));
        if (captions != null) {
            args.addAll(List.of(
                    "-map",
                    "1:s",
                    "-c:s",
                    "mov_text",
                    "-metadata:s:s:0",
                    "handler_name=Narration",
                    "-disposition:s:0",
                    "default"));
        }
        args.addAll(List.of("-c:v", "copy", "-c:a", "copy", "-movflags", "+faststart", "-f", "mp4", out.toString()));
        return args;
    }

    /** Deletes exports past their age, then the oldest while all together are over budget; never {@code keep}. */
    private void sweep(Path keep) {
        Instant oldest = wall.instant().minus(limits.maxAge());
        record Kept(Path path, FileTime modified, long bytes) {}
        List<Kept> kept = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (f.equals(keep) || name.endsWith(".part") || !Files.isRegularFile(f)) {
                    continue;
                }
                FileTime modified = Files.getLastModifiedTime(f);
                if (modified.toInstant().isBefore(oldest)) {
                    Files.deleteIfExists(f);
                } else {
                    kept.add(new Kept(f, modified, Files.size(f)));
                }
            }
            long total = Files.size(keep) + kept.stream().mapToLong(Kept::bytes).sum();
            kept.sort(Comparator.comparing(Kept::modified));
            for (Kept k : kept) {
                if (total <= limits.maxTotalBytes()) {
                    break;
                }
                if (!jobs.containsKey(k.path().getFileName().toString())) {
                    Files.deleteIfExists(k.path());
                    total -= k.bytes();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("sweeping exports: {}", e.toString());
        }
    }

    /** Exports being made now. */
    public int making() {
        return (int) jobs.values().stream().filter(j -> !j.done).count();
    }

    /** Refuses new exports; those being made finish on their own threads. Idempotent. */
    @Override
    public void close() {
        closed = true;
    }
}
