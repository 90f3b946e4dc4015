package tv.latent.station;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.ChannelConfig;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.media.HouseFormat;
import tv.latent.playout.PushTarget;

class StationTest {
    @TempDir
    Path dir;

    private static ChannelConfig channelPushingTo(ChannelConfig.PushTarget push) {
        return new ChannelConfig(
                "news",
                "News",
                "theme",
                List.of(),
                "",
                HouseFormat.DEFAULT,
                ChannelConfig.ModelFormat.ZEROSCOPE,
                1,
                true,
                Map.of(),
                60,
                List.of(push));
    }

    @Test
    void pushTargetsNeedTheirKeyVariable() {
        ChannelConfig channel =
                channelPushingTo(new ChannelConfig.PushTarget("twitch", "rtmp://127.0.0.1/app", "TWITCH_KEY"));
        assertThatThrownBy(() -> Station.pushTargets(channel, name -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TWITCH_KEY");
    }

    @Test
    void pushTargetsReachPlayoutResolvedWithTheKeyHiddenFromToString() {
        ChannelConfig channel =
                channelPushingTo(new ChannelConfig.PushTarget("twitch", "rtmp://127.0.0.1/app/", "TWITCH_KEY"));
        List<PushTarget> targets = Station.pushTargets(channel, Map.of("TWITCH_KEY", " live_123_secret ")::get);
        assertThat(targets).singleElement().satisfies(t -> {
            assertThat(t.url()).isEqualTo("rtmp://127.0.0.1/app/");
            assertThat(t.streamKey()).isEqualTo("live_123_secret");
            assertThat(t.toString()).doesNotContain("live_123_secret");
        });
    }

    @Test
    void aBrokenComfyWorkflowStopsTheStartNamingTheBackend() throws Exception {
        Files.writeString(dir.resolve("bad.json"), "{ not json");
        LatentConfig config = ConfigLoader.parse(
                "dataDir: data\nbackends:\n  r:\n    type: comfyui-render\n    url: http://box:8188\n    workflow: bad.json\n"
                        + "channels:\n  - {id: c, theme: t, stages: {render: [r]}}\n",
                dir.resolve("latenttv.yaml"),
                name -> null);
        assertThatThrownBy(() -> Station.open(config))
                .hasMessageContaining("backend r")
                .hasMessageContaining("not a usable ComfyUI");
        // the database the failed start opened was closed: a second start may open it again
        Files.delete(dir.resolve("bad.json"));
        Files.copy(Path.of("examples/workflows/zeroscope-576w.json"), dir.resolve("bad.json"));
        try (Station station = Station.open(config)) {
            assertThat(station.channel("c").id()).isEqualTo("c");
        }
    }

    @Test
    void everyChannelsDirectorIsBehindTheModerationGate() throws Exception {
        LatentConfig config = ConfigLoader.parse(
                """
                dataDir: data
                moderation: {words: [cinematic]}
                channels:
                  - {id: c, theme: herons in the reeds, style: [cinematic]}
                """,
                dir.resolve("latenttv.yaml"),
                name -> null);
        try (Station station = Station.open(config)) {
            var brief = new tv.latent.director.Director.ChannelBrief(
                    "c", "C", "herons in the reeds", List.of("cinematic"), "");
            assertThatThrownBy(() -> station.director("c")
                            .plan(new tv.latent.director.Director.DirectorRequest(brief, List.of(), 2, 1)))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("moderation flagged all");
            assertThat(station.moderator().checkLists("a cinematic heron").flagged())
                    .isTrue();
        }
    }
}
