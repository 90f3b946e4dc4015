package tv.latent.backend.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-10-21T07:28:00Z");

    private static HttpHeaders retryAfter(String value) {
        return HttpHeaders.of(Map.of("Retry-After", List.of(value)), (k, v) -> true);
    }

    @Test
    void readsDelaySeconds() {
        assertThat(RetryAfter.parse("7", NOW)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
    }

    @Test
    void readsAnHttpDateInEachOfItsThreeForms() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2026 07:28:30 GMT", NOW)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Wednesday, 21-Oct-26 07:29:00 GMT", NOW)).contains(Duration.ofSeconds(60));
        assertThat(RetryAfter.parse("Wed Oct 21 07:28:05 2026", NOW)).contains(Duration.ofSeconds(5));
    }

    @Test
    void aDateInThePastMeansNowAndGarbageMeansNothing() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2026 07:00:00 GMT", NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("", NOW)).isEmpty();
    }

    @Test
    void aServerCannotParkABackendForMoreThanADay() {
        assertThat(RetryAfter.parse("31536000", NOW)).contains(RetryAfter.LONGEST);
        assertThat(RetryAfter.parse("99999999999999999999", NOW)).contains(RetryAfter.LONGEST);
    }

    @Test
    void countsOnlyOn429And503() {
        InstantSource clock = InstantSource.fixed(NOW);
        assertThat(RetryAfter.of(429, retryAfter("7"), clock)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.of(503, retryAfter("7"), clock)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.of(500, retryAfter("7"), clock)).isEmpty();
        assertThat(RetryAfter.of(429, HttpHeaders.of(Map.of(), (k, v) -> true), clock))
                .isEmpty();
    }
}
