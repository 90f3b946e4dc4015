package tv.latent.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmenterTest {
    @TempDir
    Path dir;

    @Test
    void cutsOneSegmentPerGopWithTheRemainderLast() throws Exception {
        Path master = HouseClips.master(dir.resolve("a"), 128, 440);
        Segmenter.Clip clip =
                new Segmenter(HouseClips.ffmpeg()).segment(master, dir.resolve("a/hls"), HouseClips.FORMAT, 128);

        assertThat(clip.segments()).extracting(Segmenter.Segment::frames).containsExactly(48, 48, 32);
        assertThat(clip.segments()).extracting(Segmenter.Segment::file).containsExactly("0.ts", "1.ts", "2.ts");
        for (int k = 0; k < 3; k++) {
            TsPackets.Summary summary = TsPackets.summarise(clip.read(k));
            assertThat(summary.firstVideoPts())
                    .as("segment %d starts at its GOP", k)
                    .isEqualTo(clip.zeroPts() + k * 48 * 3750L);
        }
    }

    @Test
    void dropsTheAacPrimingFrameSoAudioCoversExactlyTheClip() throws Exception {
        Path master = HouseClips.master(dir.resolve("b"), 64, 440);
        Segmenter.Clip clip =
                new Segmenter(HouseClips.ffmpeg()).segment(master, dir.resolve("b/hls"), HouseClips.FORMAT, 64);
        assertThat(clip.segments()).extracting(Segmenter.Segment::frames).containsExactly(48, 16);

        assertThat(TsPackets.summarise(clip.read(0)).firstAudioPts()).isEqualTo(clip.zeroPts());
        Path joined = dir.resolve("joined.ts");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(clip.read(0));
        all.write(clip.read(1));
        Files.write(joined, all.toByteArray());
        String audio = HouseClips.ffmpeg()
                .probeRaw(
                        List.of(
                                "-select_streams",
                                "a",
                                "-show_entries",
                                "packet=pts",
                                "-of",
                                "csv=p=0",
                                joined.toString()),
                        Duration.ofSeconds(30));
        long[] pts = audio.lines()
                .filter(l -> !l.isBlank())
                .mapToLong(l -> Long.parseLong(l.strip().replace(",", "")))
                .toArray();
        // 64 frames × 2000 samples = 128000 samples = 125 AAC frames of 1024, 1920 ticks apart
        assertThat(pts).hasSize(125);
        assertThat(pts[0]).isEqualTo(clip.zeroPts());
        assertThat(Arrays.stream(pts).max().orElseThrow() + 1920).isEqualTo(clip.zeroPts() + 64 * 3750L);
    }

    @Test
    void cuttingAgainReusesTheFirstCut() throws Exception {
        Path master = HouseClips.master(dir.resolve("c"), 64, 440);
        Segmenter segmenter = new Segmenter(HouseClips.ffmpeg());
        Segmenter.Clip first = segmenter.segment(master, dir.resolve("c/hls"), HouseClips.FORMAT, 64);
        FileTime cutAt = Files.getLastModifiedTime(dir.resolve("c/hls/0.ts"));

        Segmenter.Clip again = segmenter.segment(master, dir.resolve("c/hls"), HouseClips.FORMAT, 64);

        assertThat(again).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(dir.resolve("c/hls/0.ts"))).isEqualTo(cutAt);
        try (var leftovers = Files.list(dir.resolve("c"))) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("master.mp4", "hls");
        }
    }

    @Test
    void refusesClipsThatAreNotWholeJoinUnits() throws Exception {
        Path master = HouseClips.master(dir.resolve("d"), 64, 440);
        assertThatThrownBy(() ->
                        new Segmenter(HouseClips.ffmpeg()).segment(master, dir.resolve("d/hls"), HouseClips.FORMAT, 60))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of 64");
    }
}
