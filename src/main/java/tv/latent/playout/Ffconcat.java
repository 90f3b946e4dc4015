package tv.latent.playout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import tv.latent.media.HouseFormat;

/**
 * Writes a channel's library as an ffmpeg concat script ({@code ffconcat version 1.0}), as the
 * original's {@code playlist} command did: mastered clips in mastering order, each with its
 * exact duration.
 *
 * <pre>{@code
 * String text = Ffconcat.render(catalog.mastered("news"), HouseFormat.DEFAULT);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Ffconcat {
    private Ffconcat() {}

    /** The concat script for {@code clips}, ordered by mastering time then clip id. */
    public static String render(List<AirableClip> clips, HouseFormat format) {
        StringBuilder out = new StringBuilder("ffconcat version 1.0\n");
        clips.stream()
                .sorted(Comparator.comparing(AirableClip::masteredAt).thenComparing(AirableClip::clipId))
                .forEach(clip -> out.append("file ")
                        .append(quote(clip.master().toAbsolutePath().toString()))
                        .append('\n')
                        .append("duration ")
                        .append(String.format(Locale.ROOT, "%.6f", format.secondsFor(clip.frames())))
                        .append('\n'));
        return out.toString();
    }

    /** Writes the script to {@code file} atomically. */
    public static void write(Path file, List<AirableClip> clips, HouseFormat format) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".ffconcat-", ".tmp");
        try {
            Files.writeString(temp, render(clips, format), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Quotes a path for the concat demuxer: inside single quotes nothing is special, and a
     * single quote itself is closed, escaped and reopened ({@code 'it'\''s'}). Line breaks would
     * end the directive, so they are refused.
     */
    static String quote(String path) {
        if (path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(
                    "a clip path with a line break cannot go in an ffconcat file: " + path.strip());
        }
        return "'" + path.replace("'", "'\\''") + "'";
    }
}
