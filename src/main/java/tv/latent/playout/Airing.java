package tv.latent.playout;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One airing on a channel's timeline: a clip (or the slate) from {@code startTicks}, 90 kHz
 * ticks since the channel's epoch. Its segments carry media sequence numbers
 * {@code firstSequence .. firstSequence + segments - 1}.
 */
record Airing(
        long firstSequence,
        long startTicks,
        int frames,
        int segments,
        boolean discontinuity,
        long discontinuitySequence,
        Optional<String> clipId,
        Path master,
        String title,
        String prompt,
        boolean fresh,
        Map<Integer, Integer> counters) {

    Airing {
        counters = Map.copyOf(counters);
    }

    /** This airing cut short to its first {@code keptSegments} segments ({@code keptFrames} frames). */
    Airing truncated(int keptSegments, int keptFrames) {
        return new Airing(
                firstSequence,
                startTicks,
                keptFrames,
                keptSegments,
                discontinuity,
                discontinuitySequence,
                clipId,
                master,
                title,
                prompt,
                fresh,
                counters);
    }

    Path segmentDir() {
        return master.resolveSibling("hls");
    }

    long endTicks(int ticksPerFrame) {
        return startTicks + (long) frames * ticksPerFrame;
    }

    long endSequence() {
        return firstSequence + segments;
    }

    boolean holds(long sequence) {
        return sequence >= firstSequence && sequence < endSequence();
    }

    static String renderCounters(Map<Integer, Integer> counters) {
        return new TreeMap<>(counters)
                .entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
    }

    static Map<Integer, Integer> parseCounters(String text) {
        Map<Integer, Integer> out = new TreeMap<>();
        if (text != null && !text.isBlank()) {
            for (String pair : text.split(",")) {
                String[] kv = pair.split(":");
                out.put(Integer.parseInt(kv[0]), Integer.parseInt(kv[1]) & 0xF);
            }
        }
        return out;
    }
}
