package tv.latent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.a1111.FakeA1111Server;
import tv.latent.library.Database;
import tv.latent.testing.PostgresServer;
import tv.latent.testing.S3Server;
import tv.latent.testing.SlowTest;
import tv.latent.testing.TestMedia;

/**
 * Three real LatentTV processes on one PostgreSQL database and one S3 bucket (S3Proxy), rendering
 * through one fake A1111 server that records its calls. The node that writes the channel's
 * timeline is killed with SIGKILL while it holds jobs mid-render: its jobs finish on the others,
 * each render is paid once (twice only for what the dead node was rendering), the channel's
 * writer moves to a survivor, and polling every node through the kill sees no media sequence go
 * back, no listed segment missing and the same playlist everywhere, though one node's wall clock
 * is five minutes slow (libfaketime). A fourth node started on an empty data directory then
 * serves the channel from the bucket, byte for byte.
 */
@SlowTest
class ClusterKillNineTest {
    private static final Pattern WATCH = Pattern.compile("Watch: (http://127\\.0\\.0\\.1:\\d+)/watch/tv");
    private static final Pattern SEQUENCE = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)");
    private static final Pattern DISCONTINUITIES = Pattern.compile("#EXT-X-DISCONTINUITY-SEQUENCE:(\\d+)");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    /** One LatentTV node: its process, its log, its pid and its web address. */
    private record Node(String name, Process process, Path log, String base) {
        long pid() {
            return process.pid();
        }
    }

    /** An A1111 text-to-video server taking 1.5 s a render: long enough that a node dies holding jobs mid-render. */
    private static FakeA1111Server slowRenderer() {
        return FakeA1111Server.builder()
                .video(TestMedia.mp4(256, 144, 24, 8))
                .misbehave(FakeA1111Server.Misbehaviour.SLOW)
                .delay(Duration.ofMillis(1500))
                .start();
    }

    /** Render calls the server received, by prompt. */
    private static Map<String, Integer> renders(FakeA1111Server renderer) {
        Map<String, Integer> out = new HashMap<>();
        for (FakeA1111Server.RecordedRun run : renderer.runs()) {
            out.merge(run.param("prompt"), 1, Integer::sum);
        }
        return out;
    }

    private Path config(String name, Database.Postgres db, String bucket, URI endpoint, URI renderer) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Path file = home.resolve("latenttv.yaml");
        Files.writeString(
                file,
                """
        dataDir: data
        server: {host: 127.0.0.1, port: 0}
        pipeline: {maxConcurrentJobs: 2}
        database: {url: '%s', userEnv: PG_USER, passwordEnv: PG_PASSWORD, leaseSeconds: 6}
        storage: {bucket: %s, endpoint: '%s', accessKeyEnv: S3_ACCESS, secretKeyEnv: S3_SECRET, cacheGb: 1}
        backends:
          renderer: {type: a1111-render, url: '%s', timeoutSeconds: 60, retries: 0}
        channels:
          - id: tv
            title: Test Channel
            theme: a red fox by a misty river
            lookaheadSeconds: 600
            format: {width: 256, height: 144, fps: 24, segmentSeconds: 2, audioRate: 48000, videoKbps: 300, audioKbps: 64, loudnessLufs: -16}
            model: {width: 256, height: 144, frames: 24, fps: 8}
            stages: {render: [renderer]}
        """
                        .formatted(db.url(), bucket, endpoint, renderer));
        return file;
    }

    private Process launch(Path config, String... extra) throws Exception {
        return launch(config, Map.of(), extra);
    }

    /** libfaketime, which sets a process's wall clock off (its monotonic clock stays true). */
    private static final Path FAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");

    /** The environment of a process whose wall clock runs {@code offset} (such as "-5m") off this machine's. */
    private static Map<String, String> clockOff(String offset) {
        assertThat(FAKETIME).as("apt-get install libfaketime").exists();
        return Map.of("LD_PRELOAD", FAKETIME.toString(), "FAKETIME", offset, "FAKETIME_DONT_FAKE_MONOTONIC", "1");
    }

    private Process launch(Path config, Map<String, String> env, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("serve", "--port", "0"));
        args.addAll(List.of(extra));
        Path log = config.getParent().resolve("latenttv.log");
        ProcessBuilder builder = LatentTvProcess.builder(config, log, args.toArray(String[]::new))
                .directory(config.getParent().toFile());
        builder.environment().put("PG_USER", PostgresServer.USER);
        builder.environment().put("PG_PASSWORD", PostgresServer.PASSWORD);
        builder.environment().put("S3_ACCESS", S3Server.ACCESS_KEY);
        builder.environment().put("S3_SECRET", S3Server.SECRET_KEY);
        builder.environment().putAll(env);
        Process p = builder.start();
        started.add(p);
        return p;
    }

    /** The node once it says where it listens (a loaded machine may take minutes to start three JVMs). */
    private static Node ready(String name, Path config, Process process) throws Exception {
        Path log = config.getParent().resolve("latenttv.log");
        return new Node(name, process, log, baseUrl(log));
    }

    private static String baseUrl(Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                Matcher m = WATCH.matcher(Files.readString(log));
                if (m.find()) {
                    return m.group(1);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no watch URL in " + log + ":\n" + Files.readString(log));
    }

    private static HttpResponse<byte[]> get(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String playlist(Node node) throws Exception {
        HttpResponse<byte[]> r = get(node.base() + "/hls/tv/live.m3u8");
        assertThat(r.statusCode())
                .as(node.name() + " answers the playlist (see " + node.log() + ")")
                .isEqualTo(200);
        return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long sequence(String playlist) {
        Matcher m = SEQUENCE.matcher(playlist);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * A playlist's segments, each with what it says of it: its length and whether a break comes
     * before it, then its date when it carries one (the first one listed always does).
     */
    private static Map<String, String[]> entries(String playlist) {
        Map<String, String[]> out = new java.util.LinkedHashMap<>();
        StringBuilder tags = new StringBuilder();
        String date = null;
        for (String line : playlist.lines().toList()) {
            if (line.startsWith("#EXTINF") || line.equals("#EXT-X-DISCONTINUITY")) {
                tags.append(line).append('\n');
            } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME")) {
                date = line;
            } else if (!line.isBlank() && !line.startsWith("#")) {
                out.put(line, new String[] {tags.toString(), date});
                tags.setLength(0);
                date = null;
            }
        }
        return out;
    }

    private static List<String> segments(String playlist) {
        return playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    /** Who holds the channel's writer lock: the pid in the application name of the session holding it. */
    private static long writerPid(Connection c) throws Exception {
        try (PreparedStatement s = c.prepareStatement(
                        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                                + " WHERE l.locktype = 'advisory' AND l.granted");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                String name = r.getString(1);
                if (name != null && name.startsWith("latenttv-")) {
                    return Long.parseLong(name.substring("latenttv-".length()));
                }
            }
        }
        return -1;
    }

    /** The nodes holding a job's lease now. */
    private static Set<String> leaseOwners(Connection c) throws Exception {
        Set<String> out = new HashSet<>();
        try (PreparedStatement s =
                        c.prepareStatement("SELECT DISTINCT lease_owner FROM shot_jobs WHERE lease_owner IS NOT NULL");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    /** Jobs leased by the process {@code pid} and still in a stage, by id, with their state. */
    private static Map<String, String> leasedBy(Connection c, long pid) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, state, lease_owner FROM shot_jobs"
                        + " WHERE lease_owner IS NOT NULL AND lease_expires > now()"
                        + " AND state NOT IN ('MASTERED', 'FAILED')");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                if (r.getString(3).contains("-" + pid + "-")) {
                    out.put(r.getString(1), r.getString(2));
                }
            }
        }
        return out;
    }

    /** Every job: id → state and prompt. */
    private static Map<String, String[]> jobs(Connection c) throws Exception {
        Map<String, String[]> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, state, prompt FROM shot_jobs");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.put(r.getString(1), new String[] {r.getString(2), r.getString(3)});
            }
        }
        return out;
    }

    private static String logs(List<Node> nodes) throws Exception {
        StringBuilder out = new StringBuilder();
        for (Node node : nodes) {
            List<String> lines = Files.readAllLines(node.log());
            out.append("--- ").append(node.name()).append(" (last lines)\n");
            lines.subList(Math.max(0, lines.size() - 25), lines.size())
                    .forEach(l -> out.append(l).append('\n'));
        }
        return out.toString();
    }

    /** Polls every node once: playlists the same, sequences never back, every listed segment served. */
    private final class Watcher {
        final Map<String, Long> last = new HashMap<>();
        /** The most discontinuities any node's playlist has shown so far (those in it, and those gone from it). */
        long breaks;

        int compared;

        void poll(List<Node> nodes) throws Exception {
            List<String> lists = new ArrayList<>();
            for (Node node : nodes) {
                String list = playlist(node);
                long seq = sequence(list);
                assertThat(seq)
                        .as(node.name() + "'s media sequence never goes back")
                        .isGreaterThanOrEqualTo(last.getOrDefault(node.name(), -1L));
                last.put(node.name(), seq);
                lists.add(list);
                Matcher gone = DISCONTINUITIES.matcher(list);
                long shown = list.lines().filter("#EXT-X-DISCONTINUITY"::equals).count();
                breaks = Math.max(breaks, (gone.find() ? Long.parseLong(gone.group(1)) : 0) + shown);
            }
            // Every segment two nodes both list, they list alike (length, date, break): one
            // timeline. Their live edges may be a segment apart when a poll falls on a segment's
            // start: each node counts "now" on its own monotonic clock from the database's time,
            // and they agree within milliseconds, not exactly.
            Map<String, String[]> first = entries(lists.getFirst());
            boolean same = true;
            for (int i = 1; i < lists.size(); i++) {
                String where = nodes.get(i).name() + "'s playlist\n" + lists.get(i) + "\nagainst "
                        + nodes.getFirst().name() + "'s\n" + lists.getFirst();
                for (Map.Entry<String, String[]> e : entries(lists.get(i)).entrySet()) {
                    String[] theirs = first.get(e.getKey());
                    if (theirs == null) {
                        continue;
                    }
                    assertThat(e.getValue()[0]).as(e.getKey() + " in " + where).isEqualTo(theirs[0]);
                    if (e.getValue()[1] != null && theirs[1] != null) {
                        assertThat(e.getValue()[1])
                                .as(e.getKey() + "'s date in " + where)
                                .isEqualTo(theirs[1]);
                    }
                }
                same &= lists.get(i).equals(lists.getFirst());
            }
            compared += same ? 1 : 0;
            for (int i = 0; i < nodes.size(); i++) {
                List<String> names = segments(lists.get(i));
                String newest = names.getLast();
                HttpResponse<byte[]> r = get(nodes.get(i).base() + "/hls/tv/" + newest);
                assertThat(r.statusCode())
                        .as(nodes.get(i).name() + " serves " + newest + " (see "
                                + nodes.get(i).log() + ")")
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void killNineOfTheWriterMidRenderMovesItsJobsAndItsChannelAndAnEmptyNodeServesFromTheBucket() throws Exception {
        Database.Postgres db = PostgresServer.shared().newDatabase();
        S3Server s3 = S3Server.start();
        servers.add(s3);
        var bucket = s3.newBucket();
        FakeA1111Server renderer = slowRenderer();
        servers.add(renderer);

        List<String> names = List.of("node-1", "node-2", "node-3");
        List<Path> configs = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        for (String name : names) {
            configs.add(config(name, db, bucket.bucket(), s3.endpoint(), renderer.baseUri()));
            // node-3's wall clock is five minutes slow: it must keep the cluster's (the database's)
            // time, or its playlists would differ from the others' and its leases would outlive them
            processes.add(launch(configs.getLast(), name.equals("node-3") ? clockOff("-5m") : Map.of()));
        }
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            nodes.add(ready(names.get(i), configs.get(i), processes.get(i)));
        }
        assertThat(Files.readString(nodes.get(2).log()))
                .as("node-3 says its clock is off, and that it keeps the database's time")
                .containsPattern("this machine's clock is -?\\d+ ms off the database's");
        Watcher watcher = new Watcher();
        try (Connection c = DriverManager.getConnection(db.url(), PostgresServer.USER, PostgresServer.PASSWORD)) {
            // the channel airs from clips the cluster made, and the writer holds jobs mid-render
            Node victim = null;
            Map<String, String> interrupted = Map.of();
            // which nodes held jobs, seen at every poll (a lease is given back when its stage is done)
            Set<String> spreadOver = new HashSet<>();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            String seen = "";
            while (System.nanoTime() < deadline) {
                watcher.poll(nodes);
                spreadOver.addAll(leaseOwners(c));
                long writer = writerPid(c);
                Map<String, String[]> now = jobs(c);
                long mastered = now.values().stream()
                        .filter(j -> j[0].equals("MASTERED"))
                        .count();
                Map<String, String> held = writer > 0 ? leasedBy(c, writer) : Map.of();
                seen = "writer pid " + writer + ", nodes "
                        + nodes.stream().map(Node::pid).toList() + ", "
                        + now.size() + " jobs, " + mastered + " mastered, held by the writer " + held + ", states "
                        + now.values().stream().map(j -> j[0]).toList();
                if (mastered >= 3 && held.containsValue("RENDER")) {
                    victim = nodes.stream()
                            .filter(n -> n.pid() == writer)
                            .findFirst()
                            .orElseThrow();
                    interrupted = held;
                    break;
                }
                Thread.sleep(300);
            }
            assertThat(victim)
                    .as("the writer held jobs mid-render after 3 clips were made")
                    .isNotNull();
            spreadOver.addAll(leaseOwners(c));

            long breaksBefore = watcher.breaks;
            victim.process().destroyForcibly(); // SIGKILL
            long killed = System.nanoTime();
            victim.process().waitFor(30, TimeUnit.SECONDS);
            nodes.remove(victim);
            // what it held when it died: its leases outlive it (until they lapse), and it may have
            // taken another job since the look above
            Map<String, String> lastHeld = new HashMap<>(interrupted);
            lastHeld.putAll(leasedBy(c, victim.pid()));
            interrupted = lastHeld;

            long newWriter = -1;
            long writerAfterMs = -1;
            long before = watcher.last.get(nodes.getFirst().name());
            while (System.nanoTime() - killed < TimeUnit.MINUTES.toNanos(2)) {
                watcher.poll(nodes);
                if (newWriter < 0 && writerPid(c) > 0) {
                    newWriter = writerPid(c);
                    writerAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                }
                if (newWriter > 0 && watcher.last.get(nodes.getFirst().name()) >= before + 3) {
                    break;
                }
                Thread.sleep(300);
            }
            long airsOnMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.out.printf(
                    "FAILOVER writer lock taken %d ms after kill -9; sequence +3 after %d ms%n",
                    writerAfterMs, airsOnMs);
            assertThat(watcher.breaks)
                    .as("discontinuities: the new writer found the next airings decided, and went on from them")
                    .isEqualTo(breaksBefore);
            long survivor = newWriter;
            assertThat(nodes).as("a surviving node writes the channel now").anyMatch(n -> n.pid() == survivor);
            assertThat(watcher.last.get(nodes.getFirst().name()))
                    .as("the channel airs on after the kill")
                    .isGreaterThanOrEqualTo(before + 3);

            // the dead node's jobs finish elsewhere
            long jobsDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            Map<String, String[]> all = jobs(c);
            while (System.nanoTime() < jobsDeadline
                    && !interrupted.keySet().stream().allMatch(id -> all.get(id)[0].equals("MASTERED"))) {
                watcher.poll(nodes);
                spreadOver.addAll(leaseOwners(c));
                Thread.sleep(500);
                all.putAll(jobs(c));
            }
            for (String id : interrupted.keySet()) {
                assertThat(all.get(id)[0])
                        .as("job " + id + " of the killed node")
                        .isEqualTo("MASTERED");
            }
            assertThat(all.values()).as("no job failed").noneMatch(j -> j[0].equals("FAILED"));

            // every mastered clip paid its render once, but for what the dead node was rendering
            Map<String, Integer> masteredByKey = new HashMap<>();
            Map<String, Integer> allowedByKey = new HashMap<>();
            for (Map.Entry<String, String[]> job : all.entrySet()) {
                String key = job.getValue()[1];
                if (job.getValue()[0].equals("MASTERED")) {
                    masteredByKey.merge(key, 1, Integer::sum);
                    allowedByKey.merge(key, 1, Integer::sum);
                }
                if ("RENDER".equals(interrupted.get(job.getKey()))) {
                    allowedByKey.merge(key, 1, Integer::sum);
                }
            }
            Map<String, Integer> renders = renders(renderer);
            for (Map.Entry<String, Integer> mastered : masteredByKey.entrySet()) {
                int paid = renders.getOrDefault(mastered.getKey(), 0);
                assertThat(paid)
                        .as("renders of " + mastered.getKey())
                        .isBetween(mastered.getValue(), allowedByKey.get(mastered.getKey()));
            }
            try (PreparedStatement s = c.prepareStatement(
                            "SELECT count(*), count(DISTINCT job_id) FROM clips WHERE channel_id = 'tv'");
                    ResultSet r = s.executeQuery()) {
                r.next();
                assertThat(r.getLong(1)).as("one clip per job").isEqualTo(r.getLong(2));
            }
            assertThat(spreadOver).as("jobs spread over the nodes").hasSizeGreaterThanOrEqualTo(2);
            assertThat(watcher.compared)
                    .as("polls that compared the nodes' playlists")
                    .isGreaterThan(5);

            // a node with an empty disk serves the channel from the bucket
            Path emptyConfig = config("node-4", db, bucket.bucket(), s3.endpoint(), renderer.baseUri());
            Node empty = ready("node-4", emptyConfig, launch(emptyConfig, "--no-generate"));
            Node other = nodes.getFirst();
            int same = 0;
            for (int i = 0; i < 20 && same < 3; i++) {
                String a = playlist(other);
                String b = playlist(empty);
                if (a.equals(playlist(other)) && a.equals(b)) {
                    String segment = segments(b).getFirst();
                    byte[] fromEmpty = get(empty.base() + "/hls/tv/" + segment).body();
                    byte[] fromOther = get(other.base() + "/hls/tv/" + segment).body();
                    assertThat(fromEmpty).as(segment + " from the empty node").isEqualTo(fromOther);
                    same++;
                }
                Thread.sleep(500);
            }
            assertThat(same)
                    .as("the empty node's playlist and segments matched another node's")
                    .isEqualTo(3);
        }
    }
}
