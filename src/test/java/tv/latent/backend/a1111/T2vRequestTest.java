package tv.latent.backend.a1111;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class T2vRequestTest {

    @Test
    void startsFromTheExtensionDefaults() {
        T2vRequest request = T2vRequest.of("a red fox");

        assertThat(request.frames()).isEqualTo(24);
        assertThat(request.width()).isEqualTo(256);
        assertThat(request.height()).isEqualTo(256);
        assertThat(request.steps()).isEqualTo(30);
        assertThat(request.cfgScale()).isEqualTo(17);
        assertThat(request.seed()).isEqualTo(-1);
        assertThat(request.eta()).isZero();
        assertThat(request.fps()).isEqualTo(15);
        assertThat(request.negativePrompt()).isEqualTo("text, watermark, copyright, blurry, nsfw");
        assertThat(request.sampler()).isEqualTo(Sampler.DDIM_GAUSSIAN);
        assertThat(request.model()).isNull();
        assertThat(request.queryParameters())
                .containsEntry("do_vid2vid", "false")
                .doesNotContainKeys("model", "strength", "vid2vid_startFrame");
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheField() {
        assertThatThrownBy(() -> T2vRequest.builder(" ").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prompt");
        assertThatThrownBy(() -> T2vRequest.builder("a").steps(0).build())
                .hasMessage("steps must be between 1 and 200, was 0");
        assertThatThrownBy(() -> T2vRequest.builder("a").frames(251).build())
                .hasMessage("frames must be between 1 and 250, was 251");
        assertThatThrownBy(() -> T2vRequest.builder("a").size(250, 256).build()).hasMessageContaining("multiples of 8");
        assertThatThrownBy(() -> T2vRequest.builder("a").size(2048, 256).build())
                .hasMessage("width must be between 64 and 1024, was 2048");
        assertThatThrownBy(() -> T2vRequest.builder("a").cfgScale(0).build()).hasMessageContaining("cfg scale");
        assertThatThrownBy(() -> T2vRequest.builder("a").eta(Double.NaN).build())
                .hasMessageContaining("eta");
        assertThatThrownBy(() -> T2vRequest.builder("a").seed(-2).build()).hasMessageContaining("seed must be -1");
        assertThatThrownBy(() ->
                        T2vRequest.builder("a").vid2vid(Path.of("in.mp4"), 1.5).build())
                .hasMessageContaining("strength");
        assertThatThrownBy(() -> T2vRequest.builder("a")
                        .frames(8)
                        .vid2vid(new T2vRequest.Vid2Vid(Path.of("in.mp4"), 0.5, 8))
                        .build())
                .hasMessageContaining("start frame");
        assertThatThrownBy(() -> T2vRequest.builder("a")
                        .soundtrack(Soundtrack.FILE, null)
                        .build())
                .hasMessageContaining("soundtrack path");
    }

    @Test
    void rejectsPromptsTooLongForAQueryString() {
        assertThatThrownBy(() -> T2vRequest.of("é".repeat(3000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long for a query string");
    }

    @Test
    void encodesSpacesAndReservedCharactersInTheQuery() {
        String query = T2vRequest.of("a & b = c?").encodedQuery();

        assertThat(query).startsWith("prompt=a%20%26%20b%20%3D%20c%3F&n_prompt=");
    }
}
