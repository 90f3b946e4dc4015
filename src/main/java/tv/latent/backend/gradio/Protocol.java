package tv.latent.backend.gradio;

import java.util.Locale;

/**
 * How an app exchanges calls, as its {@code /config} {@code protocol} field says. The client picks
 * its transport from it.
 */
public enum Protocol {
    /** Gradio 3.x (no {@code protocol} field): WebSocket queue; this client uses {@code /run/...}. */
    WS,
    /** Gradio 4.0: {@code GET /queue/join} opens the stream, then {@code POST /queue/data}. */
    SSE,
    /** Gradio 4.1x: {@code POST /queue/join}, then one stream per session. */
    SSE_V1,
    /** Gradio 4.20+: as v1, streamed outputs after the first are diffs. */
    SSE_V2,
    /** Gradio 4.25+, 5.x, 6.x: as v2, plus {@code close_stream}. */
    SSE_V3;

    /** Reads a config's {@code protocol} value; absent means 3.x, unknown means the newest. */
    static Protocol parse(String value) {
        if (value == null || value.isBlank()) {
            return WS;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "ws" -> WS;
            case "sse" -> SSE;
            case "sse_v1" -> SSE_V1;
            case "sse_v2", "sse_v2.1" -> SSE_V2;
            default -> SSE_V3;
        };
    }

    boolean sendsDiffs() {
        return this == SSE_V2 || this == SSE_V3;
    }
}
