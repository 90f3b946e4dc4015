package tv.latent.playout;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import tv.latent.media.HouseFormat;

/**
 * What playout needs to know of one channel, validated on construction (the station derives it
 * from the channel's configuration, with push targets already resolved).
 *
 * @param id lower-case letters, digits, '-' and '_'; used in paths and URLs
 * @param lookaheadSeconds how many seconds of fresh, not yet aired clips the pipeline should keep ready
 * @param holdForReview every new clip waits for an operator's approval before it may air
 * @param captionsLanguage the language of the channel's narration captions (a BCP 47 tag), or
 *     empty for a channel without them: its master playlist then has no subtitles rendition
 */
public record PlayoutChannel(
        String id,
        String title,
        HouseFormat format,
        List<PushTarget> pushTargets,
        int lookaheadSeconds,
        boolean holdForReview,
        String captionsLanguage) {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /** Default lookahead: three minutes of fresh clips. */
    public static final int DEFAULT_LOOKAHEAD_SECONDS = 180;

    public PlayoutChannel {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("channel id must match " + ID + ", got " + id);
        }
        Objects.requireNonNull(format, "format");
        title = title == null || title.isBlank() ? id : title.strip();
        pushTargets = List.copyOf(pushTargets == null ? List.of() : pushTargets);
        Set<String> names = new HashSet<>();
        for (PushTarget target : pushTargets) {
            if (!names.add(target.name())) {
                throw new IllegalArgumentException(
                        "channel " + id + ": push target name " + target.name() + " is used twice");
            }
        }
        if (90_000 % format.fps() != 0) {
            throw new IllegalArgumentException(
                    "channel " + id + ": fps " + format.fps() + " is not a whole number of 90 kHz ticks per frame");
        }
        if (lookaheadSeconds < 0 || lookaheadSeconds > 86_400) {
            throw new IllegalArgumentException(
                    "channel " + id + ": lookaheadSeconds must be 0..86400, got " + lookaheadSeconds);
        }
        captionsLanguage = captionsLanguage == null ? "" : captionsLanguage.strip();
        if (!captionsLanguage.isEmpty() && !LANGUAGE.matcher(captionsLanguage).matches()) {
            throw new IllegalArgumentException(
                    "channel " + id + ": captions language must be a tag such as en or pt-BR, got " + captionsLanguage);
        }
    }

    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}");

    /** A channel without captions. */
    public PlayoutChannel(
            String id,
            String title,
            HouseFormat format,
            List<PushTarget> pushTargets,
            int lookaheadSeconds,
            boolean holdForReview) {
        this(id, title, format, pushTargets, lookaheadSeconds, holdForReview, "");
    }

    /** Whether the channel's master playlist carries a subtitles rendition. */
    public boolean captions() {
        return !captionsLanguage.isEmpty();
    }

    /** A channel whose clips air without review. */
    public PlayoutChannel(
            String id, String title, HouseFormat format, List<PushTarget> pushTargets, int lookaheadSeconds) {
        this(id, title, format, pushTargets, lookaheadSeconds, false);
    }

    /** A channel with no push targets and the default lookahead. */
    public static PlayoutChannel of(String id, String title, HouseFormat format) {
        return new PlayoutChannel(id, title, format, List.of(), DEFAULT_LOOKAHEAD_SECONDS);
    }
}
