package tv.latent.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The console's encoder, named in {@code logback.xml}: readable text after its {@code pattern}
 * by default, one JSON object per line when its {@code format} is {@code json} (logback.xml takes
 * it from {@code -Dlatenttv.log.format} or {@code LATENTTV_LOG_FORMAT}). The text pattern may use {@code %where} for the
 * {@link Logging#CHANNEL}, {@link Logging#JOB} and {@link Logging#STAGE} of the line; JSON lines
 * carry the whole MDC.
 *
 * <p>Logback creates, configures and starts it once; after that it is used by one appender,
 * which serialises calls to {@link #encode}.
 */
public final class ConsoleEncoder extends EncoderBase<ILoggingEvent> {
    private String pattern = "%d %-5level [%thread] %logger{36}%where - %msg%n";
    private String format = "text";
    private Encoder<ILoggingEvent> delegate;

    /** The text layout's pattern (logback's pattern syntax, plus {@code %where}). */
    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    /** {@code text} (the default) or {@code json}, in any case; anything else is text, said once on stderr. */
    public void setFormat(String format) {
        this.format = format == null ? "" : format.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public void start() {
        if (!format.equals("text") && !format.equals("json")) {
            // one line on stderr: a logback warning would print its whole status report on stdout
            System.err.println("latenttv: log format '" + format + "' (" + Logging.FORMAT_ENV
                    + ") is not text or json; logging text");
        }
        delegate = format.equals("json") ? json() : text();
        delegate.start();
        super.start();
    }

    private Encoder<ILoggingEvent> text() {
        PatternLayout layout = new PatternLayout();
        layout.setContext(getContext());
        layout.getInstanceConverterMap().put("where", WhereConverter::new);
        layout.setPattern(pattern);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(getContext());
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.setLayout(layout);
        return encoder;
    }

    /** Logback's JSON encoder without the fields a log shipper does not need (sequence, nanos, context, raw arguments). */
    private Encoder<ILoggingEvent> json() {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(getContext());
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        return encoder;
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }
}
