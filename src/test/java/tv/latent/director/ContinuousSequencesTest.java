package tv.latent.director;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tv.latent.director.Director.ChannelBrief;
import tv.latent.director.Director.DirectorRequest;

/** When shots continue each other, the template director keeps a sequence in one framing, one action. */
class ContinuousSequencesTest {
    static final ChannelBrief BRIEF =
            new ChannelBrief("wild", "Wild Hours", "wildlife at golden hour", List.of("cinematic"), "calm piano");

    /** "Wide shot" out of "Wide shot, slow dolly in: ...". */
    static String framing(ShotPlan shot) {
        return shot.prompt().split(",", 2)[0];
    }

    @Test
    void everyShotOfAContinuousSequenceKeepsItsFraming() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            Director.Direction direction =
                    new TemplateDirector().plan(new DirectorRequest(BRIEF, List.of(), 4, seed, true));
            Map<String, List<ShotPlan>> sequences =
                    direction.shots().stream().collect(Collectors.groupingBy(ShotPlan::sequence));
            sequences.values().forEach(shots -> assertThat(
                            shots.stream().map(ContinuousSequencesTest::framing).distinct())
                    .as("a sequence of %s", shots.getFirst().sequence())
                    .hasSize(1));
            assertThat(direction.shots().stream().map(ShotPlan::prompt).distinct())
                    .hasSize(4);
        }
    }

    @Test
    void withoutContinuityASequenceCutsBetweenFramings() throws Exception {
        boolean cuts = false;
        for (long seed = 1; seed <= 5 && !cuts; seed++) {
            Director.Direction direction = new TemplateDirector().plan(new DirectorRequest(BRIEF, List.of(), 4, seed));
            cuts = direction.shots().stream().collect(Collectors.groupingBy(ShotPlan::sequence)).values().stream()
                    .anyMatch(shots -> shots.stream()
                                    .map(ContinuousSequencesTest::framing)
                                    .distinct()
                                    .count()
                            > 1);
        }
        assertThat(cuts).isTrue();
    }
}
