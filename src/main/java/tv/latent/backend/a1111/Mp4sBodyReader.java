package tv.latent.backend.a1111;

import static tv.latent.backend.a1111.A1111Exception.Kind.DISCONNECTED;
import static tv.latent.backend.a1111.A1111Exception.Kind.LOCAL_IO;
import static tv.latent.backend.a1111.A1111Exception.Kind.MALFORMED_RESPONSE;
import static tv.latent.backend.a1111.A1111Exception.Kind.TOO_LARGE;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads a {@code /t2v/run} answer, {@code {"mp4s": ["data:video/mp4;base64,..."]}}, as a stream:
 * each video is base64-decoded straight into the sink while the bytes arrive, so memory stays
 * small however large the video. A general JSON parser would hold each data URL, a third larger
 * than the video, as one string. Other fields are skipped; both the raw body and each decoded
 * video are capped.
 *
 * <p>Not thread-safe: one reader per answer.
 */
final class Mp4sBodyReader {

    /** Opens where video {@code index} (0-based) is written; the reader closes the stream. */
    @FunctionalInterface
    interface VideoSink {
        OutputStream open(int index, String mediaType) throws IOException;
    }

    private static final int MAX_KEY_BYTES = 1024;
    private static final int MAX_DATA_URL_HEADER = 256;
    private static final int MAX_DEPTH = 64;
    private static final int NONE = -2;

    private final InputStream in;
    private final long maxVideoBytes;
    private final long maxBodyBytes;
    private long consumed;
    private int pushedBack = NONE;

    Mp4sBodyReader(InputStream in, long maxVideoBytes, long maxBodyBytes) {
        this.in = in;
        this.maxVideoBytes = maxVideoBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Reads the whole answer and returns the decoded size of each video, in order. */
    List<Long> read(VideoSink sink) throws IOException {
        if (nextToken() != '{') {
            throw malformed("the answer is not a JSON object");
        }
        List<Long> sizes = null;
        int c = nextToken();
        if (c != '}') {
            while (true) {
                if (c != '"') {
                    throw malformed("expected a field name in the answer object");
                }
                String key = readShortString();
                if (nextToken() != ':') {
                    throw malformed("expected ':' after field \"" + key + "\"");
                }
                if (key.equals("mp4s")) {
                    if (sizes != null) {
                        throw malformed("the answer has two \"mp4s\" fields");
                    }
                    sizes = readMp4s(sink);
                } else {
                    skipValue(nextToken(), 1);
                }
                c = nextToken();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw malformed("expected ',' or '}' in the answer object");
                }
                c = nextToken();
            }
        }
        if (nextToken() != -1) {
            throw malformed("data follows the JSON object");
        }
        if (sizes == null) {
            throw malformed("the answer has no \"mp4s\" field");
        }
        if (sizes.isEmpty()) {
            throw malformed("the answer's \"mp4s\" list is empty");
        }
        return sizes;
    }

    private List<Long> readMp4s(VideoSink sink) throws IOException {
        if (nextToken() != '[') {
            throw malformed("\"mp4s\" is not a list");
        }
        var sizes = new ArrayList<Long>();
        int c = nextToken();
        if (c == ']') {
            return sizes;
        }
        while (true) {
            if (c != '"') {
                throw malformed("\"mp4s\" entry " + sizes.size() + " is not a string");
            }
            sizes.add(readDataUrl(sizes.size(), sink));
            c = nextToken();
            if (c == ']') {
                return sizes;
            }
            if (c != ',') {
                throw malformed("expected ',' or ']' in \"mp4s\"");
            }
            c = nextToken();
        }
    }

