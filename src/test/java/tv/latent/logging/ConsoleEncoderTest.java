package tv.latent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's two formats, on events made here (no global logging state is touched). */
class ConsoleEncoderTest {
    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("tv.latent.pipeline.Pipeline");

    private String encode(String format, Map<String, String> mdc) {
        ConsoleEncoder encoder = new ConsoleEncoder();
        encoder.setContext(context);
        encoder.setFormat(format);
        encoder.setPattern("%-5level %logger{0}%where - %msg%n");
        encoder.start();
        LoggingEvent event =
                new LoggingEvent(Logger.FQCN, logger, Level.WARN, "clip {} failed", null, new Object[] {"c-1"});
        event.setMDCPropertyMap(mdc);
        try {
            return new String(encoder.encode(event), StandardCharsets.UTF_8);
        } finally {
            encoder.stop();
        }
    }

    @Test
    void textLineNamesChannelJobAndStageWhenTheyAreSet() {
        String line = encode(
                "text", Map.of(Logging.STAGE, "RENDER", Logging.CHANNEL, "demo", Logging.JOB, "j-12", "other", "x"));

        assertThat(line).isEqualTo("WARN  Pipeline channel=demo job=j-12 stage=RENDER - clip c-1 failed\n");
    }

    @Test
    void textLineWithoutContextHasNoEmptyKeys() {
        assertThat(encode("text", Map.of())).isEqualTo("WARN  Pipeline - clip c-1 failed\n");
        assertThat(encode("text", Map.of(Logging.CHANNEL, "demo")))
                .isEqualTo("WARN  Pipeline channel=demo - clip c-1 failed\n");
    }

    @Test
    void jsonIsOneObjectPerLineWithLevelLoggerMessageAndContext() throws Exception {
        String line = encode("JSON", Map.of(Logging.CHANNEL, "demo", Logging.JOB, "j-12"));

        assertThat(line).endsWith("\n").doesNotContain("\n\n");
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("level").asText()).isEqualTo("WARN");
        assertThat(json.path("loggerName").asText()).isEqualTo("tv.latent.pipeline.Pipeline");
        assertThat(json.path("formattedMessage").asText()).isEqualTo("clip c-1 failed");
        assertThat(json.path("mdc").path("channel").asText()).isEqualTo("demo");
        assertThat(json.path("mdc").path("job").asText()).isEqualTo("j-12");
        assertThat(json.path("timestamp").asLong()).isPositive();
    }

    @Test
    void unknownFormatFallsBackToText() {
        assertThat(encode("xml", Map.of())).isEqualTo("WARN  Pipeline - clip c-1 failed\n");
    }
}
