package tv.latent.playout;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * A channel's re-stamped segments one after another, from the live point, each once its start has
 * come: what a continuous stream is made of (the RTMP push, the continuous MPEG-TS of the
 * living-room clients). Timestamps and continuity counters run on across clip joins because the
 * segments' do; a reader that fell out of the decided timeline (its next segment was pruned, or
 * dropped) catches up with the live point.
 *
 * <pre>{@code
 * SegmentFeed feed = playout.feed("news");
 * while (running) {
 *   switch (feed.poll()) {
 *     case SegmentFeed.Segment s -> out.write(s.bytes());
 *     case SegmentFeed.Wait w -> sleep(w.duration());   // zero: poll again at once
 *   }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one reader polls it. The bytes it gives are shared: never change them.
 */
public final class SegmentFeed {
    /** What {@link #poll()} found. */
    public sealed interface Next permits Segment, Wait {}

    /** The next segment: media sequence {@code sequence}, its re-stamped MPEG-TS bytes, how long it plays. */
    public record Segment(long sequence, byte[] bytes, Duration length) implements Next {}

    /** No segment yet: poll again after {@code duration} (zero: at once). */
    public record Wait(Duration duration) implements Next {}

    private final ChannelPlayout channel;
    private long sequence = -1;

    SegmentFeed(ChannelPlayout channel) {
        this.channel = channel;
    }

    /** The next segment if its start has come, else how long until it does; never blocks on the channel's thread. */
    public Next poll() throws IOException, InterruptedException, SQLException {
        if (sequence < 0) {
            sequence = channel.liveSequence();
        }
        Optional<Duration> until = channel.untilSegment(sequence);
        if (until.isEmpty()) {
            // not scheduled yet (or pruned): catch up with the live point
            sequence = channel.liveSequence();
            until = channel.untilSegment(sequence);
        }
        long wait = until.orElseThrow().toMillis();
        if (wait > 0) {
            return new Wait(Duration.ofMillis(wait));
        }
        Optional<byte[]> bytes = channel.segment(sequence, false);
        if (bytes.isEmpty()) {
            sequence = channel.liveSequence();
            return new Wait(Duration.ZERO);
        }
        Segment segment = new Segment(sequence, bytes.get(), channel.segmentLength(sequence));
        sequence++;
        return segment;
    }
}
