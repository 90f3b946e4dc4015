package tv.latent.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A channel's programme schedule: slots in the channel's time zone. Outside every slot the
 * channel's own theme is the programme. A value: the YAML loader makes one, and the console can
 * make and check another with {@link #problems()} before it takes the old one's place.
 *
 * <pre>{@code
 * Schedule schedule = new Schedule(ZoneId.of("Europe/Paris"), List.of(
 *     Slot.daily("Morning Wild", "wildlife at dawn", LocalTime.of(6, 0), LocalTime.of(10, 0)),
 *     Slot.daily("Night Shift", "neon streets in the rain", LocalTime.of(22, 0), LocalTime.of(2, 0))));
 * List<String> problems = schedule.problems();        // empty: valid
 * Optional<Slot> on = schedule.slotAt(Instant.now());  // Night Shift at 23:30 in Paris
 * List<Showing> guide = schedule.showings(from, to);   // slots and hourly blocks, back to back
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public record Schedule(ZoneId zone, List<Slot> slots) {
    /** No slots: the channel's own theme all day, in UTC. */
    public static final Schedule NONE = new Schedule(ZoneOffset.UTC, List.of());

    private static final int DAY_MINUTES = 24 * 60;
    private static final int WEEK_MINUTES = 7 * DAY_MINUTES;

    public Schedule {
        zone = zone == null ? ZoneOffset.UTC : zone;
        slots = List.copyOf(slots == null ? List.of() : slots);
    }

    /**
     * What is wrong with the slots, each as {@code slots[i].key: what is wrong}: a missing title
     * or theme, a slot of no length or on no day, slots that overlap. Empty when the schedule is
     * valid.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            String at = "slots[" + i + "]";
            if (slot.title().isEmpty()) {
                problems.add(at + ".title: missing (required: the programme's name in the guide)");
            }
            if (slot.theme().isEmpty()) {
                problems.add(at + ".theme: missing (required: what the programme's shots are about)");
            }
            if (slot.start() == null || slot.end() == null) {
                problems.add(at + ": needs a start and an end (HH:MM)");
                continue;
            }
            if (slot.minutes() == 0) {
                problems.add(at + ": starts and ends at " + slot.start()
                        + "; a slot lasts from one minute to 23 h 59 min (end before start runs past midnight)");
            }
            if (slot.days().isEmpty()) {
                problems.add(at + ".days: must name at least one day");
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(overlaps());
        }
        return List.copyOf(problems);
    }

    /** A stretch of the week in minutes from Monday 00:00, {@code [from, to)}. */
    private record Span(int slot, int from, int to) {}

    private List<String> overlaps() {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            int start = slot.start().getHour() * 60 + slot.start().getMinute();
            for (DayOfWeek day : slot.days()) {
                int from = (day.getValue() - 1) * DAY_MINUTES + start;
                int to = from + slot.minutes();
                if (to <= WEEK_MINUTES) {
                    spans.add(new Span(i, from, to));
                } else {
                    // Sunday night into Monday morning
                    spans.add(new Span(i, from, WEEK_MINUTES));
                    spans.add(new Span(i, 0, to - WEEK_MINUTES));
                }
            }
        }
        // the earliest minute of the week at which each pair of slots overlaps
        java.util.SortedMap<Long, Integer> earliest = new java.util.TreeMap<>();
        for (Span a : spans) {
            for (Span b : spans) {
                if (a.slot() < b.slot() && a.to() > b.from() && b.to() > a.from()) {
                    earliest.merge(((long) b.slot() << 32) | a.slot(), Math.max(a.from(), b.from()), Math::min);
                }
            }
        }
        List<String> problems = new ArrayList<>();
        earliest.forEach((pair, at) -> {
            int later = (int) (pair >>> 32);
            int earlier = (int) (long) pair;
            DayOfWeek day = DayOfWeek.of(at / DAY_MINUTES + 1);
            LocalTime time = LocalTime.of((at % DAY_MINUTES) / 60, at % 60);
            problems.add("slots[" + later + "]: overlaps slots[" + earlier + "] ('"
                    + slots.get(earlier).title()
                    + "') on " + day.getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " at " + time
                    + "; slots must not overlap");
        });
        return problems;
    }

    /** The slot on air at {@code instant}, or empty when the channel's own programme is. */
    public Optional<Slot> slotAt(Instant instant) {
        LocalDate today = instant.atZone(zone).toLocalDate();
        for (LocalDate day : List.of(today.minusDays(1), today)) {
            for (Showing occurrence : occurrences(day)) {
                if (occurrence.contains(instant)) {
                    return occurrence.slot();
                }
            }
        }
        return Optional.empty();
    }

    /** The showing on air at {@code instant}. */
    public Showing showingAt(Instant instant) {
        return showings(instant, instant.plusNanos(1)).getFirst();
    }

    /**
     * The showings that overlap {@code [from, to)}, whole and back to back, oldest first: each
     * slot's occurrences, and between them the channel's own programme in blocks that end on the
     * hour (local time). The same instant always falls in the same showing, whatever the span asked.
     */
    public List<Showing> showings(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("empty span " + from + " .. " + to);
        }
        LocalDate first = from.atZone(zone).toLocalDate().minusDays(1);
        LocalDate last = to.atZone(zone).toLocalDate();
        List<Showing> occurrences = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            occurrences.addAll(occurrences(day));
        }
        occurrences.sort(Comparator.comparing(Showing::startInstant));
        List<Showing> all = new ArrayList<>();
        ZonedDateTime cursor = first.atStartOfDay(zone);
        for (Showing occurrence : occurrences) {
            if (occurrence.start().isAfter(cursor)) {
                ownProgramme(cursor, occurrence.start(), all);
                cursor = occurrence.start();
            }
            if (occurrence.end().isAfter(cursor)) {
                // a clock change can pull a slot's start back into the one before: it starts where that one ends
                all.add(new Showing(occurrence.slot(), cursor, occurrence.end()));
                cursor = occurrence.end();
            }
        }
        ZonedDateTime end = last.plusDays(2).atStartOfDay(zone);
        if (end.isAfter(cursor)) {
            ownProgramme(cursor, end, all);
        }
        return all.stream()
                .filter(s -> s.endInstant().isAfter(from) && s.startInstant().isBefore(to))
                .toList();
    }

    /** The slots' occurrences that start on {@code day}, local time; none of no length. */
    private List<Showing> occurrences(LocalDate day) {
        List<Showing> out = new ArrayList<>();
        for (Slot slot : slots) {
            if (!slot.days().contains(day.getDayOfWeek()) || slot.minutes() == 0) {
                continue;
            }
            ZonedDateTime start = ZonedDateTime.of(day, slot.start(), zone);
            LocalDate endDay = slot.end().isAfter(slot.start()) ? day : day.plusDays(1);
            ZonedDateTime end = ZonedDateTime.of(endDay, slot.end(), zone);
            if (end.isAfter(start)) {
                out.add(new Showing(Optional.of(slot), start, end));
            }
        }
        return out;
    }

    /** The channel's own programme from {@code from} to {@code to}, in blocks that end on the hour. */
    private static void ownProgramme(ZonedDateTime from, ZonedDateTime to, List<Showing> out) {
        ZonedDateTime start = from;
        while (start.isBefore(to)) {
            ZonedDateTime hour = start.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            ZonedDateTime end = hour.isAfter(to) ? to : hour;
            out.add(new Showing(Optional.empty(), start, end));
            start = end;
        }
    }
}
