package tv.latent.backend.comfyui;

import java.util.Locale;
import java.util.Set;

/**
 * A file a node wrote, as named in {@code /history}: core SaveVideo/SaveWEBM list videos under
 * {@code images} (with {@code animated: [true]}), VideoHelperSuite's VHS_VideoCombine under
 * {@code gifs} with a {@code format} such as {@code video/h264-mp4}. The names come from the
 * server: they address {@code /view}, never a local path.
 *
 * @param nodeId the node that wrote it
 * @param key the output list it was under ({@code images}, {@code gifs}, ...)
 * @param filename file name on the server
 * @param subfolder folder under the type's directory, empty for none
 * @param type {@code output}, {@code temp} or {@code input}
 * @param format media type when the node gave one, else empty
 * @param animated whether the node flagged it animated (core save nodes list {@code animated: [true]}
 *     beside {@code images})
 */
public record OutputFile(
        String nodeId, String key, String filename, String subfolder, String type, String format, boolean animated) {

    private static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "webm", "mkv", "mov", "m4v", "avi");

    /** A file the node did not flag animated. */
    public OutputFile(String nodeId, String key, String filename, String subfolder, String type, String format) {
        this(nodeId, key, filename, subfolder, type, format, false);
    }

    /**
     * Whether this is a video: by media type or file extension, or a file flagged animated that is
     * not an animated WebP (ffmpeg decodes animated GIF and PNG, not WebP animations).
     */
    public boolean isVideo() {
        if (format.startsWith("video/")) {
            return true;
        }
        String extension = extension();
        return VIDEO_EXTENSIONS.contains(extension) || animated && !extension.equals("webp");
    }

    /** Whether it is a container of its own (mp4, webm...) rather than an animated image. */
    boolean isContainer() {
        return format.startsWith("video/") || VIDEO_EXTENSIONS.contains(extension());
    }

    private String extension() {
        int dot = filename.lastIndexOf('.');
        return dot < 0 ? "" : filename.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
