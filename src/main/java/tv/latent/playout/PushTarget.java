package tv.latent.playout;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An RTMP server a channel is pushed to. URL and stream key are read from environment
 * variables, so keys stay out of configuration files and logs.
 *
 * @param name a short label for logs, e.g. {@code twitch}
 * @param urlVariable names the variable holding the ingest URL, e.g. {@code rtmp://live.example/app}
 * @param keyVariable names the variable holding the stream key, appended as the last path part;
 *     null when the URL already contains it
 */
public record PushTarget(String name, String urlVariable, String keyVariable) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public PushTarget {
        Objects.requireNonNull(urlVariable, "urlVariable");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("push target name must match " + NAME + ", got " + name);
        }
    }
}
