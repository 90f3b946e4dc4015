package tv.latent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.schedule.Slot;

/** A channel's programme schedule, number and logo, and the {@code iptv} section, as the YAML gives them. */
class ScheduleConfigTest {
    @TempDir
    Path dir;

    private LatentConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, dir.resolve("latenttv.yaml"), Map.<String, String>of()::get);
    }

    private void assertProblems(String yaml, String... fragments) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage())
                            .startsWith(dir.resolve("latenttv.yaml").toString() + ": ");
                    for (String fragment : fragments) {
                        assertThat(e.getMessage()).contains(fragment);
                    }
                });
    }

    private static String channelWithSlots(String slots) {
        return """
                channels:
                  - id: wild
                    theme: wildlife at golden hour
                    schedule:
                      timeZone: Europe/Paris
                      slots:
                """
                + slots.indent(8);
    }

    @Test
    void slotsAreReadWithTheirZoneDaysAndBrief() {
        LatentConfig config = parse(
                channelWithSlots(
                        """
                - title: Morning Wild
                  description: Animals wake up.
                  start: "06:00"
                  end: "10:00"
                  theme: wildlife at dawn
                  style: [national geographic, telephoto]
                  musicMood: gentle strings
                  category: Nature
                - title: Night Shift
                  start: "22:00"
                  end: "02:00"
                  days: [fri, saturday]
                  theme: neon streets in the rain
                - {title: Lunch, start: "12:00", end: "13:00", days: weekdays, theme: kitchens}
                """));

        ChannelConfig channel = config.channels().getFirst();
        assertThat(channel.schedule().zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        List<Slot> slots = channel.schedule().slots();
        assertThat(slots).hasSize(3);
        assertThat(slots.get(0).title()).isEqualTo("Morning Wild");
        assertThat(slots.get(0).start()).isEqualTo(LocalTime.of(6, 0));
        assertThat(slots.get(0).daily()).isTrue();
        assertThat(slots.get(0).style()).containsExactly("national geographic", "telephoto");
        assertThat(slots.get(0).musicMood()).isEqualTo("gentle strings");
        assertThat(slots.get(0).category()).isEqualTo("Nature");
        assertThat(slots.get(1).days()).containsExactlyInAnyOrder(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY);
        assertThat(slots.get(1).category()).isEqualTo(Slot.DEFAULT_CATEGORY);
        assertThat(slots.get(2).days()).isEqualTo(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
    }

    @Test
    void overlappingSlotsStopTheStartNamingBothAndWhen() {
        assertProblems(
                channelWithSlots(
                        """
                - {title: Night Shift, start: "22:00", end: "02:00", days: [sun], theme: neon streets}
                - {title: Early, start: "01:00", end: "03:00", days: [mon], theme: empty roads}
                """),
                "channels[0].schedule.slots[1]: overlaps slots[0] ('Night Shift') on Monday at 01:00");
    }

    @Test
    void malformedSlotsAreEachNamedByKey() {
        assertProblems(
                channelWithSlots(
                        """
                - {title: A, start: "6am", end: "10:00", theme: dawn}
                - {title: B, start: "10:00", end: "24:00", theme: noon}
                - {title: C, start: "12:00", end: "13:00", days: [funday], theme: lunch}
                - {title: D, start: "14:00", end: "15:00", theme: tea, colour: red}
                """),
                "channels[0].schedule.slots[0].start: must be a time of day HH:MM",
                "got '6am'",
                "channels[0].schedule.slots[1].end: must be a time of day HH:MM",
                "channels[0].schedule.slots[2].days: 'funday' is not a day",
                "channels[0].schedule.slots[3].colour: unknown key");
    }

    @Test
    void aSlotWithNoThemeOrOfNoLengthIsAnError() {
        assertProblems(
                channelWithSlots(
                        """
                - {title: Empty, start: "06:00", end: "10:00"}
                - {title: Nothing, start: "11:00", end: "11:00", theme: a clock}
                """),
                "channels[0].schedule.slots[0].theme: missing",
                "channels[0].schedule.slots[1]: starts and ends at 11:00");
    }

    @Test
    void anUnknownTimeZoneIsAnError() {
        assertProblems(
                """
                channels:
                  - id: wild
                    theme: wildlife
                    schedule:
                      timeZone: Europe/Atlantis
                      slots: [{title: A, start: "06:00", end: "07:00", theme: dawn}]
                """,
                "channels[0].schedule.timeZone: unknown time zone 'Europe/Atlantis'");
        assertProblems(
                """
                channels:
                  - id: wild
                    theme: wildlife
                    schedule:
                      slots: [{title: A, start: "06:00", end: "07:00", theme: dawn}]
                """,
                "channels[0].schedule.timeZone: missing");
    }

    @Test
    void channelNumbersMustDifferAndTheIptvSectionIsChecked() {
        assertProblems(
                """
                iptv: {publicUrl: "tv.local:8080", tunerCount: 0}
                channels:
                  - {id: a, theme: x, number: 5}
                  - {id: b, theme: y, number: 5, logo: "logo.png"}
                """,
                "channels[1].number: 5 is channel 'a''s number already",
                "channels[1].logo: must be an http:// or https:// URL",
                "iptv.publicUrl: must be an http:// or https:// base URL",
                "iptv.tunerCount: must be from 1 to 64");
    }

    @Test
    void theIptvSectionHasDefaultsAndKeepsWhatItIsGiven() {
        assertThat(parse("channels:\n  - {id: a, theme: x}\n").iptv()).isEqualTo(LatentConfig.Iptv.DEFAULT);
        LatentConfig config = parse(
                """
                iptv: {publicUrl: "http://192.168.1.20:8080/", tunerCount: 2, deviceName: Den, ssdp: true, clientBufferSeconds: 4}
                channels:
                  - {id: a, theme: x, number: 7, logo: "https://example.com/a.png"}
                """);
        assertThat(config.iptv()).isEqualTo(new LatentConfig.Iptv("http://192.168.1.20:8080", 2, "Den", true, 4));
        assertThat(config.channels().getFirst().number()).hasValue(7);
        assertThat(config.channels().getFirst().logo()).isEqualTo("https://example.com/a.png");
    }
}
