package tv.latent.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tv.latent.audience.Audience;
import tv.latent.audience.Reply;
import tv.latent.audience.SuggestionState;
import tv.latent.audience.SuggestionView;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.director.ShotPlan;
import tv.latent.library.Clip;
import tv.latent.library.DataLayout;
import tv.latent.media.HouseFormat;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.ShotJob;
import tv.latent.playout.AirableClip;
import tv.latent.station.Station;

/**
 * Viewer prompt to first segment on air, on a whole station with the embedded engines (the demo
 * channel's settings: 1024×576 house format, Zeroscope-size renders, mci interpolation): one
 * suggestion at a time, each from a new viewer, timed from the call to {@code suggest} to the
 * start of its clip's airing (when its first segment is in the live playlist). Two runs:
 *
 * <ol>
 *   <li><b>lookahead full</b>: the channel has far more fresh clips waiting than its lookahead
 *       asks for, so the pipeline makes nothing but the viewers' shots, which must jump the queue
 *       of waiting clips;
 *   <li><b>lookahead filling</b>: the channel's buffer is below its lookahead, so the pipeline is
 *       busy with the lookahead's shots (every job slot taken) when each viewer's shot arrives.
 * </ol>
 *
 * <p>Run: {@code bench/viewer-shot.sh [suggestions]} (default 20).
 */
public final class ViewerShotBench {
    private ViewerShotBench() {}

    private static final String CHANNEL = "demo";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    public static void main(String[] args) throws Exception {
        int suggestions = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path root = Files.createTempDirectory("latenttv-viewer-bench");
        System.out.printf(
                Locale.ROOT,
                "machine: %d cores, load average %.2f; %d suggestions per run%n",
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage(),
                suggestions);
        List<Sample> full = run(root.resolve("full"), 10, 200, suggestions);
        List<Sample> filling = run(root.resolve("filling"), 600, 0, suggestions);
        System.out.println();
        System.out.println("| run | suggestions | prompt → first segment on air, median | p95 | max "
                + "| of which making (median) | waiting to air (median) |");
        System.out.println("|---|---|---|---|---|---|---|");
        row("lookahead full (backlog of fresh clips, pipeline otherwise idle)", full);
        row("lookahead filling (pipeline busy with the lookahead's shots)", filling);
    }

    /** One suggestion's times, in seconds from the call to suggest. */
    private record Sample(double onAir, double making, double waiting) {}

