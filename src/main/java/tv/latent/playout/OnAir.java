package tv.latent.playout;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import tv.latent.media.Segmenter;

/**
 * What a channel's scheduler has decided, as one immutable snapshot: the recent airings of its
 * timeline, the epoch that maps their ticks to wall time, and its choice for after the last one.
 * The channel thread publishes a new snapshot after every decision; requests read the latest one
 * without a lock, so a viewer never waits for a decision, a cut or a database write.
 *
 * @param version increases with every snapshot of the channel
 * @param airings the recent airings, oldest first (at most {@link Timeline#KEPT_IN_MEMORY})
 * @param upNext what the scheduler would air after the last airing, as of this snapshot
 */
record OnAir(long version, long epochMs, List<Airing> airings, Optional<NowPlaying> upNext, Geometry geometry) {
    OnAir {
        airings = List.copyOf(airings);
    }

    /** Frame and segment lengths in 90 kHz ticks, from the channel's house format. */
    record Geometry(int fps, int gopFrames, int segmentSeconds) {
        int ticksPerFrame() {
            return 90_000 / fps;
        }

        long gopTicks() {
            return (long) gopFrames * ticksPerFrame();
        }
    }

    /** A snapshot and the tick it is read at (taken after any wait for the scheduler). */
    record At(OnAir snapshot, long now) {}

    /** A live segment: which airing, which of its segments, and when. */
    record LiveSegment(Airing airing, int index, long sequence, long startTicks, int frames) {}

    /** The tick where the last decided airing ends (where the next decision starts). */
    long endTicks() {
        return airings.isEmpty() ? Long.MIN_VALUE : airings.getLast().endTicks(geometry.ticksPerFrame());
    }

    /** The segments whose start has come by {@code nowTicks}, the last {@code count} of them, oldest first. */
    List<LiveSegment> liveEdge(long nowTicks, int count) {
        Deque<LiveSegment> out = new ArrayDeque<>();
        for (int i = airings.size() - 1; i >= 0 && out.size() < count; i--) {
            Airing a = airings.get(i);
            if (a.startTicks() > nowTicks) {
                continue;
            }
            List<Integer> lengths = Segmenter.segmentFrames(a.frames(), geometry.gopFrames());
            for (int k = a.segments() - 1; k >= 0 && out.size() < count; k--) {
                long start = a.startTicks() + k * geometry.gopTicks();
                if (start <= nowTicks) {
                    out.addFirst(new LiveSegment(a, k, a.firstSequence() + k, start, lengths.get(k)));
                }
            }
        }
        return List.copyOf(out);
    }

    /** The airing on air at {@code nowTicks}: the latest that has started. */
    Optional<Airing> current(long nowTicks) {
        for (int i = airings.size() - 1; i >= 0; i--) {
            if (airings.get(i).startTicks() <= nowTicks) {
                return Optional.of(airings.get(i));
            }
        }
        return Optional.empty();
    }

    /** The airing after {@code airing}, if decided. */
    Optional<Airing> after(Airing airing) {
        for (Airing a : airings) {
            if (a.firstSequence() > airing.firstSequence()) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The airing in this snapshot that holds media sequence {@code sequence}. */
    Optional<Airing> holding(long sequence) {
        for (int i = airings.size() - 1; i >= 0; i--) {
            Airing a = airings.get(i);
            if (a.holds(sequence)) {
                return Optional.of(a);
            }
            if (a.firstSequence() < sequence) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** True when {@code sequence} is older than every airing of the snapshot (then only the database knows it). */
    boolean older(long sequence) {
        return !airings.isEmpty() && sequence < airings.getFirst().firstSequence();
    }
}
