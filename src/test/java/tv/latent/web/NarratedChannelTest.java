package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.cli.Main;
import tv.latent.config.LatentConfig;
import tv.latent.library.Clip;
import tv.latent.media.Captions;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;
import tv.latent.testing.TestMedia;
import tv.latent.testing.TestVoices;

/**
 * A narrated channel on the air for 60 s: three clips made by the real pipeline (template
 * director's lines, espeak-ng, the ducked mix, captions), aired by a real station while headless
 * Chromium watches the real watch page and the test records every video and captions segment
 * the station publishes. Then ffprobe reads the master playlist, each cue is found in the aired
 * audio where its X-TIMESTAMP-MAP says it starts, and the browser's cue text follows the picture.
 */
@SlowTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NarratedChannelTest {
    private static final Path TOOLS = Path.of("tools").toAbsolutePath();
    private static final int SECONDS = 60;
    private static final int RATE = 8000;
    private static final long WRAP = 1L << 33;
    private static final Pattern MAP = Pattern.compile("X-TIMESTAMP-MAP=MPEGTS:(\\d+),LOCAL:00:00:00\\.000");

    @TempDir
    static Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    /** Each clip's narration line, by the prompt the watch page shows for it. */
    private final Map<String, Set<String>> linesByPrompt = new HashMap<>();
    /** The segments the station published while on the air, by sequence. */
    private final TreeMap<Long, Path> videoSegments = new TreeMap<>();

    private final TreeMap<Long, String> captionSegments = new TreeMap<>();
    private String probedMaster;
    private String probedMasterLog;
    private String lastSubtitlesPlaylist;
    private JsonNode browser;

    @BeforeAll
    void airForSixtySeconds() throws Exception {
        assertThat(Path.of("/usr/bin/chromium")).as("apt-get install chromium").exists();
        assertThat(TOOLS.resolve("node_modules/playwright-core"))
                .as("cd tools && npm ci")
                .exists();
        Path file = Stations.config(
                dir,
                """
                    narration: {mode: shot, persona: documentary, duckingDb: 12}
                    model: {width: 128, height: 72, frames: 40, fps: 8}
                """);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int code = Main.run(
                new String[] {"generate", "--channel", Stations.CHANNEL, "--count", "3", "--config", file.toString()},
                new PrintStream(printed, true, StandardCharsets.UTF_8),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(code).as(printed.toString(StandardCharsets.UTF_8)).isZero();

        LatentConfig config = Stations.load(file, k -> null);
        try (Station station = Stations.airing(config, k -> null)) {
            List<Clip> clips = station.library().list(Stations.CHANNEL, 10);
            assertThat(clips).hasSize(3);
            for (Clip clip : clips) {
                List<Captions.Cue> cues = Captions.read(clip.master().resolveSibling(Captions.FILE));
                assertThat(cues).as("the captions of %s", clip.id()).isNotEmpty();
                for (Captions.Cue cue : cues) {
                    linesByPrompt
                            .computeIfAbsent(clip.prompt(), p -> new HashSet<>())
                            .add(cue.text());
                }
            }

            String hls = station.url() + "/hls/" + Stations.CHANNEL + "/";
            Path report = dir.resolve("report.json");
            Process node = new ProcessBuilder(
                            "node",
                            TOOLS.resolve("watch-check.js").toString(),
                            station.watchUrl(Stations.CHANNEL),
                            String.valueOf(SECONDS))
                    .redirectOutput(report.toFile())
                    .redirectError(dir.resolve("node.err").toFile())
                    .start();
            java.util.concurrent.CompletableFuture<String> probing = null;
            try {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
                while (System.nanoTime() < end) {
                    record(hls);
                    if (probing == null && videoSegments.size() >= 4) {
                        probing = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                            try {
                                return probeStreams(hls + "master.m3u8");
                            } catch (Exception e) {
                                return e.toString();
                            }
                        });
                    }
                    Thread.sleep(1000);
                }
                record(hls);
                probedMaster = probing == null ? null : probing.get(60, TimeUnit.SECONDS);
                assertThat(node.waitFor(90, TimeUnit.SECONDS))
                        .as("the browser run finished")
                        .isTrue();
            } finally {
                node.destroyForcibly().waitFor();
            }
            browser = new ObjectMapper().readTree(Files.readString(report));
            Files.copy(
                    report,
                    Path.of("target", "narrated-channel.json"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Downloads every segment of the live and subtitles playlists not downloaded yet. */
    private void record(String hls) throws Exception {
        String live = get(hls + "live.m3u8");
        String subs = get(hls + "subs.m3u8");
        lastSubtitlesPlaylist = subs;
        for (String name : segments(live)) {
            long sequence = Long.parseLong(name.substring(0, name.indexOf('.')));
            if (!videoSegments.containsKey(sequence)) {
                Path out = dir.resolve(name);
                Files.write(out, getBytes(hls + name));
                videoSegments.put(sequence, out);
            }
        }
        for (String name : segments(subs)) {
            assertThat(name).endsWith(".vtt");
            long sequence = Long.parseLong(name.substring(0, name.indexOf('.')));
            if (!captionSegments.containsKey(sequence)) {
                String vtt = get(hls + name);
                Files.writeString(dir.resolve(name), vtt);
                captionSegments.put(sequence, vtt);
            }
        }
    }

    private static List<String> segments(String playlist) {
        return playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    private String get(String url) throws Exception {
        return new String(getBytes(url), StandardCharsets.UTF_8);
    }

    private byte[] getBytes(String url) throws Exception {
        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    /** ffprobe's streams of a playlist, as JSON; its warnings are kept in {@link #probedMasterLog}. */
    private String probeStreams(String url, String... more) throws Exception {
        Path out = Files.createTempFile(dir, "probe-", ".json");
        Path log = Files.createTempFile(dir, "probe-", ".log");
        List<String> command = new ArrayList<>(List.of(
                "ffprobe",
                "-v",
                "warning",
                "-of",
                "json",
                "-show_entries",
                "stream=codec_type,codec_name" + String.join("", more)));
        command.add(url);
        Process p = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(log.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("ffprobe did not finish probing " + url);
        }
        probedMasterLog = Files.readString(log);
        return Files.readString(out);
    }

    private static List<String> kinds(JsonNode streams) {
        List<String> kinds = new ArrayList<>();
        streams.forEach(s -> kinds.add(
                s.path("codec_type").asText() + "/" + s.path("codec_name").asText()));
        return kinds;
    }

    @Test
    void ffprobeSeesTheSubtitlesRenditionBesideTheVideoAndReadsItsSegments() throws Exception {
        assertThat(probedMaster).as("probed while on the air").isNotNull();
        List<String> master = kinds(new ObjectMapper().readTree(probedMaster).path("streams"));
        assertThat(master).as(probedMaster).contains("video/h264", "audio/aac");
        // Debian 12's ffmpeg (5.1) reads the rendition from the master playlist but does not demux
        // WebVTT renditions ("Can't support the subtitle(uri: subs.m3u8)"); later ones list the stream
        assertThat(master.contains("subtitle/webvtt") || probedMasterLog.contains("subtitle(uri: subs.m3u8)"))
                .as("ffprobe sees the subtitles rendition: %s %s", master, probedMasterLog)
                .isTrue();

        // the subtitles playlist as last served, closed: a live WebVTT playlist never ends, and
        // ffmpeg's WebVTT reader reads to the end before it lists a cue
        Path closed = Files.writeString(dir.resolve("subs-closed.m3u8"), lastSubtitlesPlaylist + "#EXT-X-ENDLIST\n");
        JsonNode subs = new ObjectMapper().readTree(probeStreams(closed.toString(), ":packet=pts_time"));
        assertThat(kinds(subs.path("streams"))).containsExactly("subtitle/webvtt");
        int listed = 0;
        for (String name : segments(lastSubtitlesPlaylist)) {
            listed += Captions.parse(Files.readString(dir.resolve(name))).size();
        }
        assertThat(subs.path("packets").size())
                .as("a packet per cue")
                .isEqualTo(listed)
                .isPositive();

        // ffmpeg reads each captions segment: a packet per cue, at its time after the segment's zero
        int cues = 0;
        for (var segment : captionSegments.entrySet()) {
            Path vtt = dir.resolve(segment.getKey() + ".vtt");
            List<Captions.Cue> written = Captions.parse(segment.getValue());
            List<String> packets = TestMedia.packets(vtt.toString(), "packet=pts_time")
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
            assertThat(packets).as(segment.getValue()).hasSameSizeAs(written);
            for (int i = 0; i < packets.size(); i++) {
                assertThat(Double.parseDouble(packets.get(i).replace(",", "")))
                        .isCloseTo(written.get(i).start(), within(0.001));
            }
            cues += written.size();
        }
        assertThat(cues).isGreaterThanOrEqualTo(10);
        assertThat(captionSegments.keySet())
                .as("every video segment has its captions segment")
                .containsAll(videoSegments.keySet());
    }

    @Test
    void eachCueStartsWithinATenthOfASecondOfItsVoiceInTheAiredAudio() throws Exception {
        // the aired audio on the channel's clock: each segment decoded and placed at its own PTS
        long base = firstAudioPts(videoSegments.firstEntry().getValue());
        Map<Long, float[]> decoded = new HashMap<>();
        Map<Long, Long> at = new HashMap<>();
        int length = 0;
        for (var segment : videoSegments.entrySet()) {
            float[] samples = TestVoices.mono(segment.getValue(), RATE, "highpass=f=300:p=2", "highpass=f=300:p=2");
            long offset = Math.floorMod(firstAudioPts(segment.getValue()) - base, WRAP) * RATE / 90_000;
            decoded.put(segment.getKey(), samples);
            at.put(segment.getKey(), offset);
            length = (int) Math.max(length, offset + samples.length);
        }
        float[] aired = new float[length];
        for (var e : decoded.entrySet()) {
            float[] samples = e.getValue();
            int from = (int) (long) at.get(e.getKey());
            System.arraycopy(samples, 0, aired, from, Math.min(samples.length, aired.length - from));
        }

        // the cues on the same clock: each captions segment's cues moved by its X-TIMESTAMP-MAP; a
        // line that runs on into the next segment continues there from 0
        List<Captions.Cue> onsets = new ArrayList<>();
        Captions.Cue running = null;
        long first = captionSegments.firstKey();
        for (var segment : captionSegments.entrySet()) {
            Matcher map = MAP.matcher(segment.getValue());
            assertThat(map.find()).as(segment.getValue()).isTrue();
            double zero = Math.floorMod(Long.parseLong(map.group(1)) - base, WRAP) / 90_000.0;
            for (Captions.Cue cue : Captions.parse(segment.getValue())) {
                boolean continues = running != null
                        && running.text().equals(cue.text())
                        && Math.abs(running.end() - (zero + cue.start())) < 0.002;
                boolean seenFromItsStart = segment.getKey() > first || cue.start() > 0.001;
                if (!continues && seenFromItsStart) {
                    onsets.add(new Captions.Cue(zero + cue.start(), zero + cue.end(), cue.text()));
                }
                running = new Captions.Cue(zero + cue.start(), zero + cue.end(), cue.text());
            }
        }
        onsets.sort(Comparator.comparingDouble(Captions.Cue::start));
        double airedSeconds = (double) aired.length / RATE;
        int checked = 0;
        // what was measured, for the record: cue start, voice heard, difference (seconds), line
        StringBuilder measured = new StringBuilder();
        for (Captions.Cue cue : onsets) {
            if (cue.start() + 3 > airedSeconds) {
                continue; // its voice runs past what was recorded
            }
            Path reference = Files.write(dir.resolve("said-" + checked + ".wav"), TestVoices.espeak(cue.text()));
            float[] said = TestVoices.mono(reference, RATE, "highpass=f=300:p=2", "highpass=f=300:p=2");
            double heard = TestVoices.offsetOf(said, aired, RATE, cue.start() - 1, cue.start() + 1);
            measured.append(String.format(
                    Locale.ROOT, "%.3f\t%.3f\t%+.3f\t%s%n", cue.start(), heard, heard - cue.start(), cue.text()));
            assertThat(heard)
                    .as("where \"%s\" is heard; its cue starts at %.3f s", cue.text(), cue.start())
                    .isCloseTo(cue.start(), within(0.1));
            checked++;
        }
        Files.writeString(Path.of("target", "narrated-channel-onsets.tsv"), measured);
        assertThat(checked).as("lines checked of " + onsets).isGreaterThanOrEqualTo(6);
    }

    private static long firstAudioPts(Path ts) throws Exception {
        String pts = TestMedia.packets(ts.toString(), "packet=pts", "-select_streams", "a:0", "-read_intervals", "%+#1")
                .lines()
                .map(String::strip)
                .map(l -> l.replace(",", ""))
                .filter(l -> l.matches("\\d+"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no audio packet in " + ts));
        return Long.parseLong(pts);
    }

    @Test
    void chromiumShowsTheCaptionsOnByDefaultAndTheirTextChangesWithThePicture() {
        assertThat(browser.has("fatal")).as(browser.path("fatal").asText()).isFalse();
        List<JsonNode> samples = new ArrayList<>();
        browser.get("samples").forEach(samples::add);
        assertThat(samples.getLast().path("cc").path("shown").asBoolean())
                .as("the CC button is offered")
                .isTrue();
        assertThat(samples.getLast().path("cc").path("pressed").asText()).isEqualTo("true");

        int shown = 0;
        for (int i = 0; i < samples.size(); i++) {
            String cue = samples.get(i).path("cue").asText();
            if (cue.isEmpty()) {
                continue;
            }
            // the cue belongs to the clip on the picture (sampled every 500 ms: a neighbour's at a join)
            Set<String> prompts = new HashSet<>();
            for (int j = Math.max(0, i - 1); j <= Math.min(samples.size() - 1, i + 1); j++) {
                prompts.add(samples.get(j).path("prompt").asText());
            }
            assertThat(prompts.stream()
                            .anyMatch(
                                    p -> linesByPrompt.getOrDefault(p, Set.of()).contains(cue)))
                    .as("cue \"%s\" while %s is on the picture (lines %s)", cue, prompts, linesByPrompt)
                    .isTrue();
            shown++;
        }
        List<String> changes = new ArrayList<>();
        browser.get("cues").forEach(c -> changes.add(c.path("cue").asText()));
        assertThat(changes.stream().filter(c -> !c.isEmpty()).count())
                .as("cue text changes " + changes)
                .isGreaterThanOrEqualTo(6);
        assertThat(shown).isGreaterThanOrEqualTo(20);
    }
}
