package tv.latent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RemoteConfigTest {
    private static final Function<String, String> ENV =
            Map.of("HF_TOKEN", "hf_example", "OPENAI_API_KEY", "sk-example")::get;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ai-webtv.yaml", "a1111-gpu-box.yaml", "comfyui-box.yaml", "ollama-director.yaml"})
    void everyExampleValidatesWithItsEnvironment(String name) {
        LatentConfig config = ConfigLoader.load(Path.of("examples", name), ENV);
        assertThat(config.channels()).isNotEmpty();
        assertThat(config.backends()).isNotEmpty();
    }

    @Test
    void theAiWebTvExampleNeedsItsTokens() {
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("examples", "ai-webtv.yaml"), k -> null))
                .hasMessageContaining("tokenEnv")
                .hasMessageContaining("HF_TOKEN is not set")
                .hasMessageContaining("apiKeyEnv")
                .hasMessageContaining("OPENAI_API_KEY is not set");
    }

    @Test
    void comfyWorkflowResolvesAgainstTheConfigFile() {
        LatentConfig config = ConfigLoader.load(Path.of("examples", "comfyui-box.yaml"), ENV);
        String workflow = config.backends().get("comfy").option("workflow").orElseThrow();
        assertThat(Path.of(workflow)).isAbsolute().exists();
    }

    private LatentConfig parse(String backends) {
        return ConfigLoader.parse(
                "backends:\n" + backends + "channels:\n  - {id: c, theme: t}\n", dir.resolve("latenttv.yaml"), ENV);
    }

    @Test
    void aRemoteBackendWithoutUrlIsRefused() {
        assertThatThrownBy(() -> parse("  r:\n    type: a1111-render\n"))
                .hasMessageContaining("backends.r.url")
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> parse("  z:\n    type: gradio-zeroscope\n")).hasMessageContaining("space");
    }

    @Test
    void aUrlMustBeHttp() {
        assertThatThrownBy(() -> parse("  r:\n    type: comfyui-render\n    url: ftp://box\n    workflow: w.json\n"))
                .hasMessageContaining("http:// or https://")
                .hasMessageContaining("ftp://box");
    }

    @Test
    void aGradioBackendListsTheHostsItsFilesMayComeFrom() {
        LatentConfig config = parse("  z:\n    type: gradio-zeroscope\n    space: a/b\n"
                + "    allowDownloadsFrom: [cdn.example.com, '*.hf.space', 'files.example.com:8443']\n");
        assertThat(config.backends().get("z").options().get("allowDownloadsFrom"))
                .isEqualTo(java.util.List.of("cdn.example.com", "*.hf.space", "files.example.com:8443"));
    }

    @Test
    void aHostThatIsAUrlOrNotAHostIsRefusedWithAnExample() {
        assertThatThrownBy(() -> parse("  z:\n    type: gradio-zeroscope\n    space: a/b\n"
                        + "    allowDownloadsFrom: ['https://cdn.example.com/files']\n"))
                .hasMessageContaining("allowDownloadsFrom")
                .hasMessageContaining("https://cdn.example.com/files")
                .hasMessageContaining("cdn.example.com, files.example.com:8443");
    }

    @Test
    void onlyGradioBackendsTakeAllowDownloadsFrom() {
        assertThatThrownBy(() -> parse("  r:\n    type: a1111-render\n    url: http://gpu:7860\n"
                        + "    allowDownloadsFrom: [cdn.example.com]\n"))
                .hasMessageContaining("allowDownloadsFrom");
    }

    @Test
    void aBadEnvironmentVariableNameIsRefused() {
        assertThatThrownBy(() -> parse("  z:\n    type: gradio-zeroscope\n    space: a/b\n    tokenEnv: hf-token!\n"))
                .hasMessageContaining("tokenEnv")
                .hasMessageContaining("must name an environment variable");
    }

    @Test
    void anUnsetTokenIsRefusedAtStart() {
        assertThatThrownBy(() -> parse("  z:\n    type: gradio-film\n    space: a/b\n    tokenEnv: NOT_SET_TOKEN\n"))
                .hasMessageContaining("NOT_SET_TOKEN is not set");
    }

    @Test
    void aMissingWorkflowIsRefused() {
        assertThatThrownBy(() ->
                        parse("  r:\n    type: comfyui-render\n    url: http://box:8188\n    workflow: none.json\n"))
                .hasMessageContaining("workflow")
                .hasMessageContaining("not found");
    }

    @Test
    void aBadSpaceIdIsRefused() {
        assertThatThrownBy(() -> parse("  z:\n    type: gradio-zeroscope\n    space: not a space\n"))
                .hasMessageContaining("owner/name");
    }

    @Test
    void optionsOfEachRemoteTypeAreKept() {
        LatentConfig config = parse(
                """
          z:
            type: gradio-zeroscope
            urls: [http://a:7860, http://b:7860]
            steps: 20
            breakerFailures: 5
          l:
            type: openai
            baseUrl: http://127.0.0.1:11434/v1
            model: llama3.1
        """);
        assertThat(config.backends().get("z").intOption("steps", 0)).isEqualTo(20);
        assertThat((java.util.List<?>) config.backends().get("z").options().get("urls"))
                .hasSize(2);
        assertThat(config.backends().get("l").stage()).isEqualTo(StageKind.DIRECTOR);
    }

    @Test
    void aMelodyResolvesAgainstTheConfigFile() throws Exception {
        Files.createDirectories(dir.resolve("tunes"));
        Files.write(dir.resolve("tunes/theme.wav"), new byte[] {1});
        LatentConfig config =
                parse("  m:\n    type: gradio-musicgen\n    space: facebook/MusicGen\n    melody: tunes/theme.wav\n");
        assertThat(config.backends().get("m").option("melody").orElseThrow())
                .isEqualTo(dir.resolve("tunes/theme.wav").toString());
    }

    @Test
    void aMissingOrNonAudioMelodyIsRefusedWithTheResolvedPath() throws Exception {
        assertThatThrownBy(() ->
                        parse("  m:\n    type: gradio-musicgen\n    space: facebook/MusicGen\n    melody: none.wav\n"))
                .hasMessageContaining("backends.m.melody")
                .hasMessageContaining(dir.resolve("none.wav").toString())
                .hasMessageContaining("not found");
        Files.writeString(dir.resolve("notes.txt"), "la la");
        assertThatThrownBy(() ->
                        parse("  m:\n    type: gradio-musicgen\n    space: facebook/MusicGen\n    melody: notes.txt\n"))
                .hasMessageContaining("must be audio");
    }
}
