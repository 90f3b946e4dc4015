package tv.latent.playout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import tv.latent.library.Database;
import tv.latent.media.Captions;
import tv.latent.media.HouseFormat;
import tv.latent.media.Segmenter;
import tv.latent.media.TsPackets;

/**
 * A channel's HLS files, as the scheduler's published decisions make them: the live playlist
 * (RFC 8216 sliding window), the master playlist, each live segment re-stamped onto the channel's
 * clock, and, on a channel with captions, the subtitles playlist and its WebVTT segments. Every
 * node computes the same bytes from the same timeline.
 *
 * <p>Thread-safe: it only reads the snapshot {@link Decisions#now()} gives, the cut indexes and
 * the segment files; it never decides, cuts or writes. A cut found broken or missing is reported
 * to the scheduler ({@link Decisions#broken}), which cuts it again.
 */
final class HlsFiles {
    private static final Pattern SEGMENT_NAME = Pattern.compile("[0-9]{1,18}\\.ts");
    private static final Pattern CAPTIONS_NAME = Pattern.compile("[0-9]{1,18}\\.vtt");
    private static final String PLAYLIST_NAME = "live.m3u8";
    private static final String MASTER_NAME = "master.m3u8";
    private static final String SUBTITLES_NAME = "subs.m3u8";

    /** Where the files come from: the channel's decisions. */
    interface Decisions {
        /** The latest snapshot and the tick it is read at (after any wait for a scheduler that is behind). */
        OnAir.At now() throws InterruptedException;

        /** A request found {@code airing}'s cut broken ({@code read}: the cut it read) or missing (null). */
        void broken(Airing airing, Segmenter.Clip read, String why);
    }

    private final Supplier<PlayoutChannel> config;
    private final HouseFormat format;
    private final long gopTicks;
    private final Cuts cuts;
    private final SegmentCache cache;
    private final Database db;
    private final Path dataDir;
    private final PlaylistWriter playlists;
    private final PlaylistWriter subtitles;
    private final Decisions decisions;

    /** @param config the channel as configured now (captions may be turned on or off while it airs) */
    HlsFiles(
            Supplier<PlayoutChannel> config,
            Cuts cuts,
            SegmentCache cache,
            Database db,
            Path dataDir,
            Decisions decisions) {
        this.config = config;
        this.format = config.get().format();
        this.gopTicks = new OnAir.Geometry(format.fps(), format.gopFrames(), format.segmentSeconds()).gopTicks();
        this.cuts = cuts;
        this.cache = cache;
        this.db = db;
        this.dataDir = dataDir;
        this.playlists = new PlaylistWriter(format.segmentSeconds(), format.fps());
        this.subtitles = new PlaylistWriter(format.segmentSeconds(), format.fps(), "vtt");
        this.decisions = decisions;
    }

    /** The live playlist (RFC 8216 sliding window) now. */
    String playlist() throws InterruptedException {
        OnAir.At at = decisions.now();
        return playlists.playlist(at.snapshot(), at.now());
    }

    /**
     * Serves {@code live.m3u8}, a live segment named {@code <sequence>.ts}, the master playlist
     * {@code master.m3u8} and, on a channel with captions, the subtitles playlist {@code subs.m3u8}
     * and its WebVTT segments {@code <sequence>.vtt}; anything else is not found.
     */
    HlsResponse resolve(String name) throws IOException, InterruptedException, SQLException {
        String playlistCache = "public, max-age=" + Math.max(1, format.segmentSeconds() / 2);
        if (PLAYLIST_NAME.equals(name)) {
            return new HlsResponse.Found(
                    playlist().getBytes(StandardCharsets.UTF_8), "application/vnd.apple.mpegurl", playlistCache);
        }
        if (MASTER_NAME.equals(name)) {
            return new HlsResponse.Found(
                    PlaylistWriter.master(config.get()).getBytes(StandardCharsets.UTF_8),
                    "application/vnd.apple.mpegurl",
                    "public, max-age=60");
        }
        if (config.get().captions() && SUBTITLES_NAME.equals(name)) {
            OnAir.At at = decisions.now();
            return new HlsResponse.Found(
                    subtitles.playlist(at.snapshot(), at.now()).getBytes(StandardCharsets.UTF_8),
                    "application/vnd.apple.mpegurl",
                    playlistCache);
        }
        if (config.get().captions()
                && name != null
                && CAPTIONS_NAME.matcher(name).matches()) {
            long sequence = Long.parseLong(name.substring(0, name.length() - 4));
            return captions(sequence)
                    .<HlsResponse>map(text -> new HlsResponse.Found(
                            text.getBytes(StandardCharsets.UTF_8),
                            "text/vtt; charset=utf-8",
                            "public, max-age=31536000, immutable"))
                    .orElseGet(() -> new HlsResponse.NotFound("captions segment " + sequence + " is not live"));
        }
        if (name == null || !SEGMENT_NAME.matcher(name).matches()) {
            return new HlsResponse.NotFound("no such file: segment names are digits followed by .ts");
        }
        long sequence = Long.parseLong(name.substring(0, name.length() - 3));
        Optional<byte[]> bytes;
        try {
            bytes = segment(sequence, true);
        } catch (NoSuchFileException e) {
            return new HlsResponse.NotFound("segment " + sequence + " is no longer available");
        }
        return bytes.<HlsResponse>map(
                        b -> new HlsResponse.Found(b, "video/mp2t", "public, max-age=31536000, immutable"))
                .orElseGet(() -> new HlsResponse.NotFound("segment " + sequence + " is not live"));
    }

