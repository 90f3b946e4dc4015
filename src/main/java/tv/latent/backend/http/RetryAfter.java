package tv.latent.backend.http;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads how long a server asked to be left alone: the {@code Retry-After} header of a 429 (too
 * many requests) or 503 (unavailable) answer, as delay-seconds ({@code Retry-After: 7}) or as an
 * HTTP-date ({@code Retry-After: Wed, 21 Oct 2026 07:28:00 GMT}, and the two obsolete date forms
 * RFC 9110 still asks recipients to read).
 *
 * <pre>{@code
 * Optional<Duration> wait = RetryAfter.of(answer.status(), answer.headers(), InstantSource.system());
 * }</pre>
 *
 * <p>A date in the past means "now" (zero); a value that is neither form is ignored; anything
 * beyond {@link #LONGEST} is taken as {@link #LONGEST}, so a server cannot park a backend for
 * years. Stateless and thread-safe.
 */
public final class RetryAfter {
    /** The longest wait believed; callers cap it further with their own backoff. */
    public static final Duration LONGEST = Duration.ofDays(1);

    private static final List<DateTimeFormatter> OBSOLETE_DATES = List.of(
            // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.US),
            // asctime: Sun Nov  6 08:49:37 1994
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US));

    private RetryAfter() {}

    /** The wait a 429 or 503 answer asks for; empty for other statuses or without a readable header. */
    public static Optional<Duration> of(int status, HttpHeaders headers, InstantSource wall) {
        if (status != 429 && status != 503) {
            return Optional.empty();
        }
        return headers.firstValue("retry-after").flatMap(value -> parse(value, wall.instant()));
    }

    /** The wait any answer's {@code Retry-After} header asks for, whatever its status; empty without a readable one. */
    public static Optional<Duration> of(HttpHeaders headers, Instant now) {
        return headers.firstValue("retry-after").flatMap(value -> parse(value, now));
    }

    /** Reads one {@code Retry-After} value at instant {@code now} (for HTTP-dates). */
    public static Optional<Duration> parse(String value, Instant now) {
        String text = value.strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of(text.length() > 9 ? LONGEST : atMostLongest(Duration.ofSeconds(Long.parseLong(text))));
        }
        Instant at = date(text);
        if (at == null) {
            return Optional.empty();
        }
        Duration wait = Duration.between(now, at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : atMostLongest(wait));
    }

    private static Instant date(String text) {
        try {
            return ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            // one of the obsolete forms, or garbage
        }
        for (DateTimeFormatter format : OBSOLETE_DATES) {
            try {
                return LocalDateTime.parse(text, format).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return null;
    }

    private static Duration atMostLongest(Duration wait) {
        return wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
    }
}
