package tv.latent.director;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShotPlanTest {
    @Test
    void titlesNeverCarryNewlinesControlCharactersOrBidiOverrides() {
        ShotPlan plan =
                new ShotPlan("Evening\r\nnews\u202E\u0000\u0085 \u200Bfox", "a fox at dusk", "text", 1, "piano", "s1");
        assertThat(plan.title()).isEqualTo("Evening news fox");
    }

    @Test
    void promptsAndMusicBecomeOneCleanLineAndKeepTheirWords() {
        ShotPlan plan = new ShotPlan(
                null,
                "\ta fox\nat dusk,\u2066 cinematic\u2069\u001b[31m",
                "watermark,\u0007 text",
                1,
                "calm\u009b piano\u00a0strings",
                "s1");
        assertThat(plan.prompt()).isEqualTo("a fox at dusk, cinematic [31m");
        assertThat(plan.negativePrompt()).isEqualTo("watermark, text");
        assertThat(plan.musicPrompt()).isEqualTo("calm piano strings");
        assertThat(plan.title()).isEqualTo("a fox at dusk");
    }

    @Test
    void aPromptOfOnlyControlCharactersIsEmpty() {
        assertThatThrownBy(() -> ShotPlan.checkPrompt("\n\u0000\u202E\t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void ordinaryTextIsLeftAsItWas() {
        String prompt = "a red fox crossing a misty river at golden hour, 35mm film, shallow depth of field";
        ShotPlan plan = new ShotPlan("Golden hour — the fox", prompt, "text, watermark", 7, "ambient", "s2");
        assertThat(plan.prompt()).isEqualTo(prompt);
        assertThat(plan.title()).isEqualTo("Golden hour — the fox");
    }
}
