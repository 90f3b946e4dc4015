package tv.latent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code retention} sections (the station's and each channel's) and {@code diskGuard}. */
class RetentionConfigTest {
    private static final long GB = 1L << 30;

    @TempDir
    Path dir;

    private LatentConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, dir.resolve("latenttv.yaml"), Map.<String, String>of()::get);
    }

    private void assertProblem(String yaml, String... fragments) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    for (String fragment : fragments) {
                        assertThat(e.getMessage()).contains(fragment);
                    }
                });
    }

    @Test
    void withoutSectionsTheDefaultsHold() {
        LatentConfig config = parse("channels:\n  - {id: news, theme: the news}\n");

        assertThat(config.retention()).isEqualTo(LatentConfig.Retention.DEFAULT);
        assertThat(config.retention().maxDiskBytes()).isEmpty(); // auto
        assertThat(config.retention().forChannel("news").minClips()).isEqualTo(100);
        assertThat(config.diskGuard()).isEqualTo(LatentConfig.DiskGuard.DEFAULT);
        assertThat(config.diskGuard().minFreeBytes()).isEqualTo(2 * GB);
    }

    @Test
    void aChannelsOwnLimitsOverrideTheStationsAndTheRestFollowIt() {
        LatentConfig config = parse(
                """
                retention: {maxDiskGb: 50, maxAgeDays: 30, maxClips: 5000, minClips: 200, failedJobsDays: 3, everyMinutes: 5}
                diskGuard: {minFreeGb: 4, minFreePercent: 5, checkSeconds: 30}
                channels:
                  - {id: news, theme: the news, retention: {maxClips: 800, maxDiskGb: 2.5}}
                  - {id: weather, theme: the weather}
                """);

        LatentConfig.Retention retention = config.retention();
        assertThat(retention.maxDiskBytes()).isEqualTo(OptionalLong.of(50 * GB));
        assertThat(retention.failedJobsKept()).isEqualTo(Duration.ofDays(3));
        assertThat(retention.every()).isEqualTo(Duration.ofMinutes(5));
        assertThat(retention.forChannel("news"))
                .isEqualTo(new LatentConfig.ClipLimits(Duration.ofDays(30), 800, 5 * GB / 2, 200));
        assertThat(retention.forChannel("weather"))
                .isEqualTo(new LatentConfig.ClipLimits(Duration.ofDays(30), 5000, 0, 200));
        assertThat(config.diskGuard()).isEqualTo(new LatentConfig.DiskGuard(4 * GB, 5, Duration.ofSeconds(30)));
    }

    @Test
    void maxDiskGbMayBeAuto() {
        LatentConfig config = parse("retention: {maxDiskGb: auto}\nchannels:\n  - {id: news, theme: the news}\n");
        assertThat(config.retention().maxDiskBytes()).isEmpty();
    }

    @Test
    void aDiskBudgetThatIsNeitherANumberNorAutoIsNamed() {
        assertProblem(
                "retention: {maxDiskGb: lots}\nchannels:\n  - {id: news, theme: the news}\n",
                "latenttv.yaml",
                "retention.maxDiskGb: must be a number of GB from 0.001 to 1000000, or auto, got 'lots'");
    }

    @Test
    void maxClipsBelowMinClipsIsRejected() {
        assertProblem(
                "channels:\n  - {id: news, theme: the news, retention: {maxClips: 10}}\n",
                "channels[0].retention.maxClips: must be at least minClips (100) or 0 for no limit, got 10");
    }

    @Test
    void unknownAndOutOfRangeKeysAreNamedWithTheirPath() {
        assertProblem(
                """
                retention: {maxAgeDay: 3, minClips: 0}
                diskGuard: {minFreePercent: 95}
                channels:
                  - {id: news, theme: the news, retention: {keep: forever}}
                """,
                "retention.maxAgeDay: unknown key",
                "retention.minClips: must be from 1 to 1000000, got 0",
                "diskGuard.minFreePercent: must be from 0.0 to 90.0, got 95",
                "channels[0].retention.keep: unknown key");
    }
}
