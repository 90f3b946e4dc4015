package tv.latent.generate;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tv.latent.media.MediaInfo;

/**
 * What a stage needs to know of a video to plan filters for it without reading it: its size, frame
 * rate and frame count. Its text form ({@code 1024x576 24.000fps 72f}) is what a planned stage keeps
 * in the job's records, so a resumed job fuses exactly what was planned. Immutable.
 */
public record VideoShape(int width, int height, double fps, int frames) {
    private static final Pattern TEXT = Pattern.compile("(\\d+)x(\\d+) ([0-9.]+)fps (\\d+)f");

    public VideoShape {
        if (width < 1 || height < 1 || !(fps > 0) || frames < 1) {
            throw new IllegalArgumentException("a video shape needs a size, a frame rate and frames, got " + width + "x"
                    + height + " at " + fps + " fps, " + frames + " frames");
        }
    }

    /** The shape of a probed video stream. */
    public static VideoShape of(MediaInfo.Video video) {
        return new VideoShape(video.width(), video.height(), video.fps(), Math.toIntExact(video.frames()));
    }

    /** Reads the text form written by {@link #toString()}. */
    public static VideoShape parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a video shape: \"" + text + "\"");
        }
        return new VideoShape(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                Double.parseDouble(m.group(3)),
                Integer.parseInt(m.group(4)));
    }

    public double seconds() {
        return frames / fps;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%dx%d %.3ffps %df", width, height, fps, frames);
    }
}
