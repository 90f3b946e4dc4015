package tv.latent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hosted queue backends, model presets, prices, budgets and continuity in the YAML. */
class HostedConfigTest {
    private static final Function<String, String> ENV =
            Map.of("FAL_KEY", "fal-example", "REPLICATE_API_TOKEN", "r8_example", "HF_TOKEN", "hf_example")::get;

    @TempDir
    Path dir;

    LatentConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, dir.resolve("latenttv.yaml"), ENV);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hosted-models.yaml", "comfyui-wan.yaml"})
    void theExamplesValidate(String name) {
        LatentConfig config = ConfigLoader.load(Path.of("examples", name), ENV);
        assertThat(config.channels()).allSatisfy(c -> assertThat(c.continuity() || c.id().equals("routed"))
                .isTrue());
    }

    @Test
    void theHostedExampleReadsPricesBudgetsAndPresets() {
        LatentConfig config = ConfigLoader.load(Path.of("examples", "hosted-models.yaml"), ENV);
        assertThat(config.currency()).isEqualTo("USD");
        assertThat(config.budget()).isEqualTo(new Budget(6, 60));
        assertThat(config.backends().get("fal").price()).isEqualTo(new Price(0.02, 0, 0));
        assertThat(config.backends().get("fal").mapOption("extra")).containsEntry("num_inference_steps", 30L);
        ChannelConfig lighthouse = config.channel("lighthouse").orElseThrow();
        assertThat(lighthouse.model()).isEqualTo(ModelPreset.LTX_VIDEO.format());
        assertThat(lighthouse.budget()).isEqualTo(new Budget(2, 20));
        ChannelConfig routed = config.channel("routed").orElseThrow();
        assertThat(routed.model()).isEqualTo(new ChannelConfig.ModelFormat(768, 512, 49, 24));
        assertThat(routed.budget().daily()).isInfinite();
        assertThat(routed.continuity()).isFalse();
    }

    @Test
    void presetsGiveTheModelsNativeFormatsAndNumbersWin() {
        LatentConfig config = parse(
                """
                channels:
                  - {id: a, theme: t, model: zeroscope-576w}
                  - {id: b, theme: t, model: modelscope-256}
                  - {id: c, theme: t, model: {preset: modelscope-192, frames: 16}}
                  - {id: d, theme: t, model: zeroscope-xl}
                """);
        assertThat(config.channels())
                .extracting(ChannelConfig::model)
                .containsExactly(
                        new ChannelConfig.ModelFormat(576, 320, 24, 8),
                        new ChannelConfig.ModelFormat(256, 256, 16, 8),
                        new ChannelConfig.ModelFormat(192, 192, 16, 8),
                        new ChannelConfig.ModelFormat(1024, 576, 24, 8));
    }

    @Test
    void anUnknownPresetIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> parse("channels:\n  - {id: a, theme: t, model: zeroscope-9000}\n"))
                .hasMessageContaining("channels[0].model")
                .hasMessageContaining("zeroscope-576w")
                .hasMessageContaining("ltx-video");
    }

    @Test
    void aFalBackendNeedsExactlyOneCredential() {
        String none = "backends:\n  f: {type: fal-render, app: fal-ai/ltx-video}\nchannels:\n  - {id: a, theme: t}\n";
        assertThatThrownBy(() -> parse(none))
                .hasMessageContaining("backends.f.keyEnv")
                .hasMessageContaining("missing");
        String both =
                "backends:\n  f: {type: fal-render, app: fal-ai/ltx-video, keyEnv: FAL_KEY, tokenEnv: HF_TOKEN}\nchannels:\n  - {id: a, theme: t}\n";
        assertThatThrownBy(() -> parse(both)).hasMessageContaining("not both");
    }

    @Test
    void aReplicateBackendNeedsItsTokenSetInTheEnvironment() {
        assertThatThrownBy(() -> parse(
                        "backends:\n  r: {type: replicate-render, model: a/b}\nchannels:\n  - {id: a, theme: t}\n"))
                .hasMessageContaining("backends.r.tokenEnv");
        assertThatThrownBy(() -> ConfigLoader.parse(
                        "backends:\n  r: {type: replicate-render, model: a/b, tokenEnv: REPLICATE_API_TOKEN}\nchannels:\n  - {id: a, theme: t}\n",
                        dir.resolve("x.yaml"),
                        k -> null))
                .hasMessageContaining("REPLICATE_API_TOKEN is not set");
    }

    @Test
    void pricesAndBudgetsAreCheckedWithTheirKeys() {
        assertThatThrownBy(
                        () -> parse(
                                """
                        budget: {hourly: -1}
                        backends:
                          f: {type: fal-render, app: a/b, keyEnv: FAL_KEY, price: {perCal: 1}}
                        channels:
                          - {id: a, theme: t, budget: {daily: lots}}
                        """))
                .hasMessageContaining("budget.hourly")
                .hasMessageContaining("backends.f.price.perCal: unknown key")
                .hasMessageContaining("channels[0].budget.daily");
    }

    @Test
    void anInputMappingTakesNamesAndExtrasTakeScalars() {
        assertThatThrownBy(
                        () -> parse(
                                "backends:\n  f: {type: fal-render, app: a/b, keyEnv: FAL_KEY, input: {prompt: 3}, extra: {x: [1]}}\nchannels:\n  - {id: a, theme: t}\n"))
                .hasMessageContaining("backends.f.input.prompt")
                .hasMessageContaining("backends.f.extra.x");
    }
}
