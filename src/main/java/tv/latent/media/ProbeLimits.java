package tv.latent.media;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;

/**
 * The most a media file from outside (a model server's output) may claim before LatentTV decodes
 * it: ffprobe reads its headers first ({@link Ffmpeg#probeUntrusted}), and a file past any limit is
 * refused with the limit named, before a frame is decoded. Decoding then runs with {@code
 * -max_pixels}, so a frame that grows mid-stream past {@link #maxPixels} is refused too.
 *
 * <p>{@link #UNTRUSTED}, the limits every remote stage output meets, leaves room for anything a
 * channel can air (8K frames, half an hour, 240 fps) and nothing that only costs memory or CPU:
 *
 * <ul>
 *   <li>a side of at most {@value #MAX_SIDE} pixels and at most {@value #MAX_PIXELS} pixels a frame
 *       (8192×4320);
 *   <li>at most {@value #MAX_FRAMES} frames (counted, or claimed by the header, or duration × rate);
 *   <li>at most {@value #MAX_SECONDS} s, {@value #MAX_BITS_PER_SECOND} bit/s and {@value #MAX_BYTES} bytes;
 *   <li>at most {@value #MAX_STREAMS} streams, audio of at most {@value #MAX_CHANNELS} channels at
 *       {@value #MAX_SAMPLE_RATE} Hz.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public record ProbeLimits(
        int maxSide,
        long maxPixels,
        long maxFrames,
        double maxSeconds,
        long maxBitsPerSecond,
        long maxBytes,
        int maxStreams,
        int maxChannels,
        int maxSampleRate) {
    public static final int MAX_SIDE = 8192;
    public static final long MAX_PIXELS = 8192L * 4320;
    public static final long MAX_FRAMES = 100_000;
    public static final double MAX_SECONDS = 1800;
    public static final long MAX_BITS_PER_SECOND = 400_000_000L;
    public static final long MAX_BYTES = 4L << 30;
    public static final int MAX_STREAMS = 16;
    public static final int MAX_CHANNELS = 16;
    public static final int MAX_SAMPLE_RATE = 192_000;

    /** The limits for files from model servers. */
    public static final ProbeLimits UNTRUSTED = new ProbeLimits(
            MAX_SIDE,
            MAX_PIXELS,
            MAX_FRAMES,
            MAX_SECONDS,
            MAX_BITS_PER_SECOND,
            MAX_BYTES,
            MAX_STREAMS,
            MAX_CHANNELS,
            MAX_SAMPLE_RATE);

    /**
     * What in an ffprobe header ({@code -show_format -show_streams}, nothing decoded) is past a
     * limit, or empty when nothing is.
     */
    Optional<String> problem(JsonNode header) {
        JsonNode format = header.path("format");
        JsonNode streams = header.path("streams");
        if (streams.size() > maxStreams || format.path("nb_streams").asLong(0) > maxStreams) {
            return Optional.of(
                    Math.max(streams.size(), format.path("nb_streams").asLong(0)) + " streams, over the limit of "
                            + maxStreams);
        }
        Optional<String> whole = seconds("the file", format.path("duration").asDouble(0))
                .or(() -> bitRate("the file", format.path("bit_rate").asLong(0)));
        if (whole.isPresent()) {
            return whole;
        }
        for (JsonNode stream : streams) {
            String type = stream.path("codec_type").asText("");
            String what = type + " stream " + stream.path("index").asInt();
            double seconds = stream.path("duration").asDouble(0);
            Optional<String> problem = seconds(what, seconds)
                    .or(() -> bitRate(what, stream.path("bit_rate").asLong(0)));
            if (problem.isEmpty() && type.equals("video")) {
                problem = picture(
                        what, stream, Math.max(seconds, format.path("duration").asDouble(0)));
            } else if (problem.isEmpty() && type.equals("audio")) {
                problem = sound(what, stream);
            }
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /** Whether {@code frames} counted by decoding are within the limit. */
    Optional<String> counted(long frames) {
        return frames > maxFrames ? Optional.of(frames + " frames, over the limit of " + maxFrames) : Optional.empty();
    }

    private Optional<String> picture(String what, JsonNode stream, double seconds) {
        long width = stream.path("width").asLong(0);
        long height = stream.path("height").asLong(0);
        if (width > maxSide || height > maxSide || width * height > maxPixels) {
            return Optional.of(what + " is " + width + "x" + height + ", over the limit of " + maxSide
                    + " pixels a side and " + maxPixels + " a frame");
        }
        long claimed = stream.path("nb_frames").asLong(0);
        if (claimed > maxFrames) {
            return Optional.of(what + " claims " + claimed + " frames, over the limit of " + maxFrames);
        }
        double fps = rate(
                stream.path("avg_frame_rate").asText(""),
                rate(stream.path("r_frame_rate").asText(""), 0));
        if (fps * seconds > maxFrames) {
            return Optional.of(String.format(
                    Locale.ROOT,
                    "%s runs %.0f s at %.2f fps, over the limit of %d frames",
                    what,
                    seconds,
                    fps,
                    maxFrames));
        }
        return Optional.empty();
    }

    private Optional<String> sound(String what, JsonNode stream) {
        long channels = stream.path("channels").asLong(0);
        long rate = stream.path("sample_rate").asLong(0);
        if (channels > maxChannels || rate > maxSampleRate) {
            return Optional.of(what + " has " + channels + " channels at " + rate + " Hz, over the limit of "
                    + maxChannels + " channels at " + maxSampleRate + " Hz");
        }
        return Optional.empty();
    }

    private Optional<String> seconds(String what, double seconds) {
        return seconds > maxSeconds
                ? Optional.of(String.format(
                        Locale.ROOT, "%s lasts %.0f s, over the limit of %.0f s", what, seconds, maxSeconds))
                : Optional.empty();
    }

    private Optional<String> bitRate(String what, long bitsPerSecond) {
        return bitsPerSecond > maxBitsPerSecond
                ? Optional.of(what + " has " + bitsPerSecond + " bit/s, over the limit of " + maxBitsPerSecond)
                : Optional.empty();
    }

    /** A frame rate such as "24000/1001"; {@code fallback} when it is not one. */
    private static double rate(String text, double fallback) {
        int slash = text.indexOf('/');
        try {
            if (slash < 0) {
                return text.isEmpty() ? fallback : Double.parseDouble(text);
            }
            double den = Double.parseDouble(text.substring(slash + 1));
            return den == 0 ? fallback : Double.parseDouble(text.substring(0, slash)) / den;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
