package tv.latent.media;

import java.util.ArrayList;
import java.util.List;

/**
 * The one format every clip of a channel is mastered into, so that playout can copy bytes.
 *
 * <p>H.264 High yuv420p at a fixed size and integer frame rate, closed GOPs of exactly one
 * segment, AAC-LC stereo at {@link #audioRate}, loudness normalised to {@link #loudnessLufs}.
 * Clip lengths are whole multiples of {@link #joinUnitFrames()}, the shortest length at which
 * video frames and 1024-sample AAC frames end together, so clips join without audio drift.
 *
 * <p>Immutable and thread-safe.
 */
public record HouseFormat(
        int width,
        int height,
        int fps,
        int segmentSeconds,
        int audioRate,
        int videoKbps,
        int audioKbps,
        double loudnessLufs) {

    /** AAC-LC codes audio in frames of this many samples. */
    public static final int AAC_FRAME_SAMPLES = 1024;

    /** 1024×576 at 24 fps, 2 s segments, 48 kHz, -16 LUFS. */
    public static final HouseFormat DEFAULT = new HouseFormat(1024, 576, 24, 2, 48000, 2500, 128, -16);

    public HouseFormat {
        require(width >= 64 && width <= 3840 && width % 2 == 0, "width must be even, 64..3840");
        require(height >= 64 && height <= 2160 && height % 2 == 0, "height must be even, 64..2160");
        require(fps >= 1 && fps <= 60, "fps must be 1..60");
        require(segmentSeconds >= 1 && segmentSeconds <= 10, "segmentSeconds must be 1..10");
        require(audioRate == 44100 || audioRate == 48000, "audioRate must be 44100 or 48000");
        require(audioRate % fps == 0, "audioRate must be a whole number of samples per frame");
        require(videoKbps >= 100 && videoKbps <= 50000, "videoKbps must be 100..50000");
        require(audioKbps >= 32 && audioKbps <= 512, "audioKbps must be 32..512");
        require(loudnessLufs >= -40 && loudnessLufs <= -5, "loudnessLufs must be -40..-5");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Video frames in one segment, which is also one closed GOP. */
    public int gopFrames() {
        return fps * segmentSeconds;
    }

    /** Audio samples per video frame (2000 at 48 kHz and 24 fps). */
    public int samplesPerFrame() {
        return audioRate / fps;
    }

    /** Shortest clip length, in frames, whose audio is a whole number of AAC frames (64 at 24 fps). */
    public int joinUnitFrames() {
        return AAC_FRAME_SAMPLES / gcd(AAC_FRAME_SAMPLES, samplesPerFrame());
    }

    /** The mastered length for a source of the given length: the nearest whole number of join units, at least one. */
    public int masteredFrames(double sourceSeconds) {
        int unit = joinUnitFrames();
        long units = Math.max(1, Math.round(sourceSeconds * fps / unit));
        return Math.toIntExact(units * unit);
    }

    /** Audio samples in a clip of the given number of frames. */
    public long samplesFor(int frames) {
        return (long) frames * samplesPerFrame();
    }

    /** Seconds of a clip of the given number of frames. */
    public double secondsFor(int frames) {
        return (double) frames / fps;
    }

    /**
     * The encoder arguments that make a stream of this format: H.264 High yuv420p, closed GOPs of
     * exactly one segment with keyframes on segment boundaries, AAC-LC stereo. Every encode that
     * must join the channel without a break (masters, slates, test clips) uses these.
     *
     * <p>The x264 preset and threads are chosen by measurement for this size ({@code
     * bench/encoder.sh}): the pipeline runs as many ffmpeg processes as there are cores, so with
     * frames above 1024×576 each encode keeps to one thread (two such encodes at once finished
     * sooner that way); smaller frames keep x264's own threading, which overlaps the encode with
     * decoding and filtering.
     */
    public List<String> encoderArguments() {
        int gop = gopFrames();
        List<String> args = new ArrayList<>(List.of(
                "-c:v",
                "libx264",
                "-preset",
                x264Preset(),
                "-profile:v",
                "high",
                "-pix_fmt",
                "yuv420p",
                "-crf",
                "20",
                "-maxrate",
                videoKbps + "k",
                "-bufsize",
                (videoKbps * 2) + "k",
                "-g",
                String.valueOf(gop),
                "-keyint_min",
                String.valueOf(gop),
                "-sc_threshold",
                "0",
                "-force_key_frames",
                "expr:eq(mod(n," + gop + "),0)",
                "-x264-params",
                "open-gop=0",
                "-c:a",
                "aac",
                "-b:a",
                audioKbps + "k",
                "-ar",
                String.valueOf(audioRate),
                "-ac",
                "2"));
        if (width * height > LARGE_FRAME_PIXELS) {
            args.addAll(List.of("-threads", "1"));
        }
        return List.copyOf(args);
    }

    /**
     * The RFC 6381 codecs of this format's streams, for an HLS master playlist: H.264 High at the
     * level x264 chooses for this size, rate and rate cap (the lowest whose frame size, macroblock
     * rate, bit rate and buffer hold them), and AAC-LC.
     */
    public String codecs() {
        long mbWide = (width + 15) / 16;
        long mbHigh = (height + 15) / 16;
        long frameMbs = mbWide * mbHigh;
        long mbPerSecond = frameMbs * fps;
        int level = 52;
        for (long[] l : LEVELS) {
            // High profile allows 1.25 times the baseline bit rate and buffer
            if (frameMbs <= l[2]
                    && mbPerSecond <= l[1]
                    && videoKbps * 4L <= l[3] * 5
                    && videoKbps * 2L * 4 <= l[4] * 5) {
                level = (int) l[0];
                break;
            }
        }
        return String.format(java.util.Locale.ROOT, "avc1.6400%02x,mp4a.40.2", level);
    }

    /** H.264 levels: level × 10, macroblocks a second, macroblocks a frame, bit rate and buffer (kbit). */
    private static final long[][] LEVELS = {
        {10, 1485, 99, 64, 175},
        {11, 3000, 396, 192, 500},
        {12, 6000, 396, 384, 1000},
        {13, 11880, 396, 768, 2000},
        {20, 11880, 396, 2000, 2000},
        {21, 19800, 792, 4000, 4000},
        {22, 20250, 1620, 4000, 4000},
        {30, 40500, 1620, 10000, 10000},
        {31, 108000, 3600, 14000, 14000},
        {32, 216000, 5120, 20000, 20000},
        {40, 245760, 8192, 20000, 25000},
        {41, 245760, 8192, 50000, 62500},
        {42, 522240, 8704, 50000, 62500},
        {50, 589824, 22080, 135000, 135000},
        {51, 983040, 36864, 240000, 240000},
        {52, 2073600, 36864, 240000, 240000}
    };

    /** Frames larger than 1024×576 are encoded on one thread each (see {@link #encoderArguments()}). */
    private static final int LARGE_FRAME_PIXELS = 1024 * 576;

    /** Frames up to 640×360 get x264's {@code faster} preset (see {@link #encoderArguments()}). */
    private static final int SMALL_FRAME_PIXELS = 640 * 360;

    /**
     * The x264 preset for this size, chosen by measurement ({@code bench/encoder.sh}, reported in
     * BENCHMARKS.md): up to 640×360, {@code faster} costs a fraction of a CPU-second more per clip
     * for nearly a {@code slow} encode's SSIM; above that, {@code veryfast}, since slower presets
     * gain under 0.01 SSIM at the bitrate cap for 1.5-2.5 times the CPU.
     */
    String x264Preset() {
        return width * height <= SMALL_FRAME_PIXELS ? "faster" : "veryfast";
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
