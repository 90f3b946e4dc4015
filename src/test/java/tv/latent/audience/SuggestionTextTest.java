package tv.latent.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tv.latent.audience.Reply.Why;

class SuggestionTextTest {
    /** The bad-input corpus: what viewers (and bots) send, and the reason each is refused for. */
    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of("", Why.TOO_SHORT),
                Arguments.of("   \t\n  ", Why.TOO_SHORT),
                Arguments.of("ab", Why.TOO_SHORT),
                Arguments.of("a".repeat(301), Why.TOO_LONG),
                Arguments.of("fox ".repeat(5000), Why.TOO_LONG),
                Arguments.of("a red\u0000fox", Why.NOT_TEXT),
                Arguments.of("\u0001\u0002\u0003\u0004\u0005\u0006\u0007abc", Why.NOT_TEXT),
                Arguments.of("PK\u0003\u0004\u0014\u0000\u0008\u0000", Why.NOT_TEXT),
                Arguments.of("a red fox \uD800 broken", Why.NOT_TEXT),
                Arguments.of("a red fox \uFFFD\uFFFD", Why.NOT_TEXT),
                Arguments.of("a red \uFFFF fox", Why.NOT_TEXT),
                Arguments.of("a red fox\u001B[31m in red", Why.CONTROL_CHARACTERS),
                Arguments.of("a red fox \u0085 next line", Why.CONTROL_CHARACTERS),
                Arguments.of("a fox \u202Eexif.exe", Why.DIRECTION_CHARACTERS),
                Arguments.of("a fox \u2066isolated\u2069", Why.DIRECTION_CHARACTERS),
                Arguments.of("a fox \u200F mark", Why.DIRECTION_CHARACTERS),
                Arguments.of("see https://example.com/x for details", Why.LINK),
                Arguments.of("HTTP://EXAMPLE.ORG", Why.LINK),
                Arguments.of("go to www.example.net", Why.LINK),
                Arguments.of("join discord.gg/abcdef", Why.LINK),
                Arguments.of("visit example [dot] com now", Why.LINK),
                Arguments.of("javascript:alert(1)", Why.LINK),
                Arguments.of("data:text/html;base64,PHNjcmlwdD4=", Why.LINK),
                Arguments.of("ping 192.168.1.1 please", Why.LINK),
                Arguments.of("!!! ??? ...", Why.NO_WORDS),
                Arguments.of("<b></b><i></i>", Why.NO_WORDS),
                Arguments.of("🦊🦊🦊", Why.NO_WORDS));
    }

    @ParameterizedTest
    @MethodSource("badInput")
    void badInputIsRefusedWithAClearReason(String raw, Why why) {
        SuggestionText.Checked checked = SuggestionText.suggestion(raw);
        assertThat(checked.ok()).as(raw).isFalse();
        assertThat(checked.why()).as(raw).isEqualTo(why);
        assertThat(checked.message()).isNotBlank().endsWith(".");
    }

    @Test
    void markupIsKeptAsTheTextTheViewerTyped() {
        String html = "<script>alert('hi')</script> a <b>bold</b> fox & \"friends\"";
        assertThat(SuggestionText.suggestion(html).text()).isEqualTo(html);
    }

    @Test
    void spacingIsTidiedInvisibleCharactersGoAndUnicodeIsComposed() {
        assertThat(SuggestionText.suggestion("  a\tred\n\n fox\u00A0 at  dusk ").text())
                .isEqualTo("a red fox at dusk");
        assertThat(SuggestionText.suggestion("a re\u200Bd f\u00ADox\uFEFF").text())
                .isEqualTo("a red fox");
        assertThat(SuggestionText.suggestion("cafe\u0301 scene").text()).isEqualTo("café scene");
        assertThat(SuggestionText.suggestion("wow!!!!!!!!!!!!!!! a fox").text()).isEqualTo("wow!!!!! a fox");
        assertThat(SuggestionText.suggestion("x".repeat(290) + " ok").ok()).isTrue();
        assertThat(SuggestionText.suggestion("🦊 a fox in 東京").ok()).isTrue();
    }

    @Test
    void displayNamesAreOptionalShortAndPlain() {
        assertThat(SuggestionText.displayName(null).text()).isEmpty();
        assertThat(SuggestionText.displayName("  Ada  Lovelace ").text()).isEqualTo("Ada Lovelace");
        assertThat(SuggestionText.displayName("<img src=x onerror=alert(1)>").text())
                .isEqualTo("<img src=x onerror=alert(1)>");
        assertThat(SuggestionText.displayName("n".repeat(33)).why()).isEqualTo(Why.BAD_NAME);
        assertThat(SuggestionText.displayName("Ada\u202E").why()).isEqualTo(Why.BAD_NAME);
        assertThat(SuggestionText.displayName("Ada\r\nPRIVMSG #x").text()).isEqualTo("Ada PRIVMSG #x");
        assertThat(SuggestionText.displayName("Ada\u0007").why()).isEqualTo(Why.BAD_NAME);
        assertThat(SuggestionText.displayName("www.spam.com").why()).isEqualTo(Why.BAD_NAME);
    }

    @Test
    void sameAndNearlySameSuggestionsAreSpotted() {
        String fox = SuggestionText.normal("A red fox, juggling lanterns!");
        assertThat(SuggestionText.normal("a RED fox juggling lanterns")).isEqualTo(fox);
        assertThat(SuggestionText.normal("a rеd fox juggling lanterns"))
                .as("Cyrillic е")
                .isEqualTo(fox);
        assertThat(SuggestionText.normal("a red fooooox juggling lanterns"))
                .isEqualTo(SuggestionText.normal("a red foox juggling lanterns"));
        assertThat(SuggestionText.nearlySame(fox, SuggestionText.normal("a red fox juggling lanternz")))
                .isTrue();
        assertThat(SuggestionText.nearlySame(fox, SuggestionText.normal("juggling lanterns a red fox")))
                .isTrue();
        assertThat(SuggestionText.nearlySame(fox, SuggestionText.normal("a red fox juggling lanterns!!1")))
                .isTrue();
        assertThat(SuggestionText.nearlySame(fox, SuggestionText.normal("a blue whale singing opera")))
                .isFalse();
        assertThat(SuggestionText.nearlySame(SuggestionText.normal("a cat"), SuggestionText.normal("a bat")))
                .as("short texts: one edit is a different idea")
                .isFalse();
    }

    @Test
    void editDistanceInABandMatchesTheFullOne() {
        assertThat(SuggestionText.withinEdits("kitten", "sitting", 3)).isTrue();
        assertThat(SuggestionText.withinEdits("kitten", "sitting", 2)).isFalse();
        assertThat(SuggestionText.withinEdits("", "abc", 3)).isTrue();
        assertThat(SuggestionText.withinEdits("abcdef", "abcdef", 0)).isTrue();
        assertThat(SuggestionText.withinEdits("a".repeat(300), "b".repeat(300), 30))
                .isFalse();
    }
}