    /**
     * The re-stamped bytes of segment {@code sequence}, or empty when no airing holds it (or,
     * with {@code onlyLive}, when its start has not come yet, or its cut is being repaired).
     */
    Optional<byte[]> segment(long sequence, boolean onlyLive) throws IOException, InterruptedException, SQLException {
        Optional<Located> found = locate(sequence);
        if (found.isEmpty() || (onlyLive && !found.get().started())) {
            return Optional.empty();
        }
        Airing airing = found.get().airing();
        int index = found.get().index();
        SegmentCache.Key key = new SegmentCache.Key(config.get().id(), sequence);
        byte[] cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Segmenter.Clip clip = cuts.ready(airing.master());
        if (clip == null || index >= clip.segments().size()) {
            decisions.broken(airing, null, "its cut is missing");
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = cuts.read(clip, index);
        } catch (NoSuchFileException e) {
            decisions.broken(airing, clip, "segment file " + e.getFile() + " is missing");
            throw e;
        }
        if (bytes.length == 0 || bytes.length % TsPackets.PACKET != 0) {
            decisions.broken(airing, clip, "segment " + index + " is " + bytes.length + " bytes, not whole TS packets");
            return Optional.empty();
        }
        Map<Integer, Integer> counters = new HashMap<>(airing.counters());
        for (Segmenter.Segment s : clip.segments().subList(0, index)) {
            s.payloadPackets().forEach((pid, n) -> counters.merge(pid, n, (a, b) -> (a + b) & 0xF));
        }
        TsPackets.restamp(bytes, ChannelPlayout.BASE_PTS + airing.startTicks() - clip.zeroPts(), counters);
        cache.put(key, bytes);
        return Optional.of(bytes);
    }

    /**
     * The WebVTT segment that goes with video segment {@code sequence}: the cues of its airing's
     * clip that fall in it, cut to its time, and an {@code X-TIMESTAMP-MAP} that puts its time
     * zero on the segment's first video frame as re-stamped on the channel's clock, so players
     * place the cues on the picture across clip joins. Empty when no airing holds it or it is not
     * live yet; a segment without a cue is a valid empty file.
     */
    Optional<String> captions(long sequence) throws IOException, InterruptedException, SQLException {
        Optional<Located> found = locate(sequence);
        if (found.isEmpty() || !found.get().started()) {
            return Optional.empty();
        }
        Airing airing = found.get().airing();
        int index = found.get().index();
        long startTicks = found.get().startTicks();
        double from = (double) index * format.gopFrames() / format.fps();
        double to = (double) Math.min(airing.frames(), (index + 1) * format.gopFrames()) / format.fps();
        List<Captions.Cue> cues = new java.util.ArrayList<>();
        for (Captions.Cue cue : airing.clipId().isEmpty() ? List.<Captions.Cue>of() : cuts.captions(airing.master())) {
            double start = Math.max(cue.start(), from);
            double end = Math.min(cue.end(), to);
            if (end - start >= 0.001) {
                cues.add(new Captions.Cue(start - from, end - from, cue.text()));
            }
        }
        long mpegts = Math.floorMod(ChannelPlayout.BASE_PTS + startTicks, TsPackets.WRAP);
        return Optional.of(Captions.webVtt(cues, "X-TIMESTAMP-MAP=MPEGTS:" + mpegts + ",LOCAL:00:00:00.000"));
    }

    /** Segment {@code index} of {@code airing}, starting at {@code startTicks}; {@code started}: its start has come. */
    private record Located(Airing airing, int index, long startTicks, boolean started) {}

    /** Where segment {@code sequence} is, as of now, when an airing holds it. */
    private Optional<Located> locate(long sequence) throws InterruptedException, SQLException {
        OnAir.At at = decisions.now();
        return holding(at.snapshot(), sequence).map(airing -> {
            int index = (int) (sequence - airing.firstSequence());
            long startTicks = airing.startTicks() + index * gopTicks;
            return new Located(airing, index, startTicks, startTicks <= at.now());
        });
    }

    /** The airing that holds segment {@code sequence}: on the air now, or from the timeline's history. */
    private Optional<Airing> holding(OnAir snapshot, long sequence) throws SQLException {
        Optional<Airing> found = snapshot.holding(sequence);
        return found.isEmpty() && snapshot.older(sequence)
                ? Timeline.find(db, config.get().id(), sequence, dataDir)
                : found;
    }
}
