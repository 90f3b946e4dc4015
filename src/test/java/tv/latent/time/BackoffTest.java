package tv.latent.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(5));

    @Test
    void doublesFromTheFirstWaitUpToTheCap() {
        assertThat(backoff.nominal(0)).isZero();
        assertThat(backoff.nominal(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.nominal(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.nominal(9)).isEqualTo(Duration.ofSeconds(256));
        assertThat(backoff.nominal(10)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.nominal(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(5));
    }

    @RepeatedTest(20)
    void jitterOnlyShortensAWaitAndByAtMostItsFraction() {
        Duration wait = backoff.delay(4);
        assertThat(wait).isLessThanOrEqualTo(Duration.ofSeconds(8)).isGreaterThanOrEqualTo(Duration.ofMillis(6400));
    }

    @Test
    void aServersRetryAfterWinsWhenLongerButNeverBeyondTheCap() {
        assertThat(backoff.delay(1, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(1, Duration.ofHours(2))).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.delay(1, Duration.ofMillis(1))).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void refusesACapBelowTheFirstWaitOrAJitterOutsideZeroToOne() {
        assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("first <= max");
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ZERO, 1.5)).hasMessageContaining("jitter");
    }
}
