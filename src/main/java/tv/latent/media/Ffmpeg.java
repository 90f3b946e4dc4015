package tv.latent.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs ffmpeg and ffprobe as subprocesses, at most {@code maxProcesses} ffmpeg at a time.
 *
 * <pre>{@code
 * Ffmpeg ffmpeg = Ffmpeg.locate(Runtime.getRuntime().availableProcessors());
 * ffmpeg.run(List.of("-i", "in.mp4", "out.mkv"), Duration.ofMinutes(1), null, seconds -> {});
 * }</pre>
 *
 * <p>Every run goes through {@link ChildProcess}: stderr drained (its last lines kept for the error
 * message), the exit waited on, and on timeout or interruption the process destroyed and waited
 * for.
 * Thread-safe: share one instance per process.
 */
public final class Ffmpeg {
    private static final int KEPT_STDERR_LINES = 24;
    private static final Pattern VERSION = Pattern.compile("version n?(\\d+)\\.(\\d+)");
    private static final Duration VERSION_CHECK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the decoders write when {@code -max_pixels} refuses a frame. */
    private static final String PIXEL_REFUSAL = "exceeds specified max pixel count";

    private final Path ffmpeg;
    private final Path ffprobe;
    private final Semaphore slots;
    private final int maxProcesses;
    private final LongAdder runs = new LongAdder();

    Ffmpeg(Path ffmpeg, Path ffprobe, int maxProcesses) {
        this.ffmpeg = ffmpeg;
        this.ffprobe = ffprobe;
        this.maxProcesses = maxProcesses;
        this.slots = new Semaphore(maxProcesses, true);
    }

    /**
     * Finds ffmpeg and ffprobe ({@code LATENTTV_FFMPEG} / {@code LATENTTV_FFPROBE}, else the PATH)
     * and checks that ffmpeg is 5.1 or newer.
     *
     * @throws IllegalStateException naming what to install when either is missing or too old
     */
    public static Ffmpeg locate(int maxProcesses) {
        Path ffmpeg = find("LATENTTV_FFMPEG", "ffmpeg");
        Path ffprobe = find("LATENTTV_FFPROBE", "ffprobe");
        checkVersion(ffmpeg);
        return new Ffmpeg(ffmpeg, ffprobe, Math.max(1, maxProcesses));
    }

