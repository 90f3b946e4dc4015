package tv.latent.media;

import java.io.IOException;

/** An ffmpeg or ffprobe run that failed; the message carries the tool's own last words. */
public final class FfmpegException extends IOException {
    private final boolean diskFull;

    public FfmpegException(String message, boolean diskFull) {
        super(message);
        this.diskFull = diskFull;
    }

    /** True when the tool reported that the disk or quota was full. */
    public boolean diskFull() {
        return diskFull;
    }
}
