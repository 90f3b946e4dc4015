package tv.latent.generate.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tv.latent.backend.gradio.FakeEndpoint;
import tv.latent.backend.gradio.FakeGradioServer;
import tv.latent.backend.testing.TestVideos;
import tv.latent.media.Ffmpeg;

/** Fake model servers set up as the real Spaces look, and the short timeouts tests use. */
final class RemoteFixtures {
  static final Ffmpeg FFMPEG = Ffmpeg.locate(2);
  static final PoolPolicy FAST = new PoolPolicy(1, Duration.ofMillis(20), 3, Duration.ofSeconds(30));

  private RemoteFixtures() {}

  static FakeEndpoint zeroscopeRun() {
    return FakeEndpoint.named("/run")
        .parameter("prompt", "str", "Textbox")
        .parameter("seed", "int", "Slider", 0)
        .parameter("num_frames", "int", "Slider", 24)
        .parameter("num_inference_steps", "int", "Slider", 25)
        .returns("Result", "Video")
        .handler(call -> {
          call.progress(5, 10, "steps", "denoising");
          return List.of(call.video("out.mp4", TestVideos.mp4(256, 144, call.input(2).asInt(), 8)));
        });
  }

  static FakeGradioServer zeroscope() {
    return FakeGradioServer.builder().flavor(FakeGradioServer.Flavor.GRADIO_5).endpoint(zeroscopeRun()).start();
  }

  static RemoteStages.Gradio gradio(List<String> endpoints, Duration timeout) {
    return new RemoteStages.Gradio("zeroscope", endpoints, null, null, null, -1, List.of(), timeout, 64L << 20, FAST);
  }

  static Set<String> files(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