    private static Path find(String variable, String name) {
        String configured = System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (Files.isExecutable(path)) {
                return path;
            }
            throw new IllegalStateException(
                    variable + " points to " + configured + ", which is not an executable file");
        }
        String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/usr/local/bin");
        for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                name + " not found on PATH: install FFmpeg 5.1 or newer (apt-get install ffmpeg)");
    }

    private static void checkVersion(Path ffmpeg) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChildProcess.run(
                    List.of(ffmpeg.toString(), "-hide_banner", "-version"),
                    "ffmpeg-version",
                    VERSION_CHECK_TIMEOUT,
                    null,
                    (bytes, n) -> out.write(bytes, 0, n),
                    line -> {});
            Matcher m = VERSION.matcher(out.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                int major = Integer.parseInt(m.group(1));
                int minor = Integer.parseInt(m.group(2));
                if (major < 5 || (major == 5 && minor < 1)) {
                    throw new IllegalStateException(
                            ffmpeg + " is version " + major + "." + minor + ": LatentTV needs FFmpeg 5.1 or newer");
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + ffmpeg + ": " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the ffmpeg version", e);
        }
    }

    /** How many ffmpeg processes may run at once. */
    public int maxProcesses() {
        return maxProcesses;
    }

    /** How many ffmpeg runs ({@link #run}) this instance has started; ffprobe runs are not counted. */
    public long runs() {
        return runs.sum();
    }

    /** The ffmpeg executable, for components that keep a long-running ffmpeg of their own. */
    public Path executable() {
        return ffmpeg;
    }

    /**
     * Runs ffmpeg with {@code args} (the common flags are added in front), within one of the
     * process slots.
     *
     * @param stdin writes the process's standard input, or null for none
     * @param progress receives the seconds of output written so far, or null
     * @return the last lines ffmpeg wrote on standard error
     */
    public String run(List<String> args, Duration timeout, StdinWriter stdin, DoubleConsumer progress)
            throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error"));
        if (stdin != null) {
            command.remove("-nostdin");
        }
        if (progress != null) {
            command.addAll(List.of("-progress", "pipe:1", "-nostats"));
        }
        command.addAll(args);
        slots.acquire();
        try {
            runs.increment();
            return execute(command, timeout, stdin, progress == null ? null : new ProgressParser(progress), "ffmpeg");
        } finally {
            slots.release();
        }
    }

    /** Runs ffprobe with {@code args} and returns what it printed on standard output. */
    public String probeRaw(List<String> args, Duration timeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ffprobe.toString(), "-hide_banner", "-v", "error"));
        command.addAll(args);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        execute(command, timeout, null, (bytes, n) -> out.write(bytes, 0, n), "ffprobe");
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Probes a media file of LatentTV's own (one from outside: {@link #probeUntrusted}). */
    public MediaInfo probe(Path file) throws IOException, InterruptedException {
        return MediaInfo.parse(probeRaw(showAll(file, true), PROBE_TIMEOUT), file);
    }

    /** ffprobe's arguments for a file's format and streams as JSON, its frames counted by decoding when asked. */
    private static List<String> showAll(Path file, boolean countFrames) {
        List<String> args = new ArrayList<>(List.of("-print_format", "json", "-show_format", "-show_streams"));
        if (countFrames) {
            args.add("-count_frames");
        }
        args.add(file.toString());
        return args;
    }

    /**
     * Probes a file that came from outside (a model server's output) within {@link
     * ProbeLimits#UNTRUSTED}: see {@link #probe(Path, ProbeLimits)}.
     */
    public MediaInfo probeUntrusted(Path file) throws IOException, InterruptedException {
        return probe(file, ProbeLimits.UNTRUSTED);
    }

    /**
     * Probes a file within {@code limits}: its size, then its headers (nothing decoded) are checked
     * first, and only a file within every limit is decoded to count its frames, with frames larger
     * than the pixel limit refused by the decoder. A file past a limit fails with an {@link
     * FfmpegException} that names the limit, without being decoded.
     */
    public MediaInfo probe(Path file, ProbeLimits limits) throws IOException, InterruptedException {
        long size = Files.size(file);
        if (size > limits.maxBytes()) {
            throw refused(file, size + " bytes, over the limit of " + limits.maxBytes());
        }
        List<String> bounded = List.of("-max_pixels", Long.toString(Math.min(limits.maxPixels(), Integer.MAX_VALUE)));
        String header = probeWithin(concat(bounded, showAll(file, false)), file, limits);
        var problem = limits.problem(JSON.readTree(header));
        if (problem.isPresent()) {
            throw refused(file, problem.get());
        }
        MediaInfo info = MediaInfo.parse(probeWithin(concat(bounded, showAll(file, true)), file, limits), file);
        var counted = limits.counted(info.video().map(MediaInfo.Video::frames).orElse(0L));
        if (counted.isPresent()) {
            throw refused(file, counted.get());
        }
        return info;
    }

    /**
     * Runs ffprobe with {@code -max_pixels} among {@code args}; a frame the decoder refused for its
     * size (ffprobe may still exit 0 then) fails the probe with the limit named.
     */
    private String probeWithin(List<String> args, Path file, ProbeLimits limits)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ffprobe.toString(), "-hide_banner", "-v", "error"));
        command.addAll(args);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String stderr;
        try {
            stderr = execute(command, PROBE_TIMEOUT, null, (bytes, n) -> out.write(bytes, 0, n), "ffprobe");
        } catch (FfmpegException e) {
            if (e.getMessage().contains(PIXEL_REFUSAL)) {
                throw refused(file, "a frame is larger than the limit of " + limits.maxPixels() + " pixels");
            }
            throw e;
        }
        if (stderr.contains(PIXEL_REFUSAL)) {
            throw refused(file, "a frame is larger than the limit of " + limits.maxPixels() + " pixels");
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> concat(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all;
    }

    private static FfmpegException refused(Path file, String why) {
        return new FfmpegException(
                "refused " + file.getFileName() + " before decoding it: " + why
                        + " (limits for files from model servers)",
                false);
    }

    private String execute(
            List<String> command, Duration timeout, StdinWriter stdin, ChildProcess.OutputSink stdout, String tool)
            throws IOException, InterruptedException {
        Deque<String> lastLines = new ArrayDeque<>();
        ChildProcess.Exit exit;
        try {
            exit = ChildProcess.run(
                    command, tool, timeout, stdin == null ? null : stdin::write, stdout, line -> keep(lastLines, line));
        } catch (TimeoutException e) {
            throw new FfmpegException(e.getMessage(), false);
        }
        String stderr;
        synchronized (lastLines) {
            stderr = String.join(
                    " | ",
                    lastLines.stream().skip(Math.max(0, lastLines.size() - 8)).toList());
        }
        if (exit.code() != 0) {
            String lower = stderr.toLowerCase(Locale.ROOT);
            boolean diskFull = lower.contains("no space left")
                    || lower.contains("quota exceeded")
                    || lower.contains("file too large");
            throw new FfmpegException(
                    tool + " failed (exit " + exit.code() + ")" + (stderr.isEmpty() ? "" : ": " + stderr), diskFull);
        }
        if (exit.stdinFailure() != null) {
            throw new IOException(
                    "writing to " + tool + " failed: " + exit.stdinFailure().getMessage(), exit.stdinFailure());
        }
        synchronized (lastLines) {
            return String.join("\n", lastLines);
        }
    }

    /** Keeps the last {@value #KEPT_STDERR_LINES} lines, for the error message. */
    private static void keep(Deque<String> lastLines, String line) {
        synchronized (lastLines) {
            lastLines.addLast(line);
            while (lastLines.size() > KEPT_STDERR_LINES) {
                lastLines.removeFirst();
            }
        }
    }

    /** Writes a subprocess's standard input; the stream is closed afterwards. */
    @FunctionalInterface
    public interface StdinWriter {
        void write(OutputStream in) throws IOException;
    }

    /** Reads ffmpeg's {@code -progress} key=value lines and reports {@code out_time_us} in seconds. */
    private static final class ProgressParser implements ChildProcess.OutputSink {
        private final DoubleConsumer listener;
        private final StringBuilder line = new StringBuilder();

        ProgressParser(DoubleConsumer listener) {
            this.listener = listener;
        }

        @Override
        public void accept(byte[] bytes, int length) {
            for (int i = 0; i < length; i++) {
                char c = (char) bytes[i];
                if (c == '\n') {
                    handle(line.toString());
                    line.setLength(0);
                } else {
                    line.append(c);
                }
            }
        }

        private void handle(String keyValue) {
            if (keyValue.startsWith("out_time_us=")) {
                try {
                    long micros = Long.parseLong(
                            keyValue.substring("out_time_us=".length()).strip());
                    if (micros >= 0) {
                        listener.accept(micros / 1e6);
                    }
                } catch (NumberFormatException ignored) {
                    // "N/A" before the first frame
                }
            }
        }
    }
}
