package tv.latent.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import java.util.Map;

/**
 * {@code %where} in a text pattern: the line's channel, job and stage from the MDC, as
 * {@code " channel=demo job=j-12 stage=RENDER"}, or nothing when none is set. Stateless and
 * thread-safe.
 */
final class WhereConverter extends ClassicConverter {
    private static final List<String> KEYS = List.of(Logging.CHANNEL, Logging.JOB, Logging.STAGE);

    @Override
    public String convert(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc == null || mdc.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String key : KEYS) {
            String value = mdc.get(key);
            if (value != null && !value.isEmpty()) {
                out.append(' ').append(key).append('=').append(value);
            }
        }
        return out.toString();
    }
}
