package tv.latent.playout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** Packets as ffprobe lists them ({@code -show_entries packet=stream_index|codec_type,pts,dts -of csv=p=0}), with checks. */
record Packets(List<long[]> video, List<long[]> audio) {
    static Packets parse(String csv, int videoIndex) {
        List<long[]> video = new ArrayList<>();
        List<long[]> audio = new ArrayList<>();
        for (String line : csv.split("\n")) {
            String[] f = line.strip().split(",");
            if (f.length < 3) {
                continue;
            }
            try {
                long[] pd = {Long.parseLong(f[1]), Long.parseLong(f[2])};
                boolean isVideo =
                        switch (f[0]) {
                            case "video" -> true;
                            case "audio" -> false;
                            default -> Integer.parseInt(f[0]) == videoIndex;
                        };
                (isVideo ? video : audio).add(pd);
            } catch (NumberFormatException e) {
                // side data lines and N/A
            }
        }
        return new Packets(video, audio);
    }

    /** Both streams' decoding timestamps strictly increase. */
    Packets assertStrictlyIncreasing() {
        assertThat(video).hasSizeGreaterThan(10);
        assertThat(audio).hasSizeGreaterThan(10);
        for (int i = 1; i < video.size(); i++) {
            assertThat(video.get(i)[1]).as("video DTS at packet %d", i).isGreaterThan(video.get(i - 1)[1]);
        }
        for (int i = 1; i < audio.size(); i++) {
            assertThat(audio.get(i)[0]).as("audio PTS at packet %d", i).isGreaterThan(audio.get(i - 1)[0]);
        }
        return this;
    }

    /** Audio frames follow each other exactly ({@code frameTicks} apart): no gap, no overlap at any join. */
    Packets assertAudioGapless(long frameTicks) {
        for (int i = 1; i < audio.size(); i++) {
            assertThat(audio.get(i)[0] - audio.get(i - 1)[0])
                    .as("audio step at packet %d", i)
                    .isEqualTo(frameTicks);
        }
        return this;
    }

    /** Presented video frames follow each other exactly ({@code frameTicks} apart). */
    Packets assertVideoGapless(long frameTicks) {
        long[] pts = video.stream().mapToLong(p -> p[0]).sorted().toArray();
        for (int i = 1; i < pts.length; i++) {
            assertThat(pts[i] - pts[i - 1]).as("video frame step at %d", i).isEqualTo(frameTicks);
        }
        return this;
    }

    /** First audio PTS minus first presented video PTS. */
    long startOffset() {
        long v = video.stream().limit(8).mapToLong(p -> p[0]).min().orElseThrow();
        return audio.getFirst()[0] - v;
    }

    /**
     * The A/V offset at a clip join at {@code pts}: the start of the audio frame that begins at or
     * after the join minus the join (where the clip's first video frame is presented).
     */
    long offsetAtJoin(long pts) {
        assertThat(video.stream().anyMatch(p -> p[0] == pts))
                .as("a video frame at the join %d", pts)
                .isTrue();
        return audio.stream().mapToLong(p -> p[0]).filter(a -> a >= pts).min().orElseThrow() - pts;
    }

    boolean covers(long pts) {
        return video.stream().anyMatch(p -> p[0] == pts) && audio.getLast()[0] > pts;
    }
}
