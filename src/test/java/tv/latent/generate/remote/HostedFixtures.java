package tv.latent.generate.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tv.latent.backend.fal.FakeFalServer;
import tv.latent.backend.replicate.FakeReplicateServer;
import tv.latent.generate.Continuation;
import tv.latent.generate.Renderer.RenderRequest;
import tv.latent.generate.StageFixtures;
import tv.latent.generate.StageOutput;
import tv.latent.testing.TestMedia;

/**
 * Fake hosted models as the real ones answer, and the settings that reach them: a text-to-video
 * app that renders the size, frames and rate it is asked for, an image-to-video app whose first
 * frame is the image it was sent, a 2× video upscaler and a music app, on fal and on Replicate.
 */
public final class HostedFixtures {
    public static final String VIDEO_APP = "fal-ai/fake-video/text-to-video";
    public static final String IMAGE_APP = "fal-ai/fake-video/image-to-video";
    public static final String UPSCALE_APP = "fal-ai/fake-upscaler";
    public static final String MUSIC_APP = "fal-ai/fake-music";
    public static final String VIDEO_MODEL = "fake/text-to-video";
    public static final String IMAGE_MODEL = "fake/image-to-video";
    public static final String UPSCALE_MODEL = "fake/upscaler";
    public static final String MUSIC_MODEL = "fake/music";

    /** The fields the fake video apps take, each mapped to the shot's value. */
    public static final Map<String, String> VIDEO_INPUT = Map.of(
            "prompt", "prompt",
            "negative_prompt", "negativePrompt",
            "seed", "seed",
            "num_frames", "frames",
            "fps", "fps",
            "width", "width",
            "height", "height");

    private HostedFixtures() {}

    /** A fal queue with the four fake apps, requiring {@code key}. */
    public static FakeFalServer.Builder fal(String key) {
        return FakeFalServer.builder()
                .requireKey(key)
                .app(VIDEO_APP, call -> call.video(video(call.input())))
                .app(IMAGE_APP, call -> call.video(fromImage(call.input(), "image_url")))
                .app(
                        UPSCALE_APP,
                        call -> call.video(
                                upscaled(call.input().path("video_url").asText())))
                .app(MUSIC_APP, call -> {
                    ObjectNode out = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
                    out.set(
                            "audio_file",
                            call.file(
                                    "music.wav",
                                    music(call.input().path("duration").asDouble(3)),
                                    "audio/wav"));
                    return out;
                });
    }

    /** Replicate with the four fake models, requiring {@code token}. */
    public static FakeReplicateServer.Builder replicate(String token) {
        return FakeReplicateServer.builder()
                .requireToken(token)
                .model(VIDEO_MODEL, call -> call.file("output.mp4", video(call.input()), "video/mp4"))
                .model(IMAGE_MODEL, call -> call.file("output.mp4", fromImage(call.input(), "image"), "video/mp4"))
                .model(
                        UPSCALE_MODEL,
                        call -> call.file(
                                "output.mp4",
                                upscaled(call.input().path("video").asText()),
                                "video/mp4"))
                .model(
                        MUSIC_MODEL,
                        call -> call.file(
                                "music.wav", music(call.input().path("duration").asDouble(3)), "audio/wav"));
    }

    static byte[] video(JsonNode input) {
        return TestMedia.mp4(
                input.path("width").asInt(128),
                input.path("height").asInt(72),
                input.path("num_frames").asInt(16),
                input.path("fps").asInt(8));
    }

    /** A video whose first frame is the image sent in {@code field} and which then brightens. */
    static byte[] fromImage(JsonNode input, String field) throws Exception {
        String uri = input.path(field).asText("");
        if (!uri.startsWith("data:image/png;base64,")) {
            throw new IllegalArgumentException("no image in " + field);
        }
        Path png = Files.createTempFile("fake-start-", ".png");
        try {
            Files.write(png, Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1)));
            int w = input.path("width").asInt(128);
            int h = input.path("height").asInt(72);
            int frames = input.path("num_frames").asInt(16);
            int fps = input.path("fps").asInt(8);
            return TestMedia.bytes(".mp4", out -> TestMedia.ffmpeg()
                    .run(
                            List.of(
                                    "-loop",
                                    "1",
                                    "-framerate",
                                    Integer.toString(fps),
                                    "-i",
                                    png.toString(),
                                    "-vf",
                                    "scale=" + w + ":" + h + ",eq=brightness=0.03*t:eval=frame,format=yuv420p",
                                    "-frames:v",
                                    Integer.toString(frames),
                                    "-c:v",
                                    "libx264",
                                    "-preset",
                                    "ultrafast",
                                    "-crf",
                                    "4",
                                    out.toString()),
                            Duration.ofMinutes(1),
                            null,
                            null));
        } finally {
            Files.deleteIfExists(png);
        }
    }

    static byte[] upscaled(String dataUri) throws Exception {
        Path in = Files.createTempFile("fake-upscale-", ".mp4");
        try {
            Files.write(in, Base64.getDecoder().decode(dataUri.substring(dataUri.indexOf(',') + 1)));
            var v = TestMedia.probe(in);
            return TestMedia.mp4(v.width() * 2, v.height() * 2, (int) v.frames(), (int) Math.round(v.fps()));
        } finally {
            Files.deleteIfExists(in);
        }
    }

    static byte[] music(double seconds) {
        return TestMedia.bytes(".wav", f -> TestMedia.tone(f, 330, 44100, Math.max(1, seconds), "-c:a", "pcm_s16le"));
    }

    public static RemoteStages.Fal falAt(FakeFalServer fake, String key) {
        return new RemoteStages.Fal(
                "fal", fake.baseUri(), key, null, Duration.ofMillis(20), 64L << 20, RemoteFixtures.FAST);
    }

    public static RemoteStages.Replicate replicateAt(FakeReplicateServer fake, String token) {
        return new RemoteStages.Replicate(
                "replicate", fake.baseUri(), token, Duration.ofMillis(20), 64L << 20, RemoteFixtures.FAST);
    }

    /** Text to video with the fake's fields, continuing shots through {@code imageModel} (or not, when null). */
    public static HostedSettings render(String model, String imageModel, Duration timeout) {
        return new HostedSettings(model, imageModel, VIDEO_INPUT, null, Map.of(), "", timeout, 16L << 20);
    }

    /** The shot after {@code first}: a new prompt, starting from {@code lastFrame} of {@code first}. */
    public static RenderRequest continuing(StageOutput first, Path lastFrame, String backend) {
        return new RenderRequest(
                "the heron takes off",
                "",
                2,
                256,
                144,
                16,
                8,
                new Continuation("shot-1", lastFrame, "a heron in the reeds", "", backend, first.params()));
    }

    /** {@code second} continues {@code first}: its first frame is {@code first}'s last (decoded and compared). */
    public static void assertContinues(StageOutput first, StageOutput second, Path scratch) throws Exception {
        var last = StageFixtures.decode(first.file(), scratch).frames().getLast();
        var firstOfNext = StageFixtures.decode(second.file(), scratch).frames().getFirst();
        assertThat(StageFixtures.Frames.difference(last, firstOfNext)).isLessThan(2.0);
        assertThat(second.params())
                .containsEntry(Continuation.CONTINUES, "shot-1")
                .containsEntry(Continuation.HOW, "image-to-video");
    }
}