    /** Reads one data URL string (opening quote already read) and decodes it into the sink. */
    private long readDataUrl(int index, VideoSink sink) throws IOException {
        var header = new StringBuilder();
        while (true) {
            int b = readByte();
            if (b == ',') {
                break;
            }
            if (b == '"' || b == '\\' || header.length() >= MAX_DATA_URL_HEADER) {
                throw malformed("\"mp4s\" entry " + index + " is not a base64 data URL (starts with \""
                        + abbreviate(header) + "\")");
            }
            header.append((char) b);
        }
        String h = header.toString();
        if (!h.startsWith("data:") || !h.endsWith(";base64")) {
            throw malformed("\"mp4s\" entry " + index + " is not a base64 data URL (starts with \"" + abbreviate(header)
                    + "\")");
        }
        String mediaType = h.substring("data:".length(), h.length() - ";base64".length());
        if (!mediaType.startsWith("video/")) {
            throw malformed("\"mp4s\" entry " + index + " is a data URL of " + mediaType + ", not a video");
        }
        var payload = new Base64Chars(index);
        InputStream decoded = Base64.getDecoder().wrap(payload);
        long written = 0;
        try (OutputStream out = openSink(sink, index, mediaType)) {
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                int n;
                try {
                    n = decoded.read(buffer);
                } catch (BodyException e) {
                    throw e;
                } catch (IOException e) {
                    throw malformed("video " + index + " is not valid base64: " + e.getMessage());
                }
                if (n < 0) {
                    break;
                }
                written += n;
                if (written > maxVideoBytes) {
                    throw new BodyException(
                            TOO_LARGE, "video " + index + " is larger than the limit of " + maxVideoBytes + " bytes");
                }
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw new BodyException(LOCAL_IO, "cannot write video " + index + ": " + e, e);
                }
            }
        }
        if (payload.read() != -1) {
            throw malformed("video " + index + " has data after its base64 padding");
        }
        if (written == 0) {
            throw malformed("video " + index + " is empty");
        }
        return written;
    }

    private static OutputStream openSink(VideoSink sink, int index, String mediaType) throws BodyException {
        try {
            return sink.open(index, mediaType);
        } catch (IOException e) {
            throw new BodyException(LOCAL_IO, "cannot create the file for video " + index + ": " + e, e);
        }
    }

    /** The characters of a JSON string holding base64, up to its closing quote. */
    private final class Base64Chars extends InputStream {
        private final int index;
        private boolean ended;

        Base64Chars(int index) {
            this.index = index;
        }

        @Override
        public int read() throws IOException {
            while (!ended) {
                int b = readByte();
                if (b == '"') {
                    ended = true;
                    return -1;
                }
                if (b == '\\') {
                    b = readEscape();
                    if (b < 0) {
                        continue;
                    }
                }
                if (isBase64(b)) {
                    return b;
                }
                throw malformed("video " + index + " has a character that is not base64: "
                        + (b < 32 || b > 126 ? "0x" + Integer.toHexString(b) : "'" + (char) b + "'"));
            }
            return -1;
        }

        // InputStream's default swallows exceptions after the first byte; errors must surface.
        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            int count = 0;
            while (count < length) {
                int b = read();
                if (b < 0) {
                    break;
                }
                buffer[offset + count++] = (byte) b;
            }
            return count == 0 ? -1 : count;
        }

        /** The escaped character, or -1 for an escaped line break, which base64 may carry. */
        private int readEscape() throws IOException {
            int e = readByte();
            return switch (e) {
                case '/' -> '/';
                case 'n', 'r' -> -1;
                case 'u' -> {
                    int value = 0;
                    for (int i = 0; i < 4; i++) {
                        int digit = Character.digit(readByte(), 16);
                        if (digit < 0) {
                            throw malformed("bad \\u escape in video " + index);
                        }
                        value = value * 16 + digit;
                    }
                    yield value;
                }
                default -> throw malformed("unexpected escape \\" + (char) e + " in video " + index);
            };
        }
    }

    private static boolean isBase64(int b) {
        return (b >= 'A' && b <= 'Z')
                || (b >= 'a' && b <= 'z')
                || (b >= '0' && b <= '9')
                || b == '+'
                || b == '/'
                || b == '=';
    }

    /** Reads a short string (opening quote already read), such as a field name. */
    private String readShortString() throws IOException {
        var bytes = new ByteArrayOutputStream();
        while (true) {
            int b = readByte();
            if (b == '"') {
                return bytes.toString(StandardCharsets.UTF_8);
            }
            if (b == '\\') {
                int e = readByte();
                switch (e) {
                    case 'b' -> bytes.write('\b');
                    case 'f' -> bytes.write('\f');
                    case 'n' -> bytes.write('\n');
                    case 'r' -> bytes.write('\r');
                    case 't' -> bytes.write('\t');
                    case 'u' -> {
                        int value = 0;
                        for (int i = 0; i < 4; i++) {
                            int digit = Character.digit(readByte(), 16);
                            if (digit < 0) {
                                throw malformed("bad \\u escape in a field name");
                            }
                            value = value * 16 + digit;
                        }
                        bytes.writeBytes(String.valueOf((char) value).getBytes(StandardCharsets.UTF_8));
                    }
                    default -> bytes.write(e);
                }
            } else {
                bytes.write(b);
            }
            if (bytes.size() > MAX_KEY_BYTES) {
                throw malformed("a field name is longer than " + MAX_KEY_BYTES + " bytes");
            }
        }
    }

    private void skipString() throws IOException {
        while (true) {
            int b = readByte();
            if (b == '"') {
                return;
            }
            if (b == '\\') {
                readByte();
            }
        }
    }

    /** Skips a value whose first significant character is {@code c}. */
    private void skipValue(int c, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw malformed("the answer nests deeper than " + MAX_DEPTH + " levels");
        }
        switch (c) {
            case '"' -> skipString();
            case '{' -> {
                int n = nextToken();
                while (n != '}') {
                    if (n != '"') {
                        throw malformed("expected a field name");
                    }
                    skipString();
                    if (nextToken() != ':') {
                        throw malformed("expected ':'");
                    }
                    skipValue(nextToken(), depth + 1);
                    n = nextToken();
                    if (n == ',') {
                        n = nextToken();
                    } else if (n != '}') {
                        throw malformed("expected ',' or '}'");
                    }
                }
            }
            case '[' -> {
                int n = nextToken();
                while (n != ']') {
                    skipValue(n, depth + 1);
                    n = nextToken();
                    if (n == ',') {
                        n = nextToken();
                    } else if (n != ']') {
                        throw malformed("expected ',' or ']'");
                    }
                }
            }
            default -> {
                if (!isScalarChar(c)) {
                    throw malformed(c < 0 ? "the answer ended early" : "unexpected character '" + (char) c + "'");
                }
                int n;
                do {
                    n = readRaw();
                } while (isScalarChar(n));
                pushedBack = n;
            }
        }
    }

    private static boolean isScalarChar(int c) {
        return (c >= '0' && c <= '9')
                || (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || c == '-'
                || c == '+'
                || c == '.';
    }

    /** The next character that is not JSON whitespace, or -1 at the end of the body. */
    private int nextToken() throws IOException {
        int c;
        do {
            c = readRaw();
        } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
        return c;
    }

    /** The next byte, failing at the end of the body (used inside strings and values). */
    private int readByte() throws IOException {
        int b = readRaw();
        if (b < 0) {
            throw malformed("the answer ended early, after " + consumed + " bytes");
        }
        return b;
    }

    private int readRaw() throws IOException {
        if (pushedBack != NONE) {
            int b = pushedBack;
            pushedBack = NONE;
            return b;
        }
        int b;
        try {
            b = in.read();
        } catch (IOException e) {
            throw new BodyException(
                    DISCONNECTED, "the connection dropped after " + consumed + " bytes of the answer: " + e, e);
        }
        if (b >= 0 && ++consumed > maxBodyBytes) {
            throw new BodyException(TOO_LARGE, "the answer is larger than the limit of " + maxBodyBytes + " bytes");
        }
        return b;
    }

    private static String abbreviate(CharSequence text) {
        return text.length() <= 40 ? text.toString() : text.subSequence(0, 40) + "...";
    }

    private static BodyException malformed(String message) {
        return new BodyException(MALFORMED_RESPONSE, message);
    }
}
