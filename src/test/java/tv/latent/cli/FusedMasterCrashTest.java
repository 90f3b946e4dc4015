package tv.latent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/**
 * Kills the real LatentTV process with SIGKILL while a clip's fused master run (interpolate,
 * upscale and master in one ffmpeg) is under way: the next start masters it from the render and
 * the score it had already made, once.
 */
@SlowTest
class FusedMasterCrashTest {
    @TempDir
    Path dir;

    private Process latenttv(Path config, Path log, String... args) throws Exception {
        return LatentTvProcess.builder(config, log, args).start();
    }

    /** The stored outputs column of every job at MASTER, by job id. */
    private static Map<String, String> outputsAtMaster(Path db) throws Exception {
        Map<String, String> outputs = new LinkedHashMap<>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
                var s = c.createStatement();
                var r = s.executeQuery("SELECT id, outputs FROM shot_jobs WHERE state = 'MASTER'")) {
            while (r.next()) {
                outputs.put(r.getString(1), r.getString(2));
            }
        }
        return outputs;
    }

    /** The master's ffmpeg among the process's children, once it runs. */
    private static Optional<ProcessHandle> masterRun(Process latenttv) {
        return latenttv.descendants()
                .filter(p -> p.info()
                        .arguments()
                        .map(a -> String.join(" ", a))
                        .orElse("")
                        .contains("master.mp4"))
                .findFirst();
    }

    @Test
    void aKillDuringTheFusedMasterResumesFromTheRenderAndTheScore() throws Exception {
        Path config = dir.resolve("latenttv.yaml");
        Files.writeString(
                config,
                """
        dataDir: data
        pipeline: {maxConcurrentJobs: 1}
        channels:
          - id: crash
            theme: a red fox by a misty river at golden hour
        """);
        Path db = dir.resolve("data/latenttv.db");
        Process first = latenttv(config, dir.resolve("first.log"), "generate", "--channel", "crash", "--count", "1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Optional<ProcessHandle> master = Optional.empty();
        while (System.nanoTime() < deadline && master.isEmpty() && first.isAlive()) {
            master = masterRun(first);
            Thread.sleep(10);
        }
        assertThat(master).as("the master's ffmpeg ran (see first.log)").isPresent();
        Map<String, String> atKill = outputsAtMaster(db);
        List<ProcessHandle> children = first.descendants().toList();
        first.destroyForcibly();
        first.waitFor();
        // as a kill of the whole process group would: the orphaned ffmpeg goes too
        children.forEach(ProcessHandle::destroyForcibly);
        assertThat(atKill).as("the job was at MASTER when killed").hasSize(1);

        Process second = latenttv(config, dir.resolve("second.log"), "resume");
        assertThat(second.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue())
                .as(Files.readString(dir.resolve("second.log")))
                .isZero();

        var loaded = ConfigLoader.load(config, k -> null);
        try (Station app = Station.open(loaded)) {
            List<ShotJob> jobs = app.jobs().list("crash", 10);
            assertThat(jobs).singleElement().satisfies(j -> assertThat(j.state())
                    .isEqualTo(JobState.MASTERED));
            ShotJob job = jobs.get(0);
            String before = atKill.get(job.id());
            for (JobState stage : List.of(JobState.RENDER, JobState.INTERPOLATE, JobState.UPSCALE, JobState.SCORE)) {
                ShotJob.StageRecord record = job.outputs().get(stage);
                assertThat(before)
                        .as("%s was not made again after the kill", stage)
                        .contains("\"" + stage.name() + "\":{\"file\":\"" + record.file() + "\"")
                        .contains(String.valueOf(record.seconds()));
            }
            assertThat(job.outputs().get(JobState.INTERPOLATE).planned()).isTrue();
            assertThat(job.outputs().get(JobState.UPSCALE).planned()).isTrue();
            List<Clip> clips = app.library().list("crash", 10);
            assertThat(clips).singleElement().satisfies(c -> assertThat(c.jobId())
                    .isEqualTo(job.id()));
            assertThat(HouseFormatCheck.problems(
                            app.ffmpeg().probe(clips.get(0).master()),
                            app.channel("crash").format(),
                            clips.get(0).frames()))
                    .isEmpty();
            try (var tmp = Files.list(app.layout().tmp())) {
                assertThat(tmp.filter(p -> !p.getFileName().toString().startsWith(".")))
                        .as("nothing half-written left behind")
                        .isEmpty();
            }
        }
    }
}
