package tv.latent.playout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import tv.latent.media.Ffmpeg;
import tv.latent.media.HouseFormat;

/**
 * The channel's title card, aired when the library has no clip: one join unit of the house
 * format (so it joins like any clip, without a discontinuity), made once with ffmpeg and kept
 * under the channel's directory, keyed by title and format.
 */
final class Slate {
    static final String LINE = "more clips are being made";
    private static final Path FONT = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");

    private Slate() {}

    /** The slate's master file for this title and format, made if missing. */
    static Path make(Ffmpeg ffmpeg, Path channelDir, String title, HouseFormat format)
            throws IOException, InterruptedException {
        Path dir = channelDir.resolve("slate-" + key(title, format));
        Path master = dir.resolve("slate.mp4");
        if (Files.isRegularFile(master)) {
            return master;
        }
        Files.createDirectories(dir);
        Path text = dir.resolve("title.txt");
        Files.writeString(text, title, StandardCharsets.UTF_8);
        Path line = dir.resolve("line.txt");
        Files.writeString(line, LINE, StandardCharsets.UTF_8);
        int frames = format.joinUnitFrames();
        String font = Files.isRegularFile(FONT) ? "fontfile=" + filterQuote(FONT.toString()) + ":" : "";
        int big = Math.max(12, format.height() / 10);
        int small = Math.max(10, format.height() / 22);
        String video = "color=c=0x101828:s=" + format.width() + "x" + format.height() + ":r=" + format.fps()
                + ",drawtext=" + font + "textfile=" + filterQuote(text.toString())
                + ":expansion=none:fontcolor=white:fontsize=" + big
                + ":x=(w-text_w)/2:y=(h/2)-text_h"
                + ",drawtext=" + font + "textfile=" + filterQuote(line.toString())
                + ":expansion=none:fontcolor=0xB0B8C8:fontsize=" + small
                + ":x=(w-text_w)/2:y=(h/2)+" + (small / 2)
                + ",trim=end_frame=" + frames + ",format=yuv420p[v]";
        String audio =
                "anullsrc=r=" + format.audioRate() + ":cl=stereo,atrim=end_sample=" + format.samplesFor(frames) + "[a]";
        Path temp = dir.resolve("slate.tmp.mp4");
        List<String> args =
                new ArrayList<>(List.of("-filter_complex", video + ";" + audio, "-map", "[v]", "-map", "[a]"));
        args.addAll(format.encoderArguments());
        args.addAll(List.of("-movflags", "+faststart", "-f", "mp4", temp.toString()));
        ffmpeg.run(args, Duration.ofMinutes(2), null, null);
        Files.move(temp, master, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return master;
    }

    /** Quotes a value for an ffmpeg filter graph option (both escaping levels). */
    static String filterQuote(String value) {
        String option = value.replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'");
        return option.replace("\\", "\\\\")
                .replace("'", "\\'")
                .replace("[", "\\[")
                .replace("]", "\\]")
                .replace(",", "\\,")
                .replace(";", "\\;");
    }

    private static String key(String title, HouseFormat format) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((title + "\n" + format).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
