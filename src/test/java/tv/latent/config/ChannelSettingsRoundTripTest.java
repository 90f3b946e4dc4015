package tv.latent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A channel's settings, as the console stores and edits them, read back into the same channel. */
class ChannelSettingsRoundTripTest {
    @Test
    void numberLogoAndScheduleSurviveTheSettingsRoundTrip() {
        LatentConfig config = ConfigLoader.parse(
                """
                channels:
                  - id: wild
                    theme: animals
                    number: 42
                    logo: https://example.org/wild.png
                    schedule:
                      timeZone: Europe/Paris
                      slots:
                        - {title: Morning Wild, start: "06:00", end: "10:00", theme: wildlife at dawn, style: [golden light], musicMood: calm, category: Nature, description: Dawn animals}
                        - {title: Weekend Night, start: "22:30", end: "01:15", days: [sat, sun], theme: owls}
                        - {title: Workdays, start: "12:00", end: "13:00", days: weekdays, theme: lunch birds}
                """,
                Path.of("latenttv.yaml"),
                Map.<String, String>of()::get);
        ChannelConfig channel = config.channels().getFirst();
        Map<String, Object> settings = ConfigLoader.settings(channel);
        ChannelConfig again = ConfigLoader.channel(settings, config, Map.<String, String>of()::get);
        assertThat(again.number()).isEqualTo(channel.number()).hasValue(42);
        assertThat(again.logo()).isEqualTo("https://example.org/wild.png");
        assertThat(again.schedule()).isEqualTo(channel.schedule());
        assertThat(again.schedule().slots()).hasSize(3);
        assertThat(again).isEqualTo(channel);
    }
}
