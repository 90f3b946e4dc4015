package tv.latent.playout;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An RTMP server a channel is pushed to, resolved by the station: the ingest URL and the stream
 * key read from the environment. {@link #toString()} never shows the key.
 *
 * @param name a short label for logs, e.g. {@code twitch}
 * @param url the ingest URL, {@code rtmp://} or {@code rtmps://}, e.g. {@code rtmp://live.example/app}
 * @param streamKey appended as the last path part; null when the URL already contains it
 */
public record PushTarget(String name, String url, String streamKey) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public PushTarget {
        Objects.requireNonNull(url, "url");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("push target name must match " + NAME + ", got " + name);
        }
        if (!url.startsWith("rtmp://") && !url.startsWith("rtmps://")) {
            throw new IllegalArgumentException("the URL must be an rtmp:// or rtmps:// URL");
        }
        streamKey = streamKey == null || streamKey.isEmpty() ? null : streamKey;
    }

    /** The URL ffmpeg publishes to: the ingest URL with the stream key as its last path part. */
    String publishUrl() {
        return streamKey == null ? url : url.replaceAll("/+$", "") + "/" + streamKey;
    }

    @Override
    public String toString() {
        return "PushTarget[" + name + " " + url + (streamKey == null ? "" : "/****") + "]";
    }
}
