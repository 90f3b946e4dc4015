package tv.latent.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsPacketsTest {
    @TempDir
    Path dir;

    @Test
    void shiftsEveryTimestampByTheOffsetModulo2To33() throws Exception {
        Segmenter.Clip clip = cut("a", 64);
        byte[] bytes = clip.read(0);
        TsPackets.Summary before = TsPackets.summarise(bytes);

        TsPackets.restamp(bytes, TsPackets.WRAP - 1000, new HashMap<>());

        TsPackets.Summary after = TsPackets.summarise(bytes);
        assertThat(after.firstVideoPts()).isEqualTo(before.firstVideoPts() - 1000);
        assertThat(after.firstAudioPts()).isEqualTo(before.firstAudioPts() - 1000);
        assertThat(after.payloadPackets()).isEqualTo(before.payloadPackets());
    }

    @Test
    void renumberedCountersLetFfmpegReadSegmentsBackToBackWithoutCorruptPackets() throws Exception {
        Segmenter.Clip clip = cut("b", 128);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        Map<Integer, Integer> counters = new HashMap<>();
        long offset = 0;
        for (int airing = 0; airing < 2; airing++) {
            for (int k = 0; k < clip.segments().size(); k++) {
                byte[] bytes = clip.read(k);
                TsPackets.restamp(bytes, offset, counters);
                joined.write(bytes);
            }
            offset += 128 * 3750L;
        }
        Path file = dir.resolve("joined.ts");
        Files.write(file, joined.toByteArray());

        assertThat(ffmpegWarnings(file)).isEmpty();
    }

    @Test
    void refusesBytesThatAreNotTransportStreamPackets() {
        assertThatThrownBy(() -> TsPackets.restamp(new byte[187], 0, new HashMap<>()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TsPackets.summarise(new byte[188])).hasMessageContaining("sync");
    }

    private Segmenter.Clip cut(String name, int frames) throws IOException, InterruptedException {
        Path master = HouseClips.master(dir.resolve(name), frames, 440);
        return new Segmenter(HouseClips.ffmpeg())
                .segment(master, dir.resolve(name).resolve("hls"), HouseClips.FORMAT, frames);
    }

    private static String ffmpegWarnings(Path file) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "ffmpeg", "-hide_banner", "-nostdin", "-v", "warning", "-i", file.toString(), "-f", "null", "-"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.strip();
    }
}
