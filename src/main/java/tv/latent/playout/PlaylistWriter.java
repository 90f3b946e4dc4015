package tv.latent.playout;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes a channel's live HLS playlist (RFC 8216 sliding window) from a snapshot's live edge:
 * {@code EXT-X-MEDIA-SEQUENCE} of the oldest segment shown, {@code EXT-X-DISCONTINUITY-SEQUENCE}
 * counting the discontinuities that left the window, a discontinuity tag where timestamps jump
 * (never as the first tag: Kodi fails on a leading one), and the program date-time at every
 * airing start.
 *
 * <p>Every viewer reloads the playlist about once per segment, so the text is made once per
 * window and shared. Thread-safe (the last text is swapped atomically).
 */
final class PlaylistWriter {
    /** Segments in the live playlist's sliding window. */
    static final int WINDOW = 6;

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private record Written(long version, long firstSequence, long lastSequence, String text) {}

    private final int targetDuration;
    private final int fps;
    private final String extension;
    private final AtomicReference<Written> last = new AtomicReference<>();

    /** The video playlist's writer: segments named {@code <sequence>.ts}. */
    PlaylistWriter(int targetDuration, int fps) {
        this(targetDuration, fps, "ts");
    }

    /**
     * A writer whose segments are named {@code <sequence>.<extension>}: {@code ts} for the video,
     * {@code vtt} for the subtitles, whose playlist has the same window, sequence numbers,
     * discontinuities and durations as the video's, so the two stay in step.
     */
    PlaylistWriter(int targetDuration, int fps, String extension) {
        this.targetDuration = targetDuration;
        this.fps = fps;
        this.extension = extension;
    }

    /**
     * A channel's master playlist: its one variant ({@code live.m3u8}) and, for a channel with
     * captions, the WebVTT subtitles rendition ({@code subs.m3u8}), on by default.
     */
    static String master(PlayoutChannel channel) {
        var format = channel.format();
        // the peak a segment reaches: the encoder's rate cap, the audio, and the transport stream's overhead
        long peak = (format.videoKbps() + format.audioKbps()) * 1000L * 6 / 5;
        StringBuilder out = new StringBuilder(512);
        out.append("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        if (channel.captions()) {
            out.append("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"")
                    .append(languageName(channel.captionsLanguage()))
                    .append(" (narration)\",LANGUAGE=\"")
                    .append(channel.captionsLanguage())
                    .append("\",DEFAULT=YES,AUTOSELECT=YES,FORCED=NO,URI=\"subs.m3u8\"\n");
        }
        out.append("#EXT-X-STREAM-INF:BANDWIDTH=")
                .append(peak)
                .append(",AVERAGE-BANDWIDTH=")
                .append((format.videoKbps() + format.audioKbps()) * 1000L)
                .append(",CODECS=\"")
                .append(format.codecs())
                .append("\",RESOLUTION=")
                .append(format.width())
                .append('x')
                .append(format.height())
                .append(",FRAME-RATE=")
                .append(String.format(Locale.ROOT, "%.3f", (double) format.fps()));
        if (channel.captions()) {
            out.append(",SUBTITLES=\"subs\"");
        }
        return out.append("\nlive.m3u8\n").toString();
    }

    /** A language's name in English for the rendition's NAME ("English"), or the tag itself. */
    private static String languageName(String tag) {
        String name = java.util.Locale.forLanguageTag(tag).getDisplayLanguage(Locale.ENGLISH);
        return name.isBlank() ? tag : name.replace('"', '\'');
    }

    /** The playlist of {@code snapshot} at {@code nowTicks}. */
    String playlist(OnAir snapshot, long nowTicks) {
        List<OnAir.LiveSegment> window = snapshot.liveEdge(nowTicks, WINDOW);
        long first = window.isEmpty() ? -1 : window.getFirst().sequence();
        long lastSequence = window.isEmpty() ? -1 : window.getLast().sequence();
        Written known = last.get();
        if (known != null
                && known.version() == snapshot.version()
                && known.firstSequence() == first
                && known.lastSequence() == lastSequence) {
            return known.text();
        }
        String text = render(window, snapshot);
        last.set(new Written(snapshot.version(), first, lastSequence, text));
        return text;
    }

    private String render(List<OnAir.LiveSegment> window, OnAir snapshot) {
        StringBuilder out = new StringBuilder(512);
        out.append("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        out.append("#EXT-X-TARGETDURATION:").append(targetDuration).append('\n');
        if (window.isEmpty()) {
            return out.append("#EXT-X-MEDIA-SEQUENCE:0\n").toString();
        }
        OnAir.LiveSegment first = window.getFirst();
        out.append("#EXT-X-MEDIA-SEQUENCE:").append(first.sequence()).append('\n');
        out.append("#EXT-X-DISCONTINUITY-SEQUENCE:")
                .append(first.airing().discontinuitySequence())
                .append('\n');
        for (OnAir.LiveSegment s : window) {
            boolean airingStart = s.index() == 0;
            if (airingStart && s.airing().discontinuity() && s != first) {
                out.append("#EXT-X-DISCONTINUITY\n");
            }
            if (airingStart || s == first) {
                out.append("#EXT-X-PROGRAM-DATE-TIME:")
                        .append(DATE_TIME.format(instant(snapshot.epochMs(), s.startTicks())))
                        .append('\n');
            }
            out.append("#EXTINF:")
                    .append(String.format(Locale.ROOT, "%.3f", (double) s.frames() / fps))
                    .append(",\n");
            out.append(s.sequence()).append('.').append(extension).append('\n');
        }
        return out.toString();
    }

    static Instant instant(long epochMs, long ticks) {
        return Instant.ofEpochMilli(epochMs).plusNanos(Math.multiplyExact(ticks, 100_000L) / 9L);
    }
}
