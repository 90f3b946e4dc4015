package tv.latent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much LatentTV logs, and the names of the context keys its log lines carry. Logs go to
 * standard error (see {@code logback.xml}); standard output is left to a command's own lines.
 *
 * <pre>{@code
 * Logging.forOneShotCommand();             // generate, clips, playlist, resume: warnings and errors only
 * Logging.forStation();                    // serve, demo: INFO lines too
 * MDC.put(Logging.CHANNEL, channel.id());  // printed as channel=... on this thread's lines
 * }</pre>
 *
 * <p>{@code LATENTTV_LOG_LEVEL} (or {@code -Dlatenttv.log.level}) set to a level name overrides
 * both; {@code LATENTTV_LOG_FORMAT=json} (or {@code -Dlatenttv.log.format=json}) writes JSON
 * lines instead of text ({@link ConsoleEncoder}). Thread-safe: the backend changes levels
 * atomically; the last call wins.
 */
public final class Logging {
    /** MDC key: the channel a line is about. */
    public static final String CHANNEL = "channel";
    /** MDC key: the shot job a line is about. */
    public static final String JOB = "job";
    /** MDC key: the pipeline stage a line is about. */
    public static final String STAGE = "stage";

    static final String LEVEL_PROPERTY = "latenttv.log.level";
    static final String LEVEL_ENV = "LATENTTV_LOG_LEVEL";
    static final String FORMAT_ENV = "LATENTTV_LOG_FORMAT";

    private Logging() {}

    /** A command that does one thing and exits: only warnings and errors reach the terminal. */
    public static void forOneShotCommand() {
        useLevel(Level.WARN);
    }

    /** A station that runs until stopped: INFO lines say what it does. */
    public static void forStation() {
        useLevel(Level.INFO);
    }

    private static void useLevel(Level fallback) {
        // another SLF4J backend on the class path (LatentTV embedded elsewhere) keeps its own settings
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(level(System::getProperty, System::getenv, fallback));
        }
    }

    /**
     * The operator's level (the system property first, then the environment variable), or
     * {@code fallback} when neither names one.
     */
    static Level level(UnaryOperator<String> properties, UnaryOperator<String> environment, Level fallback) {
        String value = properties.apply(LEVEL_PROPERTY);
        if (value == null || value.isBlank()) {
            value = environment.apply(LEVEL_ENV);
        }
        return value == null || value.isBlank() ? fallback : Level.toLevel(value.strip(), fallback);
    }
}
