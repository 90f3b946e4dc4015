package tv.latent.station;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.director.ShotPlan;
import tv.latent.library.Clip;
import tv.latent.library.ClipLibrary;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.media.HouseFormat;
import tv.latent.media.Segmenter;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.JobStore;
import tv.latent.pipeline.PipelineListener;
import tv.latent.pipeline.ShotJob;
import tv.latent.playout.Playout;
import tv.latent.playout.PlayoutRecords;
import tv.latent.testing.FastClock;
import tv.latent.testing.Heap;
import tv.latent.testing.SlowTest;
import tv.latent.testing.TestMedia;
import tv.latent.web.Stations;

/**
 * A simulated month: one channel of a whole station (embedded engines, retention, disk guard,
 * web) on a clock that runs {@value #SPEED_UP} times faster than real time airs and generates 30
 * days in about five minutes, while a viewer checks the live playlist every simulated hour.
 * After day 1 and at day 30 the same checkpoint measures the heap after collection, the rows of
 * every table and the database's size, and the data directory against its budget; day 30 must
 * match day 1. After the month, nothing a row names is missing on disk, and no clip directory is
 * without its row.
 *
 * <p>Cost flat in history is asserted by what it rests on, not by a stopwatch: every question a
 * request, a segment or an airing decision asks is answered through an index ({@code
 * LongHistoryTest}, {@code RetentionAtScaleTest}), and here no table a question reads grows over
 * the month. The p99 latencies of the playlist and {@code /api/channels} are printed as figures
 * (a loaded machine makes any bound on them flaky).
 *
 * <p>How the figures were chosen. One simulated day passes every 10 real seconds; the clock
 * stands still while the station starts and while a checkpoint measures. Generation runs at real
 * CPU speed (a {@value #CLIP_SECONDS} s clip takes seconds of synthesis and ffmpeg, more on a
 * loaded machine), so the channel airs mostly reruns, as a channel does whose model is slower
 * than real time. Clips are long ({@value #CLIP_SECONDS} s) so that the month is about 13,500
 * airing decisions, about 45 a real second, which one channel thread keeps up with on a loaded
 * machine; the scheduler decides half a real second ahead ({@code ChannelPlayout.MIN_REAL_LEAD}),
 * about 22 airings on this clock. Retention protects the clips of the newest 48 airings and the
 * next 8 reruns, so a library turns over only above about 56 clips: the station starts with
 * {@value #SEEDED} clips mastered before the month (a station that has been on air a while),
 * older than the age limit, and every clip made during the month then replaces one. The disk
 * budget is the ceiling the data directory is held to.
 */
@SlowTest
class SimulatedMonthTest {
    private static final String CHANNEL = "month";
    private static final long SPEED_UP = 8_640;
    private static final Duration MONTH = Duration.ofDays(30);
    private static final Duration SAMPLE_EVERY = Duration.ofHours(1);
    private static final Instant START = Instant.parse("2031-03-01T00:00:00Z");
    private static final HouseFormat FORMAT = new HouseFormat(128, 72, 8, 8, 48000, 100, 32, -16);
    private static final int CLIP_SECONDS = 192;
    private static final int SEEDED = 64;
    private static final double MAX_AGE_DAYS = 5;
    /** The library's disk budget (retention's {@code maxDiskGb}), as retention counts clips. */
    private static final long BUDGET_BYTES = 256L << 20;
    /**
     * What the data directory may hold besides the library's budget: the database and its log
     * (about 4 MB), and the work files of the job in flight (about 36 MB for a clip this long).
     */
    private static final long BESIDES_BUDGET_BYTES = 64L << 20;
    /** More than playout's segment cache holds (64 MB): each checkpoint first fills it, as an audience would. */
    private static final long VIEWER_FILL_BYTES = 80L << 20;

    private static final int LATENCY_ROUNDS = 3;
    private static final int REQUESTS_PER_ROUND = 300;
    /**
     * Rows a table may hold at day 30 beyond 1.5 times day 1's: jobs in flight or failed in the
     * last two days (retention's {@code failedJobsDays}) come and go. A table that grew with
     * history would hold thirty times day 1's.
     */
    private static final long ROWS_SLACK = 16;
    /** Bytes the database file may hold at day 30 beyond 1.5 times day 1's (a page or two of each index). */
    private static final long DATABASE_SLACK_BYTES = 1L << 20;

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @TempDir
    Path dir;

