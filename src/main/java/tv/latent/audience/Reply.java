package tv.latent.audience;

import java.time.Duration;
import java.util.Optional;

/**
 * The answer to a viewer's suggestion or vote: accepted, or refused with a reason the viewer can
 * read. Messages are plain text in the viewer's terms (never a list entry or an internal error);
 * the web escapes them like any text.
 */
public sealed interface Reply permits Reply.Accepted, Reply.Refused {
    /** What to tell the viewer. */
    String message();

    /** The suggestion as it now stands (queued, pending review, or voted for). */
    record Accepted(SuggestionView suggestion, String message) implements Reply {}

    /**
     * Not taken.
     *
     * @param retryAfter when trying again may succeed (rate limits, a busy channel, moderation
     *     that could not answer); empty when the same request will never be taken
     */
    record Refused(Why why, String message, Optional<Duration> retryAfter) implements Reply {
        Refused(Why why, String message) {
            this(why, message, Optional.empty());
        }
    }

    /** Why a suggestion or vote was refused. */
    enum Why {
        NO_SUCH_CHANNEL,
        /** The channel takes no suggestions. */
        CLOSED,
        TOO_SHORT,
        TOO_LONG,
        /** Not text: NUL bytes, broken characters, noncharacters. */
        NOT_TEXT,
        CONTROL_CHARACTERS,
        /** Invisible characters that change the direction text is shown in. */
        DIRECTION_CHARACTERS,
        LINK,
        /** No words in it (only signs, markup or emoji). */
        NO_WORDS,
        /** The display name is too long, or not plain text. */
        BAD_NAME,
        /** The moderation gate flagged the text. */
        FLAGGED,
        /** The moderation gate flagged the display name. */
        NAME_FLAGGED,
        /** The moderation endpoint could not answer: nothing unchecked is taken. */
        MODERATION_UNAVAILABLE,
        /** The same (or nearly) was suggested recently. */
        DUPLICATE,
        /** This viewer suggested too recently. */
        VIEWER_TOO_SOON,
        /** Too many suggestions or votes from this IP address lately. */
        ADDRESS_TOO_BUSY,
        /** Too many suggestions on this channel this minute (a flood from many). */
        CHANNEL_TOO_BUSY,
        QUEUE_FULL,
        /** This viewer has as many suggestions waiting as allowed. */
        VIEWER_QUEUE_FULL,
        /** No queued suggestion has that number. */
        NOT_IN_QUEUE,
        ALREADY_VOTED,
        OWN_SUGGESTION
    }
}
