package tv.latent.schedule;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One time slot of a programme schedule: a programme with its own theme, from {@code start} to
 * {@code end} local time on each of {@code days}. A slot whose end is at or before its start runs
 * past midnight into the next day (22:00-02:00), and belongs to the day it starts on.
 *
 * @param style extra style words; empty: the channel's own
 * @param musicMood empty: the channel's own
 * @param category what a guide files the programme under
 * @param days the weekdays it starts on; all seven for a daily slot
 */
public record Slot(
        String title,
        String description,
        String theme,
        List<String> style,
        String musicMood,
        String category,
        LocalTime start,
        LocalTime end,
        Set<DayOfWeek> days) {
    /** The category of a slot that names none. */
    public static final String DEFAULT_CATEGORY = "Entertainment";

    public Slot {
        title = title == null ? "" : title.strip();
        description = description == null ? "" : description.strip();
        theme = theme == null ? "" : theme.strip();
        style = List.copyOf(style == null ? List.of() : style);
        musicMood = musicMood == null ? "" : musicMood.strip();
        category = category == null || category.isBlank() ? DEFAULT_CATEGORY : category.strip();
        days = days == null || days.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(days));
    }

    /** A daily slot with no description, extra style or mood of its own. */
    public static Slot daily(String title, String theme, LocalTime start, LocalTime end) {
        return new Slot(title, "", theme, List.of(), "", DEFAULT_CATEGORY, start, end, EnumSet.allOf(DayOfWeek.class));
    }

    /** Minutes from start to end (past midnight when the end is not after the start); 0 when they are equal. */
    public int minutes() {
        int from = start.getHour() * 60 + start.getMinute();
        int to = end.getHour() * 60 + end.getMinute();
        return Math.floorMod(to - from, 24 * 60);
    }

    public Duration length() {
        return Duration.ofMinutes(minutes());
    }

    /** True when it airs on every day of the week. */
    public boolean daily() {
        return days.size() == 7;
    }
}
