package tv.latent.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasteringTest {
    @TempDir
    Path dir;

    private final Ffmpeg ffmpeg = Ffmpeg.locate(2);
    private final Mastering mastering = new Mastering(ffmpeg);

    private Path testVideo(String size, int rate, double seconds) throws Exception {
        Path out = dir.resolve("v-" + size + "-" + rate + ".mp4");
        ffmpeg.run(
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=" + size + ":rate=" + rate,
                        "-t",
                        String.valueOf(seconds),
                        "-c:v",
                        "libx264",
                        "-preset",
                        "ultrafast",
                        "-pix_fmt",
                        "yuv420p",
                        out.toString()),
                Duration.ofSeconds(60),
                null,
                null);
        return out;
    }

    private Path quietTone(double seconds, double volume) throws Exception {
        Path out = dir.resolve("a-" + volume + ".wav");
        ffmpeg.run(
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=330:sample_rate=44100:duration=" + seconds,
                        "-af",
                        "volume=" + volume,
                        out.toString()),
                Duration.ofSeconds(60),
                null,
                null);
        return out;
    }

    @Test
    void mastersIntoExactlyTheHouseFormat() throws Exception {
        HouseFormat format = HouseFormat.DEFAULT;
        Mastering.Mastered m = mastering.master(
                testVideo("576x320", 24, 3), quietTone(3, 0.1), format, 64, dir.resolve("out"), "test", p -> {});
        assertThat(HouseFormatCheck.problems(m.info(), format, 64)).isEmpty();
        assertThat(m.info().audio().orElseThrow().durationSeconds())
                .isCloseTo(64 / 24.0, org.assertj.core.data.Offset.offset(1 / 24.0));
        assertThat(m.loudnessLufs()).isCloseTo(-16, org.assertj.core.data.Offset.offset(1.5));
        assertThat(Files.size(m.thumbnail())).isPositive();
    }

    @Test
    void padsAShortSourceToTheRequestedLength() throws Exception {
        Mastering.Mastered m = mastering.master(
                testVideo("320x240", 12, 1),
                quietTone(1, 0.5),
                HouseFormat.DEFAULT,
                64,
                dir.resolve("out"),
                "short",
                p -> {});
        assertThat(m.info().video().orElseThrow().frames()).isEqualTo(64);
    }

    @Test
    void rejectsLengthsThatAreNotWholeJoinUnits() {
        assertThatThrownBy(() -> mastering.master(dir, dir, HouseFormat.DEFAULT, 72, dir, "x", p -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of 64");
    }
}
