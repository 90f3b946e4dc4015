package tv.latent.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which programme is on when: slots, past midnight, weekdays, clock changes, and the blocks between slots. */
class ScheduleTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Slot MORNING = Slot.daily("Morning Wild", "wildlife", LocalTime.of(6, 0), LocalTime.of(10, 0));
    private static final Slot NIGHT =
            Slot.daily("Night Shift", "neon streets", LocalTime.of(22, 0), LocalTime.of(2, 0));
    private static final Schedule SCHEDULE = new Schedule(PARIS, List.of(MORNING, NIGHT));

    private static Instant paris(String localDateTime) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), PARIS)
                .toInstant();
    }

    @Test
    void aSlotIsOnFromItsStartToItsEndInTheChannelsZone() {
        assertThat(SCHEDULE.slotAt(paris("2026-03-02T06:00"))).contains(MORNING);
        assertThat(SCHEDULE.slotAt(paris("2026-03-02T09:59"))).contains(MORNING);
        assertThat(SCHEDULE.slotAt(paris("2026-03-02T10:00"))).isEmpty();
        assertThat(SCHEDULE.slotAt(paris("2026-03-02T05:59"))).isEmpty();
    }

    @Test
    void aSlotThatEndsBeforeItStartsRunsPastMidnight() {
        assertThat(SCHEDULE.slotAt(paris("2026-03-02T23:30"))).contains(NIGHT);
        assertThat(SCHEDULE.slotAt(paris("2026-03-03T01:59"))).contains(NIGHT);
        assertThat(SCHEDULE.slotAt(paris("2026-03-03T02:00"))).isEmpty();
    }

    @Test
    void aWeekdaySlotIsOnlyOnItsDays() {
        Slot friday = new Slot(
                "Friday Night",
                "",
                "a party",
                List.of(),
                "",
                "",
                LocalTime.of(20, 0),
                LocalTime.of(23, 0),
                EnumSet.of(DayOfWeek.FRIDAY));
        Schedule schedule = new Schedule(PARIS, List.of(friday));
        assertThat(schedule.slotAt(paris("2026-03-06T21:00"))).contains(friday); // a Friday
        assertThat(schedule.slotAt(paris("2026-03-05T21:00"))).isEmpty(); // a Thursday
    }

    @Test
    void showingsCoverTheSpanBackToBackWithTheOwnProgrammeInHourlyBlocks() {
        Instant from = paris("2026-03-02T04:30");
        Instant to = paris("2026-03-09T04:30");
        List<Showing> showings = SCHEDULE.showings(from, to);

        assertThat(showings.getFirst().start().toInstant()).isBeforeOrEqualTo(from);
        assertThat(showings.getLast().end().toInstant()).isAfterOrEqualTo(to);
        for (int i = 1; i < showings.size(); i++) {
            assertThat(showings.get(i).start()).isEqualTo(showings.get(i - 1).end());
        }
        for (Showing s : showings) {
            if (s.slot().isEmpty()) {
                assertThat(Duration.between(s.start(), s.end())).isLessThanOrEqualTo(Duration.ofHours(1));
                assertThat(s.end().getMinute()).isZero();
            }
        }
        assertThat(showings.stream().filter(s -> s.slot().equals(java.util.Optional.of(MORNING))))
                .hasSize(7);
        // the blocks between 02:00 and 06:00 each night are the channel's own programme, one per hour
        assertThat(SCHEDULE.showingAt(paris("2026-03-03T03:15")).start().toLocalTime())
                .isEqualTo(LocalTime.of(3, 0));
    }

    @Test
    void theSameInstantFallsInTheSameShowingWhateverTheSpan() {
        Instant at = paris("2026-03-04T14:20");
        Showing alone = SCHEDULE.showingAt(at);
        Showing inAWeek = SCHEDULE.showings(paris("2026-03-01T00:00"), paris("2026-03-08T00:00")).stream()
                .filter(s -> s.contains(at))
                .findFirst()
                .orElseThrow();
        assertThat(inAWeek).isEqualTo(alone);
    }

    @Test
    void aClockChangeShortensTheNightSlotButLeavesNoHole() {
        // Paris springs forward at 02:00 on 29 March 2026: that night has 23 hours
        Slot smallHours = Slot.daily("Small Hours", "owls", LocalTime.of(1, 0), LocalTime.of(5, 0));
        List<Showing> night =
                new Schedule(PARIS, List.of(smallHours)).showings(paris("2026-03-28T21:00"), paris("2026-03-29T07:00"));
        for (int i = 1; i < night.size(); i++) {
            assertThat(night.get(i).startInstant()).isEqualTo(night.get(i - 1).endInstant());
        }
        Showing shift =
                night.stream().filter(s -> s.slot().isPresent()).findFirst().orElseThrow();
        assertThat(Duration.between(shift.startInstant(), shift.endInstant())).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void problemsNameMissingThemesEmptySlotsAndOverlaps() {
        Slot noTheme = Slot.daily("Blank", "", LocalTime.of(12, 0), LocalTime.of(13, 0));
        assertThat(new Schedule(PARIS, List.of(noTheme)).problems())
                .containsExactly("slots[0].theme: missing (required: what the programme's shots are about)");

        Slot late = Slot.daily("Late", "owls", LocalTime.of(1, 0), LocalTime.of(3, 0));
        assertThat(new Schedule(PARIS, List.of(MORNING, NIGHT, late)).problems())
                .containsExactly(
                        "slots[2]: overlaps slots[1] ('Night Shift') on Monday at 01:00; slots must not overlap");

        assertThat(SCHEDULE.problems()).isEmpty();
        assertThat(Schedule.NONE.problems()).isEmpty();
    }

    @Test
    void withoutSlotsTheOwnProgrammeIsOnAllDay() {
        assertThat(Schedule.NONE.slotAt(Instant.parse("2026-03-02T12:00:00Z"))).isEmpty();
        assertThat(Schedule.NONE.showings(Instant.parse("2026-03-02T12:00:00Z"), Instant.parse("2026-03-02T15:00:00Z")))
                .hasSize(3)
                .allMatch(s -> s.slot().isEmpty());
    }
}
