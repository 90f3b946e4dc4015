package tv.latent.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Cuts a mastered clip once into MPEG-TS segments of exactly one GOP each, by stream copy.
 *
 * <pre>{@code
 * Segmenter segmenter = new Segmenter(ffmpeg);
 * Segmenter.Clip cut = segmenter.segment(master, master.resolveSibling("hls"), format, frames);
 * }</pre>
 *
 * <p>Segment k holds frames [k·gop, min((k+1)·gop, frames)); durations come from these frame
 * counts, never from the segment muxer's own report. The AAC priming frame that the MP4 edit
 * list hides is dropped (MPEG-TS has no edit list), so the audio of every clip covers exactly
 * [0, samplesFor(frames)) and the next clip's audio starts where this one's ends.
 *
 * <p>Cutting goes to a temporary sibling directory that is then moved into place atomically,
 * with an index file; a directory that already has the index is reused, so the call is
 * idempotent and safe to race. Thread-safe.
 */
public final class Segmenter {
    /** The name of a cut's index file, beside its segments. */
    public static final String INDEX = "segments.tsv";

    private static final String HEADER = "latenttv-segments\t1";

    private final Ffmpeg ffmpeg;

    public Segmenter(Ffmpeg ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /** One pre-cut segment: its file name in the clip's directory, frames, payload packets per PID. */
    public record Segment(String file, int frames, Map<Integer, Integer> payloadPackets) {
        public Segment {
            payloadPackets = Map.copyOf(payloadPackets);
        }
    }

    /**
     * A clip cut into segments.
     *
     * @param zeroPts the 90 kHz timestamp that stands for the clip's time zero (its first video PTS)
     */
    public record Clip(Path dir, int frames, long zeroPts, List<Segment> segments) {
        public Clip {
            segments = List.copyOf(segments);
        }

        /** A segment's bytes as cut. */
        public byte[] read(int index) throws IOException {
            return Files.readAllBytes(dir.resolve(segments.get(index).file()));
        }
    }

    /** Frames in each segment of a clip of {@code frames} frames: gop, gop, ..., the remainder. */
    public static List<Integer> segmentFrames(int frames, int gopFrames) {
        List<Integer> out = new ArrayList<>();
        for (int start = 0; start < frames; start += gopFrames) {
            out.add(Math.min(gopFrames, frames - start));
        }
        return out;
    }

    /**
     * Cuts {@code master} into {@code dir} unless it has been cut there already.
     *
     * @param frames the clip's frame count; must be a positive multiple of the join unit
     * @throws IOException when ffmpeg fails or the cut does not have the expected segments
     */
    public Clip segment(Path master, Path dir, HouseFormat format, int frames)
            throws IOException, InterruptedException {
        if (frames <= 0 || frames % format.joinUnitFrames() != 0) {
            throw new IllegalArgumentException(
                    master + ": " + frames + " frames is not a positive multiple of " + format.joinUnitFrames());
        }
        Clip existing = load(dir);
        if (existing != null) {
            return existing;
        }
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempDirectory(parent, "." + dir.getFileName() + "-cut-");
        try {
            List<Integer> lengths = segmentFrames(frames, format.gopFrames());
            List<String> args = new ArrayList<>(List.of(
                    "-i",
                    master.toString(),
                    "-map",
                    "0:v:0",
                    "-map",
                    "0:a:0",
                    "-c",
                    "copy",
                    "-bsf:a",
                    "noise=drop=eq(n\\,0)",
                    "-f",
                    "segment",
                    "-segment_format",
                    "mpegts"));
            if (lengths.size() > 1) {
                String cuts = Stream.iterate(format.gopFrames(), f -> f < frames, f -> f + format.gopFrames())
                        .map(String::valueOf)
                        .collect(Collectors.joining(","));
                args.addAll(List.of("-segment_frames", cuts));
            } else {
                args.addAll(List.of("-segment_time", "100000"));
            }
            args.add(temp.resolve("%d.ts").toString());
            ffmpeg.run(args, Duration.ofMinutes(2), null, null);
            List<Segment> segments = new ArrayList<>();
            long zero = -1;
            for (int k = 0; k < lengths.size(); k++) {
                Path file = temp.resolve(k + ".ts");
                if (!Files.isRegularFile(file)) {
                    throw new IOException(master + ": expected " + lengths.size() + " segments of " + format.gopFrames()
                            + " frames, segment " + k + " is missing (are keyframes every " + format.gopFrames()
                            + " frames?)");
                }
                TsPackets.Summary summary = TsPackets.summarise(Files.readAllBytes(file));
                if (k == 0) {
                    zero = summary.firstVideoPts();
                    if (zero < 0) {
                        throw new IOException(master + ": the first segment has no video");
                    }
                }
                segments.add(new Segment(file.getFileName().toString(), lengths.get(k), summary.payloadPackets()));
            }
            if (Files.exists(temp.resolve(lengths.size() + ".ts"))) {
                throw new IOException(
                        master + ": more segments than " + lengths.size() + "; is it really " + frames + " frames?");
            }
            Files.writeString(temp.resolve(INDEX), render(frames, zero, segments), StandardCharsets.UTF_8);
            try {
                Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // another cut of the same clip won the race (the JDK reports it as a plain FileSystemException)
                Clip other = load(dir);
                if (other == null) {
                    throw new IOException(dir + " exists but holds no segment index; remove it to cut again", e);
                }
                return other;
            }
            return load(dir);
        } finally {
            deleteTree(temp);
        }
    }

    /** The cut clip in {@code dir}, or null when it has not been cut there. */
    public static Clip load(Path dir) throws IOException {
        Path index = dir.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            return null;
        }
        List<String> lines = Files.readAllLines(index, StandardCharsets.UTF_8);
        if (lines.size() < 3 || !lines.get(0).equals(HEADER)) {
            throw new IOException(index + ": not a segment index");
        }
        try {
            String[] head = lines.get(1).split("\t");
            int frames = Integer.parseInt(head[0]);
            long zero = Long.parseLong(head[1]);
            List<Segment> segments = new ArrayList<>();
            for (String line : lines.subList(2, lines.size())) {
                String[] cols = line.split("\t");
                Map<Integer, Integer> counts = new LinkedHashMap<>();
                for (String pair : cols[2].split(",")) {
                    String[] kv = pair.split(":");
                    counts.put(Integer.parseInt(kv[0]), Integer.parseInt(kv[1]));
                }
                segments.add(new Segment(cols[0], Integer.parseInt(cols[1]), counts));
            }
            return new Clip(dir, frames, zero, segments);
        } catch (RuntimeException e) {
            throw new IOException(index + ": malformed segment index: " + e.getMessage(), e);
        }
    }

    private static String render(int frames, long zero, List<Segment> segments) {
        StringBuilder out = new StringBuilder(HEADER)
                .append('\n')
                .append(frames)
                .append('\t')
                .append(zero)
                .append('\n');
        for (Segment s : segments) {
            out.append(s.file())
                    .append('\t')
                    .append(s.frames())
                    .append('\t')
                    .append(s.payloadPackets().entrySet().stream()
                            .sorted(Map.Entry.comparingByKey())
                            .map(e -> e.getKey() + ":" + e.getValue())
                            .collect(Collectors.joining(",")))
                    .append('\n');
        }
        return out.toString();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
