package tv.latent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tv.latent.config.Budget;
import tv.latent.library.Database;

/** Budgets: reservations against rolling hourly and daily caps, per channel and for the station; spend figures. */
class SpendingTest {
    @TempDir
    Path dir;

    Database db;
    final AtomicLong now = new AtomicLong(Instant.parse("2026-03-01T12:00:00Z").toEpochMilli());
    final InstantSource clock = () -> Instant.ofEpochMilli(now.get());

    @BeforeEach
    void open() throws Exception {
        db = Database.open(dir.resolve("latenttv.db"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    Spending spending(Budget station, Budget news) {
        return new Spending(db, "USD", station, Map.of("news", news, "nature", Budget.UNLIMITED), clock);
    }

    void pass(Duration d) {
        now.addAndGet(d.toMillis());
    }

    @Test
    void aChannelAtItsHourlyCapIsRefusedSayingWhichCap() throws Exception {
        Spending spending = spending(Budget.UNLIMITED, new Budget(0.25, 10));
        spending.reserve("news", "fal", 0.10).orElseThrow().commit("j1", JobState.RENDER, 0.10);
        spending.reserve("news", "fal", 0.10).orElseThrow().commit("j2", JobState.RENDER, 0.10);

        assertThat(spending.reserve("news", "fal", 0.10)).isEmpty();
        assertThat(spending.refusal("news"))
                .hasValueSatisfying(why -> assertThat(why).contains("channel hourly budget of 0.25 USD reached"));
        assertThat(spending.reserve("nature", "fal", 0.10))
                .as("another channel has its own")
                .isPresent();
        assertThat(spending.status("news").capped()).contains("channel hourly");
    }

    @Test
    void reachingACapAndComingBackUnderItAreEachLoggedOnce() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(Spending.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            Spending spending = spending(Budget.UNLIMITED, new Budget(0.25, 10));
            spending.reserve("news", "fal", 0.2).orElseThrow().commit("j1", JobState.RENDER, 0.2);
            assertThat(spending.reserve("news", "fal", 0.2)).isEmpty();
            assertThat(spending.reserve("news", "fal", 0.2)).isEmpty();
            pass(Duration.ofMinutes(61));
            assertThat(spending.reserve("news", "fal", 0.2)).isPresent();
        } finally {
            logger.detachAppender(logs);
        }
        assertThat(logs.list)
                .filteredOn(e -> e.getFormattedMessage().contains("cap"))
                .extracting(ILoggingEvent::getFormattedMessage)
                .satisfiesExactly(
                        held -> assertThat(held)
                                .startsWith("Channel news: paid backends skipped")
                                .contains("channel hourly budget of 0.25 USD reached"),
                        back -> assertThat(back).startsWith("Channel news: back under its budget caps"));
    }

    @Test
    void reservationsHeldAtOnceCountAgainstTheCapUntilReleased() throws Exception {
        Spending spending = spending(Budget.UNLIMITED, new Budget(0.30, 10));
        Spending.Reservation first = spending.reserve("news", "fal", 0.20).orElseThrow();

        assertThat(spending.reserve("news", "fal", 0.20))
                .as("two calls at once cannot both fit")
                .isEmpty();
        first.release();
        assertThat(spending.reserve("news", "fal", 0.20)).isPresent();
    }

    @Test
    void theStationCapCoversEveryChannel() throws Exception {
        Spending spending = spending(new Budget(0.5, 10), Budget.UNLIMITED);
        spending.reserve("news", "fal", 0.3).orElseThrow().commit("j1", JobState.RENDER, 0.3);

        assertThat(spending.reserve("nature", "fal", 0.3)).isEmpty();
        assertThat(spending.refusal("nature"))
                .hasValueSatisfying(why -> assertThat(why).contains("station hourly"));
        assertThat(spending.station().lastHour()).isEqualTo(0.3);
    }

    @Test
    void theWindowsRollWithTheClock() throws Exception {
        Spending spending = spending(Budget.UNLIMITED, new Budget(0.25, 0.45));
        spending.reserve("news", "fal", 0.2).orElseThrow().commit("j1", JobState.RENDER, 0.2);
        assertThat(spending.reserve("news", "fal", 0.2)).isEmpty();

        pass(Duration.ofMinutes(61));
        spending.reserve("news", "fal", 0.2).orElseThrow().commit("j2", JobState.RENDER, 0.2);
        pass(Duration.ofMinutes(61));
        assertThat(spending.reserve("news", "fal", 0.2)).as("the day is full").isEmpty();
        assertThat(spending.refusal("news"))
                .hasValueSatisfying(why -> assertThat(why).contains("channel daily"));

        pass(Duration.ofHours(23));
        assertThat(spending.reserve("news", "fal", 0.2)).isPresent();
    }

    @Test
    void aBackendWhoseCallsCostMoreThanItsPriceSaysIsEstimatedByWhatItCost() throws Exception {
        Spending spending = spending(Budget.UNLIMITED, new Budget(1.0, 10));
        spending.reserve("news", "gpu-box", 0).orElseThrow().commit("j1", JobState.RENDER, 0.6);

        assertThat(spending.reserve("news", "gpu-box", 0))
                .as("about 0.6 again would pass 1.0")
                .isEmpty();
    }

    @Test
    void statusGivesSpendPerWindowAndCostPerAiredMinute() throws Exception {
        Spending spending = spending(Budget.UNLIMITED, new Budget(5, 50));
        spending.reserve("news", "fal", 0.5).orElseThrow().commit("j1", JobState.RENDER, 0.5);
        spending.reserve("news", "fal", 0.25).orElseThrow().commit("j1", JobState.UPSCALE, 0.25);
        spending.aired("news", 90);
        spending.aired("news", 90);
        pass(Duration.ofHours(2));

        Spending.ChannelSpend status = spending.status("news");
        assertThat(status.lastHour()).isZero();
        assertThat(status.lastDay()).isEqualTo(0.75);
        assertThat(status.total()).isEqualTo(0.75);
        assertThat(status.hourlyCap()).isEqualTo(5.0);
        assertThat(status.airedMinutes()).isEqualTo(3.0);
        assertThat(status.costPerAiredMinute()).isCloseTo(0.25, within(1e-9));
        assertThat(status.capped()).isNull();
        assertThat(spending.ofJob("j1")).isEqualTo(0.75);
        assertThat(spending.status("nature").costPerAiredMinute()).isNull();
        assertThat(spending.status("nature").hourlyCap()).isNull();
    }
}
