package tv.latent.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What ffprobe says about a media file: its container and its first video and audio streams.
 *
 * @param durationSeconds the container's duration, 0 when unknown
 */
public record MediaInfo(
        Path file,
        String formatName,
        double durationSeconds,
        long sizeBytes,
        Optional<Video> video,
        Optional<Audio> audio) {

    /** A video stream. {@code frames} is counted by decoding, so it is exact. */
    public record Video(
            String codec,
            String profile,
            String pixelFormat,
            int width,
            int height,
            double fps,
            long frames,
            double durationSeconds) {}

    /** An audio stream. */
    public record Audio(String codec, String profile, int sampleRate, int channels, double durationSeconds) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    static MediaInfo parse(String ffprobeJson, Path file) throws IOException {
        JsonNode root = JSON.readTree(ffprobeJson);
        JsonNode format = root.path("format");
        Video video = null;
        Audio audio = null;
        for (JsonNode stream : root.path("streams")) {
            String type = stream.path("codec_type").asText();
            if (type.equals("video")
                    && video == null
                    && !stream.path("disposition").path("attached_pic").asBoolean(false)) {
                long frames = stream.path("nb_read_frames")
                        .asLong(stream.path("nb_frames").asLong(0));
                video = new Video(
                        stream.path("codec_name").asText(""),
                        stream.path("profile").asText(""),
                        stream.path("pix_fmt").asText(""),
                        stream.path("width").asInt(),
                        stream.path("height").asInt(),
                        rational(
                                stream.path("avg_frame_rate").asText("0/1"),
                                rational(stream.path("r_frame_rate").asText("0/1"), 0)),
                        frames,
                        stream.path("duration").asDouble(0));
            } else if (type.equals("audio") && audio == null) {
                audio = new Audio(
                        stream.path("codec_name").asText(""),
                        stream.path("profile").asText(""),
                        stream.path("sample_rate").asInt(),
                        stream.path("channels").asInt(),
                        stream.path("duration").asDouble(0));
            }
        }
        return new MediaInfo(
                file,
                format.path("format_name").asText(""),
                format.path("duration").asDouble(0),
                format.path("size").asLong(0),
                Optional.ofNullable(video),
                Optional.ofNullable(audio));
    }

    private static double rational(String text, double fallback) {
        int slash = text.indexOf('/');
        try {
            if (slash < 0) {
                return Double.parseDouble(text);
            }
            double den = Double.parseDouble(text.substring(slash + 1));
            return den == 0 ? fallback : Double.parseDouble(text.substring(0, slash)) / den;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The video's duration: the stream's own when known, else frames over rate, else the container's. */
    public double videoSeconds() {
        return video.map(v -> v.durationSeconds() > 0
                        ? v.durationSeconds()
                        : v.fps() > 0 && v.frames() > 0 ? v.frames() / v.fps() : durationSeconds)
                .orElse(0.0);
    }
}