    private static List<Sample> run(Path dir, int lookaheadSeconds, int backlog, int suggestions) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("latenttv.yaml");
        Files.writeString(
                file,
                """
                dataDir: data
                server: {host: 127.0.0.1, port: 0}
                audience: {perChannelPerMinute: 1000, suggestEverySeconds: 0}
                channels:
                  - id: demo
                    title: LatentTV Demo
                    theme: wildlife at golden hour, a red fox and a brown bear by a misty river
                    style: [cinematic, 35mm film]
                    musicMood: calm ambient
                    lookaheadSeconds: %d
                """
                        .formatted(lookaheadSeconds));
        LatentConfig config = ConfigLoader.load(file, name -> null);
        if (backlog > 0) {
            fill(config, backlog);
        }
        List<Sample> samples = new ArrayList<>();
        try (Station station =
                Station.start(config, new Station.Options(0, true, name -> null, Duration.ofSeconds(1)))) {
            Audience audience = station.audience().orElseThrow();
            if (backlog == 0) {
                awaitBusy(station);
            }
            for (int i = 0; i < suggestions; i++) {
                samples.add(one(station, audience, i));
                System.out.printf(
                        Locale.ROOT,
                        "  %s #%d: on air after %.1f s (making %.1f s, waiting %.1f s); %d shots of the lookahead in the making%n",
                        backlog > 0 ? "full" : "filling",
                        i + 1,
                        samples.getLast().onAir(),
                        samples.getLast().making(),
                        samples.getLast().waiting(),
                        station.jobs().unfinished(CHANNEL));
            }
        }
        return samples;
    }

    /** Waits until every job slot is taken by the lookahead's shots. */
    private static void awaitBusy(Station station) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (station.jobs().unfinished(CHANNEL) < station.pipeline().maxConcurrentJobs()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the lookahead never filled the pipeline");
            }
            Thread.sleep(200);
        }
    }

    private static Sample one(Station station, Audience audience, int i) throws Exception {
        String text = IDEAS[i % IDEAS.length] + ", take " + (i + 1);
        Instant asked = Instant.now();
        Reply reply = audience.suggest(CHANNEL, "bench-viewer-" + i, "10.9.0." + (i % 250), "Viewer " + i, text);
        if (!(reply instanceof Reply.Accepted accepted)) {
            throw new IllegalStateException("refused: " + reply.message());
        }
        long number = accepted.suggestion().number();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Optional<Instant> start = Optional.empty();
        ShotJob job = null;
        while (true) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("suggestion " + number + " not on air within " + TIMEOUT);
            }
            SuggestionView view = audience.suggestion(CHANNEL, number).orElseThrow();
            if (view.state().finished() && view.state() != SuggestionState.AIRED) {
                throw new IllegalStateException("suggestion " + number + " ended " + view.status());
            }
            if (job == null && view.state() != SuggestionState.QUEUED) {
                job = station.jobs().list(CHANNEL, 200).stream()
                        .filter(j -> j.priority() == ShotJob.AHEAD
                                && j.plan().prompt().contains(text))
                        .findFirst()
                        .orElse(null);
            }
            if (job != null && start.isEmpty()) {
                start = station.playout().scheduledStart(CHANNEL, job.id());
            }
            if (start.isPresent() && !start.get().isAfter(Instant.now())) {
                break;
            }
            Thread.sleep(50);
        }
        ShotJob made = station.jobs().find(job.id()).orElseThrow();
        Instant mastered = made.state() == JobState.MASTERED ? made.updatedAt() : start.get();
        return new Sample(seconds(asked, start.get()), seconds(asked, mastered), seconds(mastered, start.get()));
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    /** {@code count} fresh clips in the channel's house format, in the library before the station starts. */
    private static void fill(LatentConfig config, int count) throws Exception {
        HouseFormat format = config.channels().getFirst().format();
        int frames = format.joinUnitFrames();
        Path made = config.dataDir().resolveSibling("backlog-source");
        AirableClip source = BenchSupport.clips(made, format, CHANNEL, frames).getFirst();
        try (Station station = Station.open(config)) {
            DataLayout layout = station.layout();
            Instant base = Instant.now().minus(Duration.ofHours(1));
            for (int i = 0; i < count; i++) {
                String id = String.format(Locale.ROOT, "backlog-%03d", i);
                Path dir = layout.clip(CHANNEL, id);
                Files.createDirectories(dir);
                Path master = dir.resolve("master.mp4");
                Files.copy(source.master(), master);
                Path thumb = dir.resolve("thumb.jpg");
                Files.write(thumb, new byte[0]);
                Instant at = base.plusSeconds(i);
                Clip clip = new Clip(
                        id,
                        id,
                        CHANNEL,
                        "Backlog " + i,
                        "a waiting clip " + i,
                        "",
                        i,
                        "",
                        "bench",
                        "{}",
                        frames,
                        format.fps(),
                        format.width(),
                        format.height(),
                        format.secondsFor(frames),
                        -16.0,
                        Files.size(master),
                        master,
                        thumb,
                        at,
                        false);
                station.jobs()
                        .insert(List.of(new ShotJob(
                                id,
                                CHANNEL,
                                new ShotPlan(clip.title(), clip.prompt(), "", i, "", ""),
                                "bench",
                                "",
                                JobState.order(true),
                                JobState.MASTERED,
                                0,
                                at,
                                "",
                                Map.of(),
                                0,
                                at,
                                at)));
                station.jobs().database().write(c -> {
                    station.library().insert(c, clip);
                    return null;
                });
            }
        }
    }

    private static void row(String name, List<Sample> samples) {
        System.out.printf(
                Locale.ROOT,
                "| %s | %d | %.1f s | %.1f s | %.1f s | %.1f s | %.1f s |%n",
                name,
                samples.size(),
                percentile(samples.stream().map(Sample::onAir).toList(), 50),
                percentile(samples.stream().map(Sample::onAir).toList(), 95),
                percentile(samples.stream().map(Sample::onAir).toList(), 100),
                percentile(samples.stream().map(Sample::making).toList(), 50),
                percentile(samples.stream().map(Sample::waiting).toList(), 50));
    }

    /** Nearest-rank percentile. */
    static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static final String[] IDEAS = {
        "a purple whale singing opera",
        "a lighthouse made of candy",
        "two otters holding hands",
        "a red fox juggling glowing lanterns",
        "a glass city under the sea",
        "a heron fishing in the rain",
        "a paper boat on a rushing river",
        "a snow owl reading a tiny book",
        "a hot air balloon over lavender fields",
        "a bear cub chasing fireflies"
    };
}