    /** What one checkpoint measured. */
    private record Checkpoint(
            String name,
            Duration at,
            long heapBytes,
            double playlistP99Ms,
            double channelsP99Ms,
            long dataBytes,
            long clipBytes,
            int clips,
            long databaseBytes,
            Map<String, Long> rows) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%s (at %.2f days): heap %.1f MB, p99 playlist %.2f ms, p99 /api/channels %.2f ms,"
                            + " data directory %.1f MB (clips %.1f MB, %d clips), database %.2f MB, rows %s",
                    name,
                    at.toSeconds() / 86_400.0,
                    heapBytes / 1048576.0,
                    playlistP99Ms,
                    channelsP99Ms,
                    dataBytes / 1048576.0,
                    clipBytes / 1048576.0,
                    clips,
                    databaseBytes / 1048576.0,
                    rows);
        }
    }

    @Test
    void aMonthOnAirKeepsHeapDiskAndDatabaseFlatAndLosesNothing() throws Exception {
        LatentConfig config = config();
        DataLayout layout = new DataLayout(config.dataDir());
        seedLibrary(config);
        long started = System.nanoTime();
        FastClock clock = new FastClock(START, SPEED_UP);
        // every period is clock time: the lookahead's tick, like the config's retention, disk-guard
        // and retry periods, is one a real station could use, and about 70 real ms here
        Station.Options options =
                new Station.Options(0, true, name -> null, Duration.ofMinutes(10)).withTime(clock.stationTime());
        Jobs jobs = new Jobs();
        Checkpoint day1 = null;
        Checkpoint day30;
        Viewer viewer;
        Playout.AiringCounts airings;
        long deleted;
        long bytesDeleted;
        try (Station station = Station.start(config, options)) {
            station.pipeline().addListener(jobs);
            viewer = new Viewer(station.url(), clock);
            viewer.warmUp(); // the JIT compiles the request paths before any figure is taken
            clock.run(); // the month starts once the station is up
            Duration next = SAMPLE_EVERY;
            while (true) {
                clock.sleepUntil(next);
                viewer.sample();
                if (day1 == null && clock.elapsed().compareTo(Duration.ofDays(1)) >= 0) {
                    day1 = checkpoint("day 1", clock, viewer, jobs, station, layout);
                    System.out.println("simulated month: " + day1);
                }
                if (clock.elapsed().compareTo(MONTH) >= 0) {
                    day30 = checkpoint("day 30", clock, viewer, jobs, station, layout);
                    System.out.println("simulated month: " + day30);
                    break;
                }
                // a sample that overran skips the hours it missed: the clock does not wait for the viewer
                next = SAMPLE_EVERY.multipliedBy(clock.elapsed().dividedBy(SAMPLE_EVERY) + 1);
            }
            clock.hold();
            airings = station.playout().airingCounts(CHANNEL);
            deleted = station.retention().clipsDeleted();
            bytesDeleted = station.retention().bytesDeleted();
        }
        List<String> integrity = integrityProblems(layout);
        System.out.printf(
                Locale.ROOT,
                "simulated month: %.2f days in %d s at %dx; %d clips made (%d jobs failed) after %d seeded; airings:"
                        + " %d fresh, %d reruns, %d slates, %d discontinuities; %d clips deleted (%.1f MB);"
                        + " %d playlist samples, %d segments fetched (%d too late to count); %d problems%n",
                clock.elapsed().toSeconds() / 86_400.0,
                Duration.ofNanos(System.nanoTime() - started).toSeconds(),
                SPEED_UP,
                jobs.mastered.get(),
                jobs.failed.get(),
                SEEDED,
                airings.fresh(),
                airings.reruns(),
                airings.slates(),
                viewer.lastDiscontinuitySequence,
                deleted,
                bytesDeleted / 1048576.0,
                viewer.samples,
                viewer.segments,
                viewer.late,
                viewer.problems.size());

        assertThat(viewer.problems)
                .as("the live playlist, every simulated hour")
                .isEmpty();
        assertThat(viewer.samples).as("playlist samples").isGreaterThan((int) (MONTH.toHours() / 2));
        assertThat(integrity)
                .as("rows whose files are missing, files no row names")
                .isEmpty();
        assertThat(jobs.mastered.get()).as("clips made during the month").isPositive();
        assertThat(deleted)
                .as("clips retention deleted: the library turned over")
                .isGreaterThan(jobs.mastered.get());
        assertThat(day30.heapBytes())
                .as("heap after collection at day 30 against day 1")
                .isLessThanOrEqualTo((long) (day1.heapBytes() * 1.10));
        assertThat(airings.slates())
                .as("slates: the channel had nothing to air")
                .isZero();
        for (Map.Entry<String, Long> table : day30.rows().entrySet()) {
            long before = day1.rows().getOrDefault(table.getKey(), 0L);
            assertThat(table.getValue())
                    .as("rows of " + table.getKey() + " at day 30 against day 1 (" + before + ")")
                    .isLessThanOrEqualTo((long) (1.5 * before) + ROWS_SLACK);
        }
        assertThat(day30.databaseBytes())
                .as("the database file at day 30 against day 1")
                .isLessThanOrEqualTo((long) (1.5 * day1.databaseBytes()) + DATABASE_SLACK_BYTES);
        for (Checkpoint c : List.of(day1, day30)) {
            assertThat(c.clipBytes()).as("clips on disk, " + c.name()).isLessThanOrEqualTo(BUDGET_BYTES);
            assertThat(c.dataBytes())
                    .as("the data directory, " + c.name())
                    .isLessThanOrEqualTo(BUDGET_BYTES + BESIDES_BUDGET_BYTES);
        }
    }

    private LatentConfig config() throws IOException {
        String yaml = String.format(
                Locale.ROOT,
                """
                dataDir: data
                server: {host: 127.0.0.1, port: 0}
                pipeline: {maxConcurrentJobs: 1, ffmpegProcesses: 2, maxAttempts: 3, retryBackoffMillis: 2000}
                retention: {maxDiskGb: %.6f, maxAgeDays: %s, minClips: 8, everyMinutes: 60, failedJobsDays: 2}
                diskGuard: {minFreeGb: 0, checkSeconds: 600}
                backends:
                  blend: {type: ffmpeg-interpolate, mode: blend}
                channels:
                  - id: %s
                    title: A Month On Air
                    theme: a lighthouse on a cliff at dusk, waves and gulls
                    lookaheadSeconds: 600
                    format: {width: %d, height: %d, fps: %d, segmentSeconds: %d, audioRate: %d, videoKbps: %d, audioKbps: %d, loudnessLufs: -16}
                    model: {width: 64, height: 64, frames: %d, fps: 1}
                    slowMotion: 8
                    stages: {render: [procedural], interpolate: [blend], upscale: [ffmpeg], score: [procedural]}
                """,
                BUDGET_BYTES / (double) (1L << 30),
                MAX_AGE_DAYS,
                CHANNEL,
                FORMAT.width(),
                FORMAT.height(),
                FORMAT.fps(),
                FORMAT.segmentSeconds(),
                FORMAT.audioRate(),
                FORMAT.videoKbps(),
                FORMAT.audioKbps(),
                CLIP_SECONDS / 8);
        Path file = dir.resolve("latenttv.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file, name -> null);
    }

    /**
     * Fills the library as a station that has been on air a while would have it: {@link #SEEDED}
     * clips in the house format, mastered 6 to 14 days before the month starts (older than the age
     * limit), each with its mastered job, as the pipeline writes them.
     */
    private void seedLibrary(LatentConfig config) throws Exception {
        int frames = CLIP_SECONDS * FORMAT.fps();
        Path made = dir.resolve("seed.mp4");
        Path thumb = dir.resolve("seed.jpg");
        List<String> args = new ArrayList<>(List.of(
                "-f",
                "lavfi",
                "-i",
                "color=c=0x203040:size=" + FORMAT.width() + "x" + FORMAT.height() + ":rate=" + FORMAT.fps(),
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=330:sample_rate=" + FORMAT.audioRate(),
                "-filter_complex",
                "[0:v]trim=end_frame=" + frames + "[v];[1:a]atrim=end_sample=" + FORMAT.samplesFor(frames)
                        + ",aformat=channel_layouts=stereo[a]",
                "-map",
                "[v]",
                "-map",
                "[a]"));
        args.addAll(FORMAT.encoderArguments());
        args.addAll(List.of("-movflags", "+faststart", "-f", "mp4", made.toString()));
        TestMedia.ffmpeg().run(args, Duration.ofMinutes(2), null, null);
        TestMedia.ffmpeg()
                .run(
                        List.of("-i", made.toString(), "-frames:v", "1", thumb.toString()),
                        Duration.ofMinutes(1),
                        null,
                        null);
        // cut as playout cuts a clip on its first airing: they have all aired before the month
        Path cut = new Segmenter(TestMedia.ffmpeg())
                .segment(made, dir.resolve("seed-hls"), FORMAT, frames)
                .dir();

        try (Station station = Station.open(config)) {
            for (int i = 0; i < SEEDED; i++) {
                String id = String.format(Locale.ROOT, "seed-%03d", i);
                Path clipDir = station.layout().clip(CHANNEL, id);
                Files.createDirectories(clipDir);
                Path master = Files.copy(made, clipDir.resolve("master.mp4"));
                Path thumbnail = Files.copy(thumb, clipDir.resolve("thumb.jpg"));
                copyTree(cut, clipDir.resolve("hls"));
                Instant at = START.minus(Duration.ofDays(14))
                        .plus(Duration.ofHours(3).multipliedBy(i));
                ShotPlan plan = new ShotPlan("Seed " + i, "an earlier shot, number " + i, "", i, "", "");
                Clip clip = new Clip(
                        id,
                        id,
                        CHANNEL,
                        plan.title(),
                        plan.prompt(),
                        "",
                        i,
                        "",
                        "test",
                        "{}",
                        frames,
                        FORMAT.fps(),
                        FORMAT.width(),
                        FORMAT.height(),
                        CLIP_SECONDS,
                        -16.0,
                        Files.size(master),
                        master,
                        thumbnail,
                        at,
                        false);
                Stations.insertMastered(station, clip, plan);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    /**
     * The same measures at each checkpoint: a viewer watches until playout's segment cache is full
     * (the clock running), then, with the clock held, the latencies, the heap and the data
     * directory. Latencies and heap are taken while no job synthesises
     * music: that stage holds a clip's whole score in memory (about 150 MB of samples for a
     * {@value #CLIP_SECONDS} s clip) and allocates at a rate that pauses the JVM, so a reading
     * taken during it measures the job in flight, not the station's history.
     */
    private static Checkpoint checkpoint(
            String name, FastClock clock, Viewer viewer, Jobs jobs, Station station, DataLayout layout)
            throws Exception {
        Duration at = clock.elapsed();
        viewer.fillSegmentCache();
        clock.hold();
        try {
            double[] p99 = viewer.latencyP99Ms(jobs);
            long heap = jobs.whileNoneScores(Heap::usedAfterGc);
            return new Checkpoint(
                    name,
                    at,
                    heap,
                    p99[0],
                    p99[1],
                    bytesUnder(layout.root()),
                    bytesUnder(layout.root().resolve("clips")),
                    station.library().count(CHANNEL),
                    Files.size(layout.database()),
                    rows(station.jobs().database()));
        } finally {
            clock.run();
        }
    }

    /** The pipeline's jobs as the test follows them: clips made, jobs failed, and which jobs are synthesising music. */
    private static final class Jobs implements PipelineListener {
        final AtomicInteger mastered = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        private final Map<String, JobState> inFlight = new ConcurrentHashMap<>();
        private final AtomicLong scores = new AtomicLong();

        @Override
        public void changed(ShotJob job) {
            if (job.state() == JobState.MASTERED) {
                mastered.incrementAndGet();
            } else if (job.state() == JobState.FAILED) {
                failed.incrementAndGet();
            }
            if (job.state().terminal()) {
                inFlight.remove(job.id());
            } else if (inFlight.put(job.id(), job.state()) != JobState.SCORE && job.state() == JobState.SCORE) {
                scores.incrementAndGet();
            }
        }

        private boolean scoring() {
            return inFlight.containsValue(JobState.SCORE);
        }

        /** Runs {@code measure} at a moment no job synthesises music from its start to its end. */
        <T> T whileNoneScores(Callable<T> measure) throws Exception {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                while (scoring() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                long before = scores.get();
                T result = measure.call();
                if (!scoring() && scores.get() == before) {
                    return result;
                }
            }
            throw new AssertionError("no moment without music synthesis in two minutes");
        }
    }

    /** The rows of every table of the database, by table. */
    private static Map<String, Long> rows(Database db) throws SQLException {
        return db.read(c -> {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            Map<String, Long> rows = new TreeMap<>();
            for (String table : tables) {
                try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM \"" + table + "\"");
                        ResultSet r = s.executeQuery()) {
                    r.next();
                    rows.put(table, r.getLong(1));
                }
            }
            return rows;
        });
    }

    /** Bytes of the files under {@code root}; files that go while it is walked are skipped. */
    private static long bytesUnder(Path root) throws IOException {
        long[] total = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                total[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    /**
     * After the station stopped: every clip row's files exist, every file of the recent timeline,
     * the recent timeline's airings follow each other with no gap in the media sequence, every clip the programming or a mastered job names has its row, and every clip directory has
     * a row (or a job still making it).
     */
    private static List<String> integrityProblems(DataLayout layout) throws Exception {
        List<String> problems = new ArrayList<>();
        try (Database db = Database.open(layout.database())) {
            ClipLibrary library = new ClipLibrary(db, layout);
            JobStore jobs = new JobStore(db);
            Set<String> rows = new HashSet<>();
            for (Clip clip : library.list(null, Integer.MAX_VALUE)) {
                rows.add(clip.id());
                if (!Files.isRegularFile(clip.master()) || !Files.isRegularFile(clip.thumbnail())) {
                    problems.add("clip " + clip.id() + " has a row but not its files");
                }
            }
            for (String master : strings(
                    db,
                    "SELECT master FROM playout_airing WHERE channel_id = ? ORDER BY first_media_sequence DESC LIMIT "
                            + PlayoutRecords.AIRINGS_KEPT)) {
                // stored relative to the data directory (any node resolves it against its own)
                Path file = Path.of(master).isAbsolute()
                        ? Path.of(master)
                        : layout.root().resolve(master);
                if (!Files.isRegularFile(file)) {
                    problems.add("an airing of the recent timeline names missing " + master);
                }
            }
            List<long[]> timeline = db.read(c -> {
                try (PreparedStatement s =
                        c.prepareStatement("SELECT first_media_sequence, segments FROM playout_airing"
                                + " WHERE channel_id = ? ORDER BY first_media_sequence")) {
                    s.setString(1, CHANNEL);
                    List<long[]> out = new ArrayList<>();
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            out.add(new long[] {r.getLong(1), r.getLong(2)});
                        }
                    }
                    return out;
                }
            });
            for (int i = 1; i < timeline.size(); i++) {
                long end = timeline.get(i - 1)[0] + timeline.get(i - 1)[1];
                if (timeline.get(i)[0] != end) {
                    problems.add("the airing at media sequence " + timeline.get(i)[0] + " does not follow the one"
                            + " ending at " + end);
                }
            }
            for (String id : strings(db, "SELECT clip_id FROM playout_clip WHERE channel_id = ?")) {
                if (!rows.contains(id)) {
                    problems.add("the programming names missing clip " + id);
                }
            }
            for (String id : strings(db, "SELECT id FROM shot_jobs WHERE channel_id = ? AND state = 'MASTERED'")) {
                if (!rows.contains(id)) {
                    problems.add("mastered job " + id + " has no clip");
                }
            }
            List<String> dirs;
            try (Stream<Path> list = Files.list(layout.root().resolve("clips").resolve(CHANNEL))) {
                dirs = list.filter(Files::isDirectory)
                        .map(p -> p.getFileName().toString())
                        .filter(name -> !name.startsWith("."))
                        .toList();
            }
            Map<String, JobState> states = jobs.states(dirs);
            for (String id : dirs) {
                JobState state = states.get(id);
                if (!rows.contains(id) && (state == null || state.terminal())) {
                    problems.add("clip directory " + id + " has no clip row");
                }
            }
        }
        return problems;
    }

    private static List<String> strings(Database db, String sql) throws Exception {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, CHANNEL);
                List<String> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getString(1));
                    }
                }
                return out;
            }
        });
    }

    /** A viewer of the channel: checks the live playlist and its segments, and times requests. */
    private static final class Viewer {
        /**
         * A segment asked for longer than this after its playlist (clock time) may be gone: the
         * station keeps two hours of airings. On a loaded machine one real second is hours here.
         */
        private static final Duration PROMPT = Duration.ofHours(1);

        private final String base;
        private final FastClock clock;
        final List<String> problems = new ArrayList<>();
        int samples;
        long segments;
        long late;
        long lastMediaSequence = -1;
        long lastDiscontinuitySequence = -1;
        private long lastFetchedSequence = -1;

        Viewer(String base, FastClock clock) {
            this.base = base;
            this.clock = clock;
        }

        /** One look at the live playlist: it parses, is never empty, never goes back, and every segment it lists is served. */
        void sample() throws Exception {
            samples++;
            Playlist playlist = playlist();
            if (playlist == null) {
                return;
            }
            for (int i = 0; i < playlist.segments().size(); i++) {
                fetchSegment(playlist, i);
            }
        }

        private Playlist playlist() throws Exception {
            long at = clock.nanos();
            HttpResponse<String> answer = get("/hls/" + CHANNEL + "/live.m3u8", HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                problem("the playlist answered " + answer.statusCode() + ": " + answer.body());
                return null;
            }
            Playlist playlist = Playlist.parse(answer.body(), at);
            if (playlist.targetDuration() != FORMAT.segmentSeconds()) {
                problem("target duration " + playlist.targetDuration() + " in\n" + answer.body());
            }
            if (playlist.segments().isEmpty() || playlist.segments().size() > 6) {
                problem(playlist.segments().size() + " segments in\n" + answer.body());
            }
            if (playlist.mediaSequence() < lastMediaSequence) {
                problem("media sequence went back from " + lastMediaSequence + " in\n" + answer.body());
            }
            if (playlist.discontinuitySequence() < lastDiscontinuitySequence) {
                problem("discontinuity sequence went back from " + lastDiscontinuitySequence + " in\n" + answer.body());
            }
            for (int i = 0; i < playlist.segments().size(); i++) {
                if (!playlist.segments().get(i).equals((playlist.mediaSequence() + i) + ".ts")) {
                    problem("segment " + i + " is not named by its sequence in\n" + answer.body());
                }
            }
            lastMediaSequence = Math.max(lastMediaSequence, playlist.mediaSequence());
            lastDiscontinuitySequence = Math.max(lastDiscontinuitySequence, playlist.discontinuitySequence());
            return playlist;
        }

        /** Fetches segment {@code index} of the playlist; returns its length (0 when it was not served). */
        private long fetchSegment(Playlist playlist, int index) throws Exception {
            String name = playlist.segments().get(index);
            HttpResponse<byte[]> answer = get("/hls/" + CHANNEL + "/" + name, HttpResponse.BodyHandlers.ofByteArray());
            segments++;
            lastFetchedSequence = Math.max(lastFetchedSequence, playlist.mediaSequence() + index);
            byte[] bytes = answer.body();
            if (answer.statusCode() != 200) {
                if (clock.nanos() - playlist.readAtNanos() > PROMPT.toNanos() || replannedSince(playlist, name)) {
                    late++;
                } else {
                    problem("segment " + name + " answered " + answer.statusCode() + ": " + new String(bytes));
                }
                return 0;
            }
            if (bytes.length == 0 || bytes.length % 188 != 0 || bytes[0] != 0x47) {
                problem("segment " + name + " is " + bytes.length + " bytes, not whole TS packets");
            }
            return bytes.length;
        }

        /**
         * Whether the channel's timeline was planned again since {@code playlist} was read (the
         * writer fell more than its lead behind, which at this speed-up a pause of the loaded test
         * machine causes): the playlist now has a later discontinuity or no longer lists the
         * segment, as a player reloading it would see.
         */
        private boolean replannedSince(Playlist playlist, String name) throws Exception {
            HttpResponse<String> again = get("/hls/" + CHANNEL + "/live.m3u8", HttpResponse.BodyHandlers.ofString());
            if (again.statusCode() != 200) {
                return false;
            }
            Playlist now = Playlist.parse(again.body(), clock.nanos());
            return now.discontinuitySequence() > playlist.discontinuitySequence()
                    || !now.segments().contains(name);
        }

        /**
         * Watches the channel (every new segment, as a player would) until more than playout's
         * segment cache holds has been fetched: at both checkpoints the cache is full, as it is
         * minutes after a real audience tunes in.
         */
        void fillSegmentCache() throws Exception {
            long fetched = 0;
            while (fetched < VIEWER_FILL_BYTES) {
                Playlist playlist = playlist();
                if (playlist == null) {
                    return;
                }
                for (int i = 0; i < playlist.segments().size(); i++) {
                    if (playlist.mediaSequence() + i > lastFetchedSequence) {
                        fetched += fetchSegment(playlist, i);
                    }
                }
            }
        }

        /** Requests enough of both kinds that the JIT has compiled their paths before day 1's figures. */
        void warmUp() throws Exception {
            for (int i = 0; i < 1000; i++) {
                get("/hls/" + CHANNEL + "/live.m3u8", HttpResponse.BodyHandlers.discarding());
                get("/api/channels", HttpResponse.BodyHandlers.discarding());
            }
        }

        /**
         * The p99 latency of the live playlist and of {@code /api/channels} (milliseconds, the same
         * interleaved mix each time): the least of {@link #LATENCY_ROUNDS} rounds of
         * {@link #REQUESTS_PER_ROUND} each, since other processes on the machine only ever add.
         */
        double[] latencyP99Ms(Jobs jobs) throws Exception {
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
            for (int round = 0; round < LATENCY_ROUNDS; round++) {
                double[] p99 = jobs.whileNoneScores(this::latencyRound);
                best[0] = Math.min(best[0], p99[0]);
                best[1] = Math.min(best[1], p99[1]);
            }
            return best;
        }

        private double[] latencyRound() throws Exception {
            long[] playlist = new long[REQUESTS_PER_ROUND];
            long[] channels = new long[REQUESTS_PER_ROUND];
            for (int i = 0; i < REQUESTS_PER_ROUND; i++) {
                playlist[i] = timed("/hls/" + CHANNEL + "/live.m3u8");
                channels[i] = timed("/api/channels");
            }
            return new double[] {p99Ms(playlist), p99Ms(channels)};
        }

        private long timed(String path) throws Exception {
            long start = System.nanoTime();
            HttpResponse<Void> answer = get(path, HttpResponse.BodyHandlers.discarding());
            long took = System.nanoTime() - start;
            if (answer.statusCode() != 200) {
                problem(path + " answered " + answer.statusCode());
            }
            return took;
        }

        private static double p99Ms(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.ceil(0.99 * sorted.length) - 1] / 1e6;
        }

        private <T> HttpResponse<T> get(String path, HttpResponse.BodyHandler<T> body) throws Exception {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    body);
        }

        private void problem(String what) {
            if (problems.size() < 50) {
                problems.add(String.format(
                        Locale.ROOT, "at %.2f days: %s", clock.elapsed().toSeconds() / 86_400.0, what));
            }
        }
    }

    /** A live playlist as the viewer reads it. */
    private record Playlist(
            int targetDuration,
            long mediaSequence,
            long discontinuitySequence,
            List<String> segments,
            long readAtNanos) {
        static Playlist parse(String text, long readAtNanos) {
            int target = -1;
            long sequence = -1;
            long discontinuities = 0;
            List<String> segments = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                    target = Integer.parseInt(line.substring("#EXT-X-TARGETDURATION:".length()));
                } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                    sequence = Long.parseLong(line.substring("#EXT-X-MEDIA-SEQUENCE:".length()));
                } else if (line.startsWith("#EXT-X-DISCONTINUITY-SEQUENCE:")) {
                    discontinuities = Long.parseLong(line.substring("#EXT-X-DISCONTINUITY-SEQUENCE:".length()));
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    segments.add(line.strip());
                }
            }
            return new Playlist(target, sequence, discontinuities, List.copyOf(segments), readAtNanos);
        }
    }
}
