package tv.latent.generate.voice;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import tv.latent.generate.Intermediate;
import tv.latent.generate.Speaker;
import tv.latent.generate.SpeechAudio;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageException;
import tv.latent.generate.StageOutput;
import tv.latent.media.ChildProcess;
import tv.latent.media.Ffmpeg;

/**
 * The embedded narrator: Debian's {@code espeak-ng} (formant synthesis: robotic, but real speech,
 * offline, a few milliseconds a line). The line goes to espeak-ng on standard input, never as an
 * argument, and as plain text (no SSML), so nothing in it is read as an option or markup. Its
 * voice is the configured one, or the one of the line's language ({@code en} speaks {@code
 * en-us}); its rate is in words per minute, its pitch 0 to 99.
 *
 * <pre>{@code
 * Speaker espeak = EspeakSpeaker.locate(ffmpeg, null, 160, 50, Duration.ofSeconds(60));
 * StageOutput voice = espeak.speak(new SpeakRequest("Meet the red fox.", "en", 48000, 1), context);
 * }</pre>
 *
 * <p>Thread-safe: each call runs its own process. Holds nothing that needs closing.
 */
public final class EspeakSpeaker implements Speaker {
    /** What its outputs say made them. */
    public static final String BACKEND = "espeak-ng";

    private static final Duration MAX_RUN = Duration.ofSeconds(60);
    private static final int KEPT_STDERR_LINES = 8;

    private final Path executable;
    private final Ffmpeg ffmpeg;
    private final String voice;
    private final int rate;
    private final int pitch;
    private final Duration timeout;

    /**
     * @param voice an espeak-ng voice ({@code en-us}, {@code fr}), or null for the line's language
     * @param rate words per minute, 80..450
     * @param pitch 0..99
     */
    EspeakSpeaker(Path executable, Ffmpeg ffmpeg, String voice, int rate, int pitch, Duration timeout) {
        if (rate < 80 || rate > 450 || pitch < 0 || pitch > 99) {
            throw new IllegalArgumentException(
                    "espeak-ng rate must be 80..450 and pitch 0..99, got " + rate + ", " + pitch);
        }
        if (voice != null && !voice.matches("[A-Za-z0-9_+-]{1,40}")) {
            throw new IllegalArgumentException("not an espeak-ng voice name: \"" + voice + "\"");
        }
        this.executable = Objects.requireNonNull(executable);
        this.ffmpeg = Objects.requireNonNull(ffmpeg);
        this.voice = voice;
        this.rate = rate;
        this.pitch = pitch;
        this.timeout = Intermediate.positiveTimeout(timeout).compareTo(MAX_RUN) < 0 ? timeout : MAX_RUN;
    }

    /**
     * Finds {@code espeak-ng} ({@code LATENTTV_ESPEAK_NG}, else the PATH) and, when a voice is
     * configured, checks espeak-ng has it.
     *
     * @throws IllegalStateException naming what to install when it is missing, or the voice when
     *     espeak-ng does not know it
     */
    public static EspeakSpeaker locate(Ffmpeg ffmpeg, String voice, int rate, int pitch, Duration timeout) {
        Path executable = find().orElseThrow(() -> new IllegalStateException(
                "espeak-ng not found on PATH: the narrator's embedded voice needs it (apt-get install espeak-ng)"));
        EspeakSpeaker speaker = new EspeakSpeaker(executable, ffmpeg, voice, rate, pitch, timeout);
        if (voice != null) {
            speaker.checkVoice(voice);
        }
        return speaker;
    }

    /** Where espeak-ng is, if it is installed. */
    public static Optional<Path> find() {
        String configured = System.getenv("LATENTTV_ESPEAK_NG");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/usr/local/bin");
        for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "espeak-ng");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The espeak-ng voice of a language tag: {@code en} speaks American English, others their own. */
    static String voiceFor(String language) {
        String tag = language == null
                ? "en"
                : language.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        if (tag.isEmpty() || tag.equals("en")) {
            return "en-us";
        }
        return tag.matches("[a-z0-9-]{1,40}") ? tag : "en-us";
    }

    @Override
    public StageOutput speak(SpeakRequest request, StageContext context) throws IOException, InterruptedException {
        SpeechAudio.checkText(request.text());
        String spoken = voice != null ? voice : voiceFor(request.language());
        Path raw = context.newFile("espeak", "wav");
        Path target = context.newFile("speak", "wav");
        try {
            context.progress().report(0, "speaking with espeak-ng " + spoken);
            Deque<String> stderr = new ArrayDeque<>();
            ChildProcess.Exit exit;
            try {
                exit = ChildProcess.run(
                        List.of(
                                executable.toString(),
                                "-v",
                                spoken,
                                "-s",
                                Integer.toString(rate),
                                "-p",
                                Integer.toString(pitch),
                                "-b",
                                "1",
                                "--stdin",
                                "-w",
                                raw.toString()),
                        "espeak-ng",
                        timeout,
                        in -> in.write(request.text().getBytes(StandardCharsets.UTF_8)),
                        null,
                        line -> keep(stderr, line));
            } catch (TimeoutException e) {
                throw new StageException("espeak-ng " + e.getMessage(), true, e);
            }
            if (exit.code() != 0) {
                throw new StageException(
                        "espeak-ng failed (exit " + exit.code() + ") with voice " + spoken + ": "
                                + String.join(" | ", stderr),
                        false);
            }
            SpeechAudio.Accepted accepted = SpeechAudio.accept(ffmpeg, raw, target, request, BACKEND, 0, false);
            context.progress().report(1, "spoken");
            return new StageOutput(
                    target,
                    BACKEND,
                    java.util.Map.of(
                            "voice",
                            spoken,
                            "rate",
                            Integer.toString(rate),
                            "pitch",
                            Integer.toString(pitch),
                            "seconds",
                            String.format(Locale.ROOT, "%.3f", accepted.seconds())));
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    /** Runs espeak-ng once with {@code voice}; fails naming the voice when espeak-ng has none of that name. */
    private void checkVoice(String voice) {
        Deque<String> stderr = new ArrayDeque<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChildProcess.Exit exit = ChildProcess.run(
                    List.of(executable.toString(), "-v", voice, "-q", "--stdin"),
                    "espeak-ng-check",
                    Duration.ofSeconds(30),
                    in -> in.write("check".getBytes(StandardCharsets.UTF_8)),
                    (bytes, n) -> out.write(bytes, 0, n),
                    line -> keep(stderr, line));
            if (exit.code() != 0) {
                throw new IllegalStateException("espeak-ng has no voice \"" + voice + "\" (espeak-ng --voices lists"
                        + " them): " + String.join(" | ", stderr)
                        + out.toString(StandardCharsets.UTF_8).strip());
            }
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot run espeak-ng: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the espeak-ng voice", e);
        }
    }

    private static void keep(Deque<String> lines, String line) {
        synchronized (lines) {
            lines.addLast(line);
            while (lines.size() > KEPT_STDERR_LINES) {
                lines.removeFirst();
            }
        }
    }
}
