package tv.latent.schedule;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * One showing of a programme: a slot's occurrence on one day, or an hour (or less) of the
 * channel's own programme between slots.
 *
 * @param slot empty for the channel's own programme
 * @param start local start in the schedule's zone
 * @param end local end in the schedule's zone
 */
public record Showing(Optional<Slot> slot, ZonedDateTime start, ZonedDateTime end) {
    public Instant startInstant() {
        return start.toInstant();
    }

    public Instant endInstant() {
        return end.toInstant();
    }

    /** True when {@code instant} falls in {@code [start, end)}. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(startInstant()) && instant.isBefore(endInstant());
    }
}
