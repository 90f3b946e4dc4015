package tv.latent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tv.latent.director.ShotPlan;

class ShotJobTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private static ShotJob anInterpolateFirstJobAt(JobState state, Map<JobState, ShotJob.StageRecord> outputs) {
        return new ShotJob(
                "job-1",
                "tv",
                new ShotPlan("A fox", "a red fox", "", 7, "", ""),
                "test",
                "",
                JobState.order(true),
                state,
                0,
                T0,
                "",
                outputs,
                3,
                T0,
                T0);
    }

    private static ShotJob.StageRecord record(String backend) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("zeta", "1");
        params.put("alpha", "2");
        params.put("mid", "3");
        return new ShotJob.StageRecord("work/x/" + backend, backend, params, 1.5, "");
    }

    @Test
    void outputsIterateInTheJobsStageOrderWhateverMapTheyCameIn() {
        Map<JobState, ShotJob.StageRecord> byEnum = new EnumMap<>(JobState.class);
        byEnum.put(JobState.UPSCALE, record("crisp"));
        byEnum.put(JobState.INTERPOLATE, record("smooth"));
        byEnum.put(JobState.RENDER, record("procedural"));

        ShotJob job = anInterpolateFirstJobAt(JobState.SCORE, byEnum);

        assertThat(job.outputs().keySet()).containsExactly(JobState.RENDER, JobState.INTERPOLATE, JobState.UPSCALE);
        assertThat(job.outputs().get(JobState.RENDER).params().keySet()).containsExactly("zeta", "alpha", "mid");
    }

    @Test
    void advancingRecordsTheOutputAndMovesToTheNextStageOfTheOrder() {
        ShotJob rendered = anInterpolateFirstJobAt(JobState.RENDER, Map.of())
                .retryAt(1, T0.plusSeconds(5), "render failed: busy", T0)
                .advanced(JobState.RENDER, record("procedural"), T0.plusSeconds(9));

        assertThat(rendered.state()).isEqualTo(JobState.INTERPOLATE);
        assertThat(rendered.attempts()).isZero();
        assertThat(rendered.lastError()).isEmpty();
        assertThat(rendered.outputs()).containsKey(JobState.RENDER);
        assertThat(rendered.updatedAt()).isEqualTo(T0.plusSeconds(9));
        assertThat(rendered.version()).as("only the store changes the version").isEqualTo(3);
    }

    @Test
    void failingKeepsWhatEarlierStagesMadeAndTheReason() {
        ShotJob failed = anInterpolateFirstJobAt(JobState.UPSCALE, Map.of(JobState.RENDER, record("procedural")))
                .failed(3, "upscale failed: out of memory", T0);

        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.lastError()).isEqualTo("upscale failed: out of memory");
        assertThat(failed.outputs()).containsOnlyKeys(JobState.RENDER);
    }
}
