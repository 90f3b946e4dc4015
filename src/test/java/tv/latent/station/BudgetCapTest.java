package tv.latent.station;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.fal.FakeFalServer;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.generate.remote.HostedFixtures;
import tv.latent.library.Clip;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.Lookahead;
import tv.latent.pipeline.ShotJob;
import tv.latent.pipeline.Spending;
import tv.latent.playout.NowPlaying;
import tv.latent.testing.SlowTest;

/**
 * A whole station whose channel renders on a paid fal app (0.10 a call) under an hourly budget of
 * 0.25: two clips are paid for, the third shot would pass the cap, and from then on the channel's
 * chain falls back to the procedural renderer, without a failed shot, without a call more to fal,
 * and without anything airing late: after the first clip no slate airs, fresh clips air in the
 * order they were made, and none waits longer than the lookahead and the shots in flight can hold.
 */
@SlowTest
class BudgetCapTest {
    private static final int LOOKAHEAD = 20;

    @TempDir
    Path dir;

    @Test
    void aCapReachedMidHourSwitchesTheChannelToItsFallbackWithNothingAiredLate() throws Exception {
        try (FakeFalServer fal = HostedFixtures.fal(null).start()) {
            // the fake asks no key; HOME is set in every test process, and the config only needs a variable that is
            LatentConfig config = ConfigLoader.parse(
                    """
                    dataDir: data
                    server: {host: 127.0.0.1, port: 0}
                    budget: {currency: USD}
                    pipeline: {maxConcurrentJobs: 2, maxAttempts: 2, retryBackoffMillis: 200}
                    backends:
                      fal:
                        type: fal-render
                        app: %s
                        keyEnv: HOME
                        url: '%s'
                        input: {prompt: prompt, seed: seed, num_frames: frames, fps: fps, width: width, height: height}
                        pollMillis: 20
                        price: {perCall: 0.10}
                        timeoutSeconds: 30
                    channels:
                      - id: capped
                        theme: herons in the reeds
                        lookaheadSeconds: %d
                        budget: {hourly: 0.25}
                        format: {width: 256, height: 144, videoKbps: 300, audioKbps: 64}
                        model: {width: 128, height: 72, frames: 24, fps: 8}
                        stages: {render: [fal, procedural], interpolate: [ffmpeg]}
                    """
                            .formatted(HostedFixtures.VIDEO_APP, fal.baseUri(), LOOKAHEAD),
                    dir.resolve("latenttv.yaml"),
                    System::getenv);

            try (Station station = Station.start(config, Station.Options.serving(0))) {
                List<NowPlaying> aired = new CopyOnWriteArrayList<>();
                station.playout().addListener(aired::add);
                List<Clip> clips = waitForClips(station, 6);
                Clip sixth = clips.get(5);
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (aired.stream().noneMatch(n -> n.clipId().orElse("").equals(sixth.id()))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                }

                assertThat(fal.submits())
                        .as("two calls fit the budget; none after")
                        .isEqualTo(2);
                Map<String, String> madeBy = new LinkedHashMap<>();
                for (Clip clip : clips) {
                    ShotJob job = station.jobs().find(clip.jobId()).orElseThrow();
                    ShotJob.StageRecord render = job.outputs().get(JobState.RENDER);
                    madeBy.put(clip.id(), render.backend());
                    if (render.backend().equals("procedural")) {
                        assertThat(render.fallback())
                                .startsWith("fal: skipped, channel hourly budget of 0.25 USD reached");
                    } else {
                        assertThat(render.params()).containsEntry("cost", "0.1000 USD");
                    }
                }
                assertThat(madeBy.values()).filteredOn("fal"::equals).hasSize(2);
                assertThat(madeBy.values()).filteredOn("procedural"::equals).hasSizeGreaterThanOrEqualTo(4);
                assertThat(station.jobs().list("capped", 100)).noneMatch(j -> j.state() == JobState.FAILED);

                Spending.ChannelSpend spend = station.spending("capped");
                assertThat(spend.lastHour()).isEqualTo(0.2, org.assertj.core.api.Assertions.within(1e-9));
                assertThat(spend.capped()).contains("channel hourly budget of 0.25 USD reached");
                assertThat(spend.airedMinutes()).isPositive();
                assertThat(spend.costPerAiredMinute()).isPositive();

                assertNothingAiredLate(aired, clips);
            }
        }
    }

    private static List<Clip> waitForClips(Station station, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (true) {
            List<Clip> clips = new ArrayList<>(station.library().list("capped", 100));
            if (clips.size() >= count || System.nanoTime() > deadline) {
                assertThat(clips).as("clips mastered in time").hasSizeGreaterThanOrEqualTo(count);
                clips.sort(Comparator.comparing(Clip::masteredAt).thenComparing(Clip::id)); // as playout takes them in
                return clips;
            }
            Thread.sleep(500);
        }
    }

    private static void assertNothingAiredLate(List<NowPlaying> events, List<Clip> clips) {
        Map<String, NowPlaying> airings = new LinkedHashMap<>();
        for (NowPlaying n : events) {
            airings.putIfAbsent(n.clipId().orElse("slate") + "@" + n.start(), n);
        }
        List<NowPlaying> timeline = airings.values().stream()
                .sorted(Comparator.comparing(NowPlaying::start))
                .toList();
        int firstClip = -1;
        for (int i = 0; i < timeline.size(); i++) {
            if (!timeline.get(i).slate()) {
                firstClip = i;
                break;
            }
        }
        assertThat(firstClip).as("a clip aired").isNotNegative();
        assertThat(timeline.subList(firstClip, timeline.size()))
                .as("no slate once clips air")
                .noneMatch(NowPlaying::slate);

        double clipSeconds = 64 / 24.0;
        double longestWait = LOOKAHEAD + (Math.max(Lookahead.MAX_BATCH, 4) + 1) * clipSeconds;
        List<String> firstAirings = new ArrayList<>();
        for (NowPlaying n : timeline) {
            String id = n.clipId().orElse(null);
            if (id != null && !firstAirings.contains(id)) {
                firstAirings.add(id);
            }
        }
        List<String> made =
                clips.stream().map(Clip::id).filter(firstAirings::contains).toList();
        assertThat(firstAirings.stream().filter(made::contains).toList())
                .as("fresh clips air in the order they were made")
                .isEqualTo(made);
        for (Clip clip : clips) {
            timeline.stream()
                    .filter(n -> n.clipId().orElse("").equals(clip.id()))
                    .findFirst()
                    .ifPresent(first -> {
                        Instant mastered = clip.masteredAt();
                        assertThat(first.start())
                                .as("%s airs after it is made", clip.id())
                                .isAfterOrEqualTo(mastered.minusSeconds(1));
                        assertThat(Duration.between(mastered, first.start()).toMillis() / 1000.0)
                                .as("%s waited to air", clip.id())
                                .isLessThanOrEqualTo(longestWait);
                    });
        }
    }
}
