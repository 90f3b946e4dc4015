package tv.latent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's log level beats the command's own choice; the system property beats the environment. */
class LoggingTest {
    private static Level level(Map<String, String> properties, Map<String, String> environment) {
        return Logging.level(properties::get, environment::get, Level.WARN);
    }

    @Test
    void commandsChoiceStandsWhenTheOperatorNamesNoLevel() {
        assertThat(level(Map.of(), Map.of())).isEqualTo(Level.WARN);
        assertThat(level(Map.of(Logging.LEVEL_PROPERTY, " "), Map.of(Logging.LEVEL_ENV, "")))
                .isEqualTo(Level.WARN);
    }

    @Test
    void environmentVariableOverridesTheCommandsChoice() {
        assertThat(level(Map.of(), Map.of(Logging.LEVEL_ENV, "debug"))).isEqualTo(Level.DEBUG);
    }

    @Test
    void systemPropertyOverridesTheEnvironment() {
        assertThat(level(Map.of(Logging.LEVEL_PROPERTY, "ERROR"), Map.of(Logging.LEVEL_ENV, "debug")))
                .isEqualTo(Level.ERROR);
    }

    @Test
    void unknownLevelNameKeepsTheCommandsChoice() {
        assertThat(level(Map.of(), Map.of(Logging.LEVEL_ENV, "loud"))).isEqualTo(Level.WARN);
    }
}
