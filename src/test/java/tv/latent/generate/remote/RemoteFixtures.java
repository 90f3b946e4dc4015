package tv.latent.generate.remote;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tv.latent.backend.gradio.FakeEndpoint;
import tv.latent.backend.gradio.FakeGradioServer;
import tv.latent.media.Ffmpeg;
import tv.latent.media.MediaInfo;
import tv.latent.testing.TestMedia;

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
                    return List.of(call.video(
                            "out.mp4", TestMedia.mp4(256, 144, call.input(2).asInt(), 8)));
                });
    }

    /** A fake that speaks to a function as a real one would, keeping every call's inputs for assertions. */
    record Spy(List<List<JsonNode>> calls) {
        Spy() {
            this(new CopyOnWriteArrayList<>());
        }

        List<JsonNode> last() {
            return calls.getLast();
        }
    }

    /**
     * A Zeroscope XL vid2vid Space: {@code /run [video, prompt, num_inference_steps, strength]}, the
     * last two with defaults LatentTV reads from {@code /info}; answers the input's frames at its
     * rate, at 1024×576.
     */
    static FakeEndpoint zeroscopeXlRun(Spy spy) {
        return FakeEndpoint.named("/run")
                .parameter("video", "filepath", "Video")
                .parameter("prompt", "str", "Textbox")
                .parameter("num_inference_steps", "int", "Slider", 30)
                .parameter("strength", "float", "Slider", 0.75)
                .returns("Upscaled", "Video")
                .handler(call -> {
                    spy.calls().add(call.inputs());
                    MediaInfo.Video in = TestMedia.probe(call.inputFile(0));
                    call.progress(1, 2, "steps", "upscaling");
                    return List.of(call.video(
                            "xl.mp4", TestMedia.mp4(1024, 576, (int) in.frames(), (int) Math.round(in.fps()))));
                });
    }

    /**
     * FILM's Space: unnamed {@code fn_index 1 [video, times_to_interpolate, fps radio]}; each step
     * puts a frame between every two, and the result plays at the radio's rate.
     */
    static FakeEndpoint filmFn1(Spy spy) {
        return FakeEndpoint.unnamed(1)
                .parameter("video", "filepath", "Video")
                .parameter("times_to_interpolate", "int", "Slider")
                .parameter("fps", "str", "Radio", "24")
                .returns("Interpolated", "Video")
                .handler(call -> {
                    spy.calls().add(call.inputs());
                    MediaInfo.Video in = TestMedia.probe(call.inputFile(0));
                    int steps = call.input(1).asInt();
                    long frames = (in.frames() - 1) * (1L << steps) + 1;
                    return List.of(call.video(
                            "film.mp4",
                            TestMedia.mp4(
                                    in.width(),
                                    in.height(),
                                    (int) frames,
                                    Integer.parseInt(call.input(2).asText()))));
                });
    }

    /**
     * The hosted MusicGen Space: {@code /predict_batched [text, melody]} → [waveform video, 15 s
     * of wav]. A melody, when sent, must be an uploaded file.
     */
    static FakeEndpoint musicGenPredictBatched(Spy spy) {
        return FakeEndpoint.named("/predict_batched")
                .parameter("text", "str", "Textbox")
                .parameter("melody", "filepath", "Audio", null)
                .returns("Generated Music", "Video")
                .returns("Generated Music (wav)", "Audio")
                .handler(call -> {
                    spy.calls().add(call.inputs());
                    if (!call.input(1).isNull()) {
                        call.inputFile(1); // an AppError when the melody was not uploaded first
                    }
                    return List.of(
                            call.video("waveform.mp4", TestMedia.mp4(160, 96, 8, 8)),
                            call.file("music.wav", fifteenSecondsOfMusic(), "audio/wav"));
                });
    }

    private static volatile byte[] music;

    /** About fifteen seconds of mono 32 kHz WAV, what the hosted Space answers whatever length is asked. */
    static byte[] fifteenSecondsOfMusic() {
        byte[] m = music;
        if (m == null) {
            m = toneWav(330, 32000, 15, "-ac", "1", "-c:a", "pcm_s16le");
            music = m;
        }
        return m;
    }

    /** A short audio file to use as a melody. */
    static Path melody(Path dir) throws IOException {
        Path file = dir.resolve("melody.wav");
        Files.write(file, toneWav(440, 16000, 2, "-c:a", "pcm_s16le"));
        return file;
    }

    private static byte[] toneWav(int hz, int sampleRate, double seconds, String... options) {
        return TestMedia.bytes(".wav", file -> TestMedia.tone(file, hz, sampleRate, seconds, options));
    }

    static RemoteStages.Gradio gradio(String backend, FakeGradioServer fake, Duration timeout) {
        return new RemoteStages.Gradio(
                backend, List.of(fake.root().toString()), null, null, null, -1, List.of(), timeout, 64L << 20, FAST);
    }

    static FakeGradioServer zeroscope() {
        return FakeGradioServer.builder()
                .flavor(FakeGradioServer.Flavor.GRADIO_5)
                .endpoint(zeroscopeRun())
                .start();
    }

    static RemoteStages.Gradio gradio(List<String> endpoints, Duration timeout) {
        return new RemoteStages.Gradio(
                "zeroscope", endpoints, null, null, null, -1, List.of(), timeout, 64L << 20, FAST);
    }

    static Set<String> files(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
