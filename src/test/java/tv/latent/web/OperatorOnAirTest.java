package tv.latent.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.auth.Auth;
import tv.latent.config.LatentConfig;
import tv.latent.library.Clip;
import tv.latent.playout.NowPlaying;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;

/**
 * An operator acts on what airs, through the console's routes: a clip taken off air leaves the
 * viewer's player (hls.js on the watch page, in headless Chromium) long before it would have
 * ended, and playback goes on; on a channel that reviews clips, a new clip waits until it is
 * approved, then airs.
 */
@SlowTest
class OperatorOnAirTest {
    private static final Path TOOLS = Path.of("tools").toAbsolutePath();
    /** Clips of about 29 s: one taken off air mid-way is seen to go well before its end. */
    private static final int FRAMES = 704; // a multiple of 64 frames (the join unit), about 29 s

    @TempDir
    Path dir;

    @Test
    void aClipTakenOffAirLeavesThePlayerLongBeforeItsEndAndPlaybackGoesOn() throws Exception {
        LatentConfig config = Stations.load(Stations.config(dir, ""), ConsoleAccessTest.ENV);
        List<Clip> clips = Stations.fillLibrary(config, 4, FRAMES);
        try (Station station =
                Station.start(config, new Station.Options(0, false, ConsoleAccessTest.ENV, Duration.ofSeconds(1)))) {
            Path out = dir.resolve("report.json");
            Process node = new ProcessBuilder(
                            "node",
                            TOOLS.resolve("watch-check.js").toString(),
                            station.watchUrl(Stations.CHANNEL),
                            "75")
                    .redirectOutput(out.toFile())
                    .redirectError(dir.resolve("node.err").toFile())
                    .start();
            // a clip that has aired long enough for the player (a few segments behind) to show it,
            // and has long enough left for its cut to show
            NowPlaying taken = null;
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            Thread.sleep(15_000);
            while (taken == null && System.nanoTime() < deadline) {
                Optional<NowPlaying> now = station.playout().nowPlaying(Stations.CHANNEL);
                Instant at = Instant.now();
                if (seen.size() < 400) {
                    seen.add(at + " "
                            + now.map(n -> n.clipId() + " " + n.start() + ".." + n.end())
                                    .orElse("none"));
                }
                if (now.isPresent()
                        && now.get().clipId().isPresent()
                        && now.get().start().plusSeconds(10).isBefore(at)
                        && now.get().end().minusSeconds(15).isAfter(at)) {
                    taken = now.get();
                } else {
                    Thread.sleep(250);
                }
            }
            assertThat(taken)
                    .as("a clip on air mid-way: " + seen.subList(Math.max(0, seen.size() - 8), seen.size()))
                    .isNotNull();
            String clipId = taken.clipId().orElseThrow();
            ConsoleClient operator = new ConsoleClient(station.url());
            operator.login(Auth.FIRST_OPERATOR, ConsoleClient.PASSWORD);
            operator.page("/admin/library?channel=tv");
            assertThat(operator.post("/admin/clips/" + clipId + "/off-air", Map.of("reason", "viewer complaint"))
                            .statusCode())
                    .isEqualTo(303);
            assertThat(station.playout().programmingState(Stations.CHANNEL, clipId))
                    .contains("OFF_AIR");

            assertThat(node.waitFor(150, TimeUnit.SECONDS)).isTrue();
            JsonNode report = new ObjectMapper().readTree(Files.readString(out));
            Files.copy(
                    out, Path.of("target", "off-air-playback.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(report.has("fatal")).as(report.path("fatal").asText()).isFalse();

            String prompt = clips.stream()
                    .filter(c -> c.id().equals(clipId))
                    .findFirst()
                    .orElseThrow()
                    .prompt();
            List<JsonNode> captions = new ArrayList<>();
            report.get("captions").forEach(captions::add);
            int shown = -1;
            for (int i = 0; i < captions.size(); i++) {
                if (captions.get(i).get("prompt").asText().equals(prompt)) {
                    shown = i;
                }
            }
            assertThat(shown)
                    .as("the clip was seen before it went: " + captions)
                    .isGreaterThanOrEqualTo(0);
            assertThat(shown).as("another clip followed it: " + captions).isLessThan(captions.size() - 1);
            double onScreen = captions.get(shown + 1).get("t").asDouble()
                    - captions.get(shown).get("t").asDouble();
            assertThat(onScreen / 1000)
                    .as("seconds the clip was on screen, of its %d", FRAMES / 24)
                    .isLessThan(FRAMES / 24.0 - 5);
            for (JsonNode later : captions.subList(shown + 1, captions.size())) {
                assertThat(later.get("prompt").asText()).as("never back").isNotEqualTo(prompt);
            }
            // the picture never stopped: every sample after start-up is ahead of the one before
            double previous = -1;
            for (JsonNode s : report.get("samples")) {
                double t = s.get("currentTime").asDouble();
                if (t > 0 && previous > 0) {
                    assertThat(t).as("currentTime keeps moving").isGreaterThan(previous);
                }
                previous = t > 0 ? t : previous;
                assertThat(s.get("error").isNull()).isTrue();
            }
            assertThat(station.audit().page(OptionalLong.empty(), 20).entries()).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("clip.off-air");
                assertThat(e.detail()).isEqualTo("viewer complaint");
                assertThat(e.actor()).isEqualTo(Auth.FIRST_OPERATOR);
            });
        }
    }

