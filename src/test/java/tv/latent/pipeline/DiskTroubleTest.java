package tv.latent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.library.Clip;
import tv.latent.library.DataLayout;
import tv.latent.media.HouseFormatCheck;
import tv.latent.testing.SlowTest;

/**
 * A full disk and a read-only data directory, on real small filesystems (tmpfs). Mounting needs
 * root, which CI and the developers' machines have.
 */
class DiskTroubleTest {
    @TempDir
    Path dir;

    private Path mounted;

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private Path mount(String options) throws Exception {
        Path point = Files.createDirectories(dir.resolve("fs"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", point.toString())
                .inheritIO()
                .start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0)
                .as("mount tmpfs")
                .isTrue();
        mounted = point;
        return point;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            new ProcessBuilder("umount", "-l", mounted.toString())
                    .inheritIO()
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void fillLeaving(Path fs, long freeBytes) throws IOException {
        try (RandomAccessFile filler = new RandomAccessFile(fs.resolve("filler").toFile(), "rw")) {
            filler.setLength(0);
            long free = Files.getFileStore(fs).getUsableSpace();
            byte[] block = new byte[64 * 1024];
            long toWrite = free - freeBytes;
            for (long written = 0; written + block.length <= toWrite; written += block.length) {
                filler.write(block);
            }
        }
    }

    @Test
    @SlowTest
    void diskFullWhileMasteringFailsTheJobAndKeepsEarlierClips() throws Exception {
        assumeTrue(root(), "mounting a small filesystem needs root");
        Path fs = mount("size=48m");
        try (var wired = new TestChannels.Wired(fs.resolve("data"), "", List.of())) {
            ShotJob first = wired.runToEnd(TestChannels.shots("close-up of a red fox, golden hour"));
            assertThat(first.state()).as(first.lastError()).isEqualTo(JobState.MASTERED);
            wired.pipeline.addListener(new PipelineListener() {
                @Override
                public void changed(ShotJob job) {
                    if (job.state() == JobState.MASTER && !job.id().equals(first.id())) {
                        try {
                            fillLeaving(fs, 16 * 1024);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            });
            ShotJob second = wired.runToEnd(TestChannels.shots("a brown bear catching a salmon"));
            assertThat(second.state()).isEqualTo(JobState.FAILED);
            assertThat(second.lastError()).startsWith("master failed").containsIgnoringCase("no space left");
            List<Clip> clips = wired.library.list(null, 10);
            assertThat(clips).extracting(Clip::id).containsExactly(first.id());
            Clip kept = clips.get(0);
            assertThat(HouseFormatCheck.problems(
                            wired.ffmpeg.probe(kept.master()),
                            wired.config.channels().get(0).format(),
                            kept.frames()))
                    .isEmpty();
            try (var dirs = Files.list(wired.layout.root().resolve("clips").resolve("test"))) {
                assertThat(dirs).hasSize(1);
            }
            try (var tmp = Files.list(wired.layout.tmp())) {
                assertThat(tmp).as("no half-written master left").isEmpty();
            }
        }
    }

    @Test
    void readOnlyDataDirectoryIsAClearErrorAtStart() throws Exception {
        assumeTrue(root(), "mounting a read-only filesystem needs root");
        Path fs = mount("size=1m,ro");
        assertThatThrownBy(() -> new DataLayout(fs).prepare())
                .isInstanceOf(IOException.class)
                .hasMessageContaining(fs.toString())
                .hasMessageContaining("not writable");
    }
}
