package tv.latent.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tv.latent.backend.gradio.FakeEndpoint;
import tv.latent.backend.gradio.FakeGradioServer;

/**
 * A Zeroscope Space that answers every call with "CUDA out of memory", for bench/dead-backend.sh:
 * prints its URL, then every second writes the model calls received so far to {@code args[0]}.
 * Runs until killed.
 */
public final class DeadSpace {
    private DeadSpace() {}

    public static void main(String[] args) throws Exception {
        Path counts = Path.of(args[0]);
        FakeGradioServer space = FakeGradioServer.builder()
                .endpoint(FakeEndpoint.named("/run")
                        .parameter("prompt", "str", "Textbox")
                        .parameter("seed", "int", "Slider", 0)
                        .parameter("num_frames", "int", "Slider", 24)
                        .parameter("num_inference_steps", "int", "Slider", 25)
                        .returns("Result", "Video")
                        .handler(call -> {
                            throw new FakeGradioServer.AppError("CUDA out of memory");
                        }))
                .start();
        System.out.println(space.root());
        System.out.flush();
        while (true) {
            List<FakeGradioServer.Request> requests = space.requests();
            long calls = requests.stream()
                    .filter(r -> r.method().equals("POST")
                            && (r.path().contains("/call/") || r.path().endsWith("/queue/join")))
                    .count();
            Files.writeString(counts, calls + "\n");
            Thread.sleep(1000);
        }
    }
}
