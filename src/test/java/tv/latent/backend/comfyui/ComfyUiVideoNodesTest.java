package tv.latent.backend.comfyui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tv.latent.backend.comfyui.WorkflowTest.aFoxClip;
import static tv.latent.backend.comfyui.WorkflowTest.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.comfyui.FakeComfyUiServer.Routes;

/** ComfyUI as it is today: the {@code /api} routes when the server has them, and the core video save nodes. */
class ComfyUiVideoNodesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    FakeComfyUiServer fake;
    ComfyUiClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    ComfyUiClient serving(Routes routes) {
        fake = FakeComfyUiServer.builder().routes(routes).steps(2).start();
        client = ComfyUiClient.builder(fake.baseUri())
                .pollInterval(Duration.ofMillis(50))
                .build();
        return client;
    }

    Path render(Workflow workflow) throws Exception {
        return client.renderVideo(workflow, aFoxClip(), dir.resolve("clip.mp4"), TIMEOUT, PromptListener.NONE);
    }

    @Test
    void usesTheApiRoutesWhenTheServerHasThem() throws Exception {
        serving(Routes.BOTH);
        assertThat(render(resource("text2video.json"))).exists();

        assertThat(fake.paths())
                .filteredOn(p -> !p.contains("system_stats"))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p).contains(" /api/"));
    }

    @Test
    void usesTheBareRoutesOfAServerWithoutThem() throws Exception {
        serving(Routes.BARE);
        assertThat(render(resource("text2video.json"))).exists();

        assertThat(fake.paths()).contains("POST /prompt").noneMatch(p -> p.startsWith("POST /api/"));
    }

    @Test
    void worksBehindAProxyThatPassesOnlyTheApiRoutes() throws Exception {
        serving(Routes.API);
        assertThat(render(resource("text2video.json"))).exists();
    }

    /** The example workflow with its save node swapped for another class. */
    static Workflow savingWith(String classType) throws Exception {
        ObjectNode graph = resource("text2video.json").graph();
        ((ObjectNode) graph.get("8")).put("class_type", classType);
        return Workflow.parse(graph.toString(), classType);
    }

    @Test
    void takesTheVideoOfSaveWebmAndOfAnAnimatedImageFlaggedAsSuch() throws Exception {
        serving(Routes.BOTH);
        for (String node : new String[] {"SaveWEBM", "SaveAnimatedPNG"}) {
            PromptResult result = client.run(savingWith(node), aFoxClip(), TIMEOUT, PromptListener.NONE);
            OutputFile video = result.video().orElseThrow();
            assertThat(video.key()).isEqualTo("images");
            assertThat(video.animated()).isTrue();
            assertThat(client.download(video, dir.resolve(node + ".out"))).exists();
        }
    }

    @Test
    void refusesAnAnimatedWebpThatFfmpegCannotDecode() throws Exception {
        serving(Routes.BOTH);
        assertThatThrownBy(() -> render(savingWith("SaveAnimatedWEBP")))
                .isInstanceOfSatisfying(ComfyUiException.class, e -> assertThat(e.kind())
                        .isEqualTo(ComfyUiException.Kind.NO_VIDEO_OUTPUT));
    }

    @Test
    void containersComeBeforeAnimatedImages() {
        var result = new PromptResult(
                "p",
                "success",
                java.util.List.of(
                        new OutputFile("9", "images", "a.png", "", "output", "", true),
                        new OutputFile("8", "images", "a.webm", "", "output", "", true)));
        assertThat(result.video())
                .hasValueSatisfying(v -> assertThat(v.filename()).isEqualTo("a.webm"));
    }
}
