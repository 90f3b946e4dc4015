/**
 * The logging setup: standard error for logs, standard output for a command's own lines.
 *
 * <p>Owns the level a command runs at ({@link tv.latent.logging.Logging}: warnings only for
 * one-shot commands, INFO for a station, the operator's {@code LATENTTV_LOG_LEVEL} above both),
 * the MDC keys every package uses ({@code channel}, {@code job}, {@code stage}), the console
 * format (text or JSON lines, {@link tv.latent.logging.ConsoleEncoder}) and
 * {@code src/main/resources/logback.xml}, which quiets third-party libraries to warnings.
 *
 * <p>May depend on SLF4J and Logback only. Code elsewhere logs through SLF4J and names MDC keys
 * with the constants of {@link tv.latent.logging.Logging}; only the command line sets levels.
 */
package tv.latent.logging;
