package tv.latent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private static final String MINIMAL =
            """
      channels:
        - id: nature
          theme: wildlife at golden hour
      """;

    private LatentConfig parse(String yaml) {
        return ConfigLoader.parse(
                yaml, dir.resolve("latenttv.yaml"), Map.of("HF_TOKEN", "hf_secret", "TWITCH_KEY", "live_x")::get);
    }

    private void assertProblem(String yaml, String... fragments) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("latenttv.yaml")
                .satisfies(e -> {
                    for (String fragment : fragments) {
                        assertThat(e.getMessage()).contains(fragment);
                    }
                });
    }

    @Test
    void minimalChannelGetsEmbeddedDefaults() {
        LatentConfig config = parse(MINIMAL);
        ChannelConfig channel = config.channel("nature").orElseThrow();
        assertThat(channel.format().width()).isEqualTo(1024);
        assertThat(channel.model()).isEqualTo(ChannelConfig.ModelFormat.ZEROSCOPE);
        assertThat(channel.chain(StageKind.RENDER)).containsExactly("procedural");
        assertThat(config.dataDir()).isEqualTo(dir.resolve("data"));
    }

    @Test
    void theCommentedExampleIsValid() throws Exception {
        Path example = Path.of("latenttv.example.yaml");
        Files.copy(example, dir.resolve("latenttv.yaml"));
        LatentConfig config = ConfigLoader.load(dir.resolve("latenttv.yaml"), Map.of("TWITCH_STREAM_KEY", "k")::get);
        assertThat(config.channels()).isNotEmpty();
    }

    @Test
    void invalidYamlNamesLineAndColumn() {
        assertProblem("channels:\n  - id: [nature\n", "line", "not valid YAML");
    }

    @Test
    void unknownKeyIsNamedWithItsPath() {
        assertProblem(MINIMAL + "    fsp: 24\n", "channels[0].fsp: unknown key");
    }

    @Test
    void missingFieldIsNamed() {
        assertProblem("channels:\n  - id: nature\n", "channels[0].theme: missing");
    }

    @Test
    void wrongTypeIsNamed() {
        assertProblem(
                MINIMAL + "    format: {fps: fast}\n",
                "channels[0].format.fps: must be an integer from 1 to 60, got 'fast'");
    }

    @Test
    void outOfRangeValueIsNamed() {
        assertProblem(MINIMAL + "    format: {fps: 500}\n", "channels[0].format.fps: must be from 1 to 60, got 500");
    }

    @Test
    void stageNamingAMissingBackendIsNamed() {
        assertProblem(
                MINIMAL + "    stages: {render: [zeroscope]}\n",
                "channels[0].stages.render: no backend named 'zeroscope'",
                "procedural");
    }

    @Test
    void backendOfTheWrongStageIsRejected() {
        assertProblem(
                "backends:\n  smooth: {type: ffmpeg-interpolate}\n" + MINIMAL + "    stages: {render: [smooth]}\n",
                "serves interpolate, not render");
    }

    @Test
    void unknownBackendTypeListsTheKnownOnes() {
        assertProblem(
                "backends:\n  x: {type: magic}\n" + MINIMAL, "backends.x.type: must be one of", "procedural-video");
    }

    @Test
    void channelIdsMustBeSafeDirectoryNames() {
        assertProblem("channels:\n  - id: ../etc\n    theme: t\n", "channels[0].id: must be lower-case");
    }

    @Test
    void duplicateChannelIdsAreRejected() {
        assertProblem(MINIMAL + "  - id: nature\n    theme: again\n", "is used by another channel");
    }

    @Test
    void pushKeyMustComeFromASetEnvironmentVariable() {
        assertProblem(
                MINIMAL + "    push: [{name: yt, url: 'rtmp://a.example/live', keyEnv: NOT_SET_ANYWHERE}]\n",
                "environment variable NOT_SET_ANYWHERE is not set");
    }

    @Test
    void houseFormatRulesAreChecked() {
        assertProblem(MINIMAL + "    format: {width: 1023}\n", "width must be even");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> parse("channels:\n  - id: A\n    bogus: 1\n"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSizeGreaterThanOrEqualTo(3));
    }

    @Test
    void emptyFileSaysWhatIsNeeded() {
        assertProblem("", "empty");
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"), k -> null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.yaml")
                .hasMessageContaining("not found");
    }
}
