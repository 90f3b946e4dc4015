package tv.latent.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.testing.TestMedia;

class MasteringTest {
    @TempDir
    Path dir;

    private final Ffmpeg ffmpeg = Ffmpeg.locate(2);
    private final Mastering mastering = new Mastering(ffmpeg);

    private Path testVideo(int width, int height, int rate, int seconds) throws Exception {
        return TestMedia.pattern(
                dir.resolve("v-" + width + "x" + height + "-" + rate + ".mp4"),
                width,
                height,
                seconds * rate,
                rate,
                TestMedia.QUICK_H264);
    }

    private Path quietTone(double seconds, double volume) throws Exception {
        return TestMedia.tone(dir.resolve("a-" + volume + ".wav"), 330, 44100, seconds, "-af", "volume=" + volume);
    }

    @Test
    void mastersIntoExactlyTheHouseFormat() throws Exception {
        HouseFormat format = HouseFormat.DEFAULT;
        Mastering.Mastered m = mastering.master(
                testVideo(576, 320, 24, 3), quietTone(3, 0.1), format, 64, dir.resolve("out"), "test", p -> {});
        assertThat(HouseFormatCheck.problems(m.info(), format, 64)).isEmpty();
        assertThat(m.info().audio().orElseThrow().durationSeconds())
                .isCloseTo(64 / 24.0, org.assertj.core.data.Offset.offset(1 / 24.0));
        assertThat(m.loudnessLufs()).isCloseTo(-16, org.assertj.core.data.Offset.offset(1.5));
        assertThat(Files.size(m.thumbnail())).isPositive();
    }

    @Test
    void padsAShortSourceToTheRequestedLength() throws Exception {
        Mastering.Mastered m = mastering.master(
                testVideo(320, 240, 12, 1),
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

    @Test
    void measuresTheMastersLoudnessInADirectoryWhoseNameHasFilterGraphCharacters() throws Exception {
        Path out = dir.resolve("clips, a:b [c]; it's");
        Mastering.Mastered m = mastering.master(
                testVideo(576, 320, 24, 3), quietTone(3, 0.1), HouseFormat.DEFAULT, 64, out, "odd", p -> {});
        assertThat(m.loudnessLufs()).isCloseTo(-16, org.assertj.core.data.Offset.offset(1.5));
        try (var files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("master.mp4", "thumb.jpg");
        }
    }
}
