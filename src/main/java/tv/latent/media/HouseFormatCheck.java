package tv.latent.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Compares what ffprobe saw with the house format; every difference is one problem line. */
public final class HouseFormatCheck {
    private HouseFormatCheck() {}

    /** The differences between {@code info} and a house-format clip of {@code frames} frames; empty when it conforms. */
    public static List<String> problems(MediaInfo info, HouseFormat format, int frames) {
        List<String> problems = new ArrayList<>();
        double frame = 1.0 / format.fps();
        if (info.video().isEmpty()) {
            problems.add("no video stream");
        }
        info.video().ifPresent(v -> {
            expect(problems, "video codec", v.codec(), "h264");
            expect(problems, "H.264 profile", v.profile(), "High");
            expect(problems, "pixel format", v.pixelFormat(), "yuv420p");
            if (v.width() != format.width() || v.height() != format.height()) {
                problems.add("size is " + v.width() + "x" + v.height() + ", expected " + format.width() + "x"
                        + format.height());
            }
            if (Math.abs(v.fps() - format.fps()) > 0.01) {
                problems.add(String.format(Locale.ROOT, "frame rate is %.3f, expected %d", v.fps(), format.fps()));
            }
            if (v.frames() != frames) {
                problems.add("video has " + v.frames() + " frames, expected " + frames);
            }
        });
        if (info.audio().isEmpty()) {
            problems.add("no audio stream");
        }
        info.audio().ifPresent(a -> {
            expect(problems, "audio codec", a.codec(), "aac");
            expect(problems, "AAC profile", a.profile(), "LC");
            if (a.sampleRate() != format.audioRate()) {
                problems.add("audio rate is " + a.sampleRate() + ", expected " + format.audioRate());
            }
            if (a.channels() != 2) {
                problems.add("audio has " + a.channels() + " channels, expected 2");
            }
            double videoSeconds = info.videoSeconds();
            if (Math.abs(a.durationSeconds() - videoSeconds) > frame) {
                problems.add(String.format(
                        Locale.ROOT,
                        "audio lasts %.3f s and video %.3f s: more than one frame apart",
                        a.durationSeconds(),
                        videoSeconds));
            }
        });
        return problems;
    }

    private static void expect(List<String> problems, String what, String actual, String expected) {
        if (!expected.equalsIgnoreCase(actual)) {
            problems.add(what + " is '" + actual + "', expected '" + expected + "'");
        }
    }
}
