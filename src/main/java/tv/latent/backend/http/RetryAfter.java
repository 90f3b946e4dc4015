package tv.latent.backend.http;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads a server's {@code Retry-After} header (RFC 9110 §10.2.3): a number of seconds, or an
 * HTTP date. Stateless.
 *
 * <pre>{@code
 * Optional<Duration> wait = RetryAfter.of(answer.headers(), Instant.now());
 * }</pre>
 */
public final class RetryAfter {
    /** No server is obeyed beyond this: a broken header must not park a call for days. */
    public static final Duration LONGEST = Duration.ofHours(1);

    private RetryAfter() {}

    /**
     * How long the answer asks the caller to wait, at most {@link #LONGEST}; empty when the header
     * is absent or unreadable.
     *
     * @param now the wall-clock instant to measure an HTTP date against
     */
    public static Optional<Duration> of(HttpHeaders headers, java.time.Instant now) {
        return headers.firstValue("retry-after").flatMap(value -> parse(value, now));
    }

    /** The header's value as a wait; see {@link #of}. */
    public static Optional<Duration> parse(String value, java.time.Instant now) {
        String text = value == null ? "" : value.strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(cap(Duration.ofSeconds(Long.parseLong(text))));
            } catch (NumberFormatException | ArithmeticException e) {
                return Optional.of(LONGEST);
            }
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(now, at.toInstant());
            return Optional.of(wait.isNegative() ? Duration.ZERO : cap(wait));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration cap(Duration wait) {
        return wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
    }
}