    @Test
    void aChannelThatReviewsClipsHoldsEachUntilAnOperatorApprovesIt() throws Exception {
        LatentConfig config =
                Stations.load(Stations.config(dir, "pipeline: {maxConcurrentJobs: 1}\n"), ConsoleAccessTest.ENV);
        Stations.fillLibrary(config, 10);
        try (Station station =
                Station.start(config, new Station.Options(0, true, ConsoleAccessTest.ENV, Duration.ofSeconds(1)))) {
            station.console().pause(Stations.CHANNEL, true, "test");
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("id", "review");
            settings.put("theme", "a quiet harbour at dawn");
            settings.put("policy", "review-clips");
            settings.put("lookaheadSeconds", 10);
            settings.put("format", Map.of("width", 256, "height", 144, "fps", 24, "videoKbps", 300, "audioKbps", 64));
            assertThat(station.console().create(settings, "test")).isEmpty();

            String held = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (held == null && System.nanoTime() < deadline) {
                for (Clip clip : station.library().list("review", 10)) {
                    if (station.playout()
                            .programmingState("review", clip.id())
                            .filter("HELD"::equals)
                            .isPresent()) {
                        held = clip.id();
                    }
                }
                Thread.sleep(250);
            }
            assertThat(held).as("a clip made and held").isNotNull();
            // held: the channel airs its slate, not the clip
            for (int i = 0; i < 12; i++) {
                Optional<NowPlaying> now = station.playout().nowPlaying("review");
                assertThat(now.flatMap(NowPlaying::clipId))
                        .as("nothing airs unapproved")
                        .isEmpty();
                Thread.sleep(250);
            }
            ConsoleClient operator = new ConsoleClient(station.url());
            operator.login(Auth.FIRST_OPERATOR, ConsoleClient.PASSWORD);
            String library = operator.page("/admin/library?channel=review").body();
            assertThat(library).contains("/admin/clips/" + held + "/approve");
            assertThat(operator.post("/admin/clips/" + held + "/approve", Map.of())
                            .statusCode())
                    .isEqualTo(303);

            boolean aired = false;
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!aired && System.nanoTime() < deadline) {
                aired = station.playout()
                        .nowPlaying("review")
                        .flatMap(NowPlaying::clipId)
                        .filter(held::equals)
                        .isPresent();
                Thread.sleep(200);
            }
            assertThat(aired).as("the approved clip airs").isTrue();
            assertThat(station.audit().page(OptionalLong.empty(), 20).entries())
                    .anySatisfy(e -> assertThat(e.action()).isEqualTo("clip.approve"));
        }
    }
}
