package tv.latent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.config.ConfigLoader;
import tv.latent.library.Clip;
import tv.latent.media.HouseFormatCheck;
import tv.latent.pipeline.JobState;
import tv.latent.pipeline.ShotJob;
import tv.latent.station.Station;
import tv.latent.testing.SlowTest;

/** Kills the real LatentTV process with SIGKILL in the middle of a stage, starts it again, loses nothing. */
@SlowTest
class CrashResumeTest {
    @TempDir
    Path dir;

    private Process latenttv(Path config, Path log, String... args) throws Exception {
        return LatentTvProcess.builder(config, log, args).start();
    }

    private List<String> states(Path db) throws Exception {
        List<String> states = new ArrayList<>();
        if (!Files.exists(db)) {
            return states;
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
                var s = c.createStatement();
                var r = s.executeQuery("SELECT state FROM shot_jobs")) {
            while (r.next()) {
                states.add(r.getString(1));
            }
        } catch (java.sql.SQLException e) {
            // the schema may not exist yet
        }
        return states;
    }

    @Test
    void resumesEveryJobAfterKillNineMidStageAndMastersEachOnce() throws Exception {
        Path config = dir.resolve("latenttv.yaml");
        Files.writeString(
                config,
                """
        dataDir: data
        pipeline: {maxConcurrentJobs: 2}
        channels:
          - id: crash
            theme: a red fox and a brown bear by a misty river at golden hour
        """);
        Path db = dir.resolve("data/latenttv.db");
        Process first = latenttv(config, dir.resolve("first.log"), "generate", "--channel", "crash", "--count", "3");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        // wait until a job is past its first stage but none is finished: the middle of the pipeline
        while (System.nanoTime() < deadline) {
            List<String> states = states(db);
            if (states.size() == 3
                    && states.stream().anyMatch(s -> !s.equals("RENDER"))
                    && states.stream().noneMatch(s -> s.equals("MASTERED"))) {
                break;
            }
            Thread.sleep(20);
        }
        List<String> atKill = states(db);
        first.destroyForcibly();
        first.waitFor();
        assertThat(atKill).as("killed mid-pipeline (see first.log)").hasSize(3).doesNotContain("MASTERED", "FAILED");

        Process second = latenttv(config, dir.resolve("second.log"), "resume");
        assertThat(second.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue())
                .as(Files.readString(dir.resolve("second.log")))
                .isZero();

        var loaded = ConfigLoader.load(config, k -> null);
        try (Station app = Station.open(loaded)) {
            List<ShotJob> jobs = app.jobs().list("crash", 10);
            assertThat(jobs).hasSize(3).allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.MASTERED));
            List<Clip> clips = app.library().list("crash", 10);
            assertThat(clips).hasSize(3);
            assertThat(clips.stream().map(Clip::jobId).distinct()).hasSize(3);
            for (Clip clip : clips) {
                assertThat(HouseFormatCheck.problems(
                                app.ffmpeg().probe(clip.master()),
                                app.channel("crash").format(),
                                clip.frames()))
                        .isEmpty();
            }
            try (var tmp = Files.list(app.layout().tmp());
                    var work = Files.list(app.layout().root().resolve("work"))) {
                assertThat(tmp.filter(p -> !p.getFileName().toString().startsWith(".")))
                        .as("nothing half-written left behind")
                        .isEmpty();
                assertThat(work).as("work directories dropped after mastering").isEmpty();
            }
        }
    }
}
