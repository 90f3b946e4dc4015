package tv.latent.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import tv.latent.media.Ffmpeg;
import tv.latent.media.FfmpegException;
import tv.latent.media.Mastering;
import tv.latent.media.MediaInfo;

/**
 * What every {@link Speaker} shares: the check of the line before any work, and the acceptance of
 * what an engine or a server made as a voice. Acceptance reads the raw file within {@link
 * tv.latent.media.ProbeLimits#UNTRUSTED} before decoding it, refuses what is not audio, audio at a
 * rate voices are not made at (or at another rate than the backend was set to receive), longer
 * than {@value #MAX_SECONDS} s, silent, or far too long or short for its text, and writes the
 * voice as a mono 16-bit WAV at the asked rate with leading and trailing silence trimmed, under a
 * temporary name moved into place (a failed acceptance leaves no file).
 *
 * <pre>{@code
 * SpeechAudio.checkText(request.text());
 * ... the engine writes raw ...
 * SpeechAudio.Accepted voice = SpeechAudio.accept(ffmpeg, raw, target, request, "espeak-ng", 0, false);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class SpeechAudio {
    /** The longest line spoken, in characters (a clip lasts seconds; OpenAI's own limit is 4096). */
    public static final int MAX_TEXT_CHARS = 1000;
    /** The longest voice accepted. */
    public static final double MAX_SECONDS = 60;
    /** Below this a voice is a telephone's, not a broadcast's. */
    public static final int MIN_SAMPLE_RATE = 16_000;

    public static final int MAX_SAMPLE_RATE = 48_000;
    /** Quieter than this (integrated, EBU R128) is silence with noise in it. */
    static final double SILENCE_LUFS = -50;
    /** Sound below this level at the ends is trimmed. */
    private static final String TRIM_THRESHOLD = "-50dB";
    /** A voice shorter than this after trimming says nothing. */
    private static final double MIN_SPOKEN_SECONDS = 0.15;
    /** The fastest and slowest speech believed, in letters per second, with slack for the pauses. */
    private static final double MAX_LETTERS_PER_SECOND = 40;

    private static final double MIN_LETTERS_PER_SECOND = 4;
    private static final double PAUSE_SLACK_SECONDS = 1.5;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private SpeechAudio() {}

    /**
     * Fails, not retryably, for a line there is nothing to say in (no letter or digit) or one
     * longer than {@value #MAX_TEXT_CHARS} characters.
     */
    public static void checkText(String text) throws StageException {
        String t = text == null ? "" : text.strip();
        if (t.codePoints().noneMatch(Character::isLetterOrDigit)) {
            throw new StageException("the line is empty: nothing to speak", false);
        }
        if (t.length() > MAX_TEXT_CHARS) {
            throw new StageException(
                    "the line is " + t.length() + " characters long; at most " + MAX_TEXT_CHARS + " are spoken", false);
        }
    }

    /**
     * What was accepted: the voice's length once trimmed, and the raw audio's rate and length.
     */
    public record Accepted(double seconds, int sourceRate, double sourceSeconds) {}

    /**
     * Accepts {@code raw} (what an engine or server made) as the voice for {@code request} and
     * writes it to {@code target}; see the class comment.
     *
     * @param who names the maker in failures ("kokoro", "espeak-ng")
     * @param expectedRate the rate the backend is set to receive, or 0 for any rate from {@value
     *     #MIN_SAMPLE_RATE} to {@value #MAX_SAMPLE_RATE} Hz
     * @param retryable whether a refusal may go away when asked again (a server's answer: yes; an
     *     embedded engine's: no)
     */
    public static Accepted accept(
            Ffmpeg ffmpeg,
            Path raw,
            Path target,
            Speaker.SpeakRequest request,
            String who,
            int expectedRate,
            boolean retryable)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(raw) || Files.size(raw) == 0) {
            throw new StageException(who + " made no audio (an empty answer)", retryable);
        }
        MediaInfo info;
        try {
            info = ffmpeg.probeUntrusted(raw);
        } catch (FfmpegException e) {
            throw new StageException(who + " sent something that is not audio: " + e.getMessage(), retryable, e);
        }
        MediaInfo.Audio audio = info.audio()
                .orElseThrow(() -> new StageException(
                        who + " sent a file without an audio stream"
                                + (info.video().isPresent() ? " (video only)" : ""),
                        retryable));
        if (expectedRate > 0 && audio.sampleRate() != expectedRate) {
            throw new StageException(
                    who + " sent audio at " + audio.sampleRate() + " Hz; it is set to answer at " + expectedRate
                            + " Hz (sampleRate)",
                    retryable);
        }
        if (audio.sampleRate() < MIN_SAMPLE_RATE || audio.sampleRate() > MAX_SAMPLE_RATE) {
            throw new StageException(
                    who + " sent audio at " + audio.sampleRate() + " Hz; a voice is accepted at " + MIN_SAMPLE_RATE
                            + " to " + MAX_SAMPLE_RATE + " Hz",
                    retryable);
        }
        if (audio.channels() < 1 || audio.channels() > 2) {
            throw new StageException(who + " sent audio with " + audio.channels() + " channels", retryable);
        }
        double claimed = audio.durationSeconds() > 0 ? audio.durationSeconds() : info.durationSeconds();
        if (claimed > MAX_SECONDS) {
            throw new StageException(
                    String.format(
                            Locale.ROOT,
                            "%s sent %.1f s of audio; a line is at most %.0f s",
                            who,
                            claimed,
                            MAX_SECONDS),
                    retryable);
        }
        Path part = Intermediate.partFor(target);
        try {
            ffmpeg.run(
                    List.of(
                            "-i",
                            raw.toString(),
                            "-vn",
                            "-t",
                            String.format(Locale.ROOT, "%.0f", MAX_SECONDS),
                            "-af",
                            "aformat=sample_fmts=fltp:channel_layouts=mono,aresample=" + request.sampleRate()
                                    + ",silenceremove=start_periods=1:start_threshold=" + TRIM_THRESHOLD
                                    + ":start_silence=0.01,areverse,silenceremove=start_periods=1:start_threshold="
                                    + TRIM_THRESHOLD + ":start_silence=0.05,areverse",
                            "-c:a",
                            "pcm_s16le",
                            "-ar",
                            Integer.toString(request.sampleRate()),
                            "-ac",
                            "1",
                            "-f",
                            "wav",
                            part.toString()),
                    TIMEOUT,
                    null,
                    null);
            double seconds = ffmpeg.probe(part)
                    .audio()
                    .map(MediaInfo.Audio::durationSeconds)
                    .orElse(0.0);
            if (seconds < MIN_SPOKEN_SECONDS) {
                throw new StageException(who + " sent silence (nothing above " + TRIM_THRESHOLD + "FS)", retryable);
            }
            double lufs = new Mastering(ffmpeg).measureLoudness(part);
            if (Double.isNaN(lufs) || lufs < SILENCE_LUFS) {
                throw new StageException(
                        who + " sent (near) silence: "
                                + (Double.isNaN(lufs)
                                        ? "no measurable loudness"
                                        : String.format(Locale.ROOT, "%.1f LUFS", lufs)),
                        retryable);
            }
            checkLength(request.text(), seconds, who, retryable);
            Intermediate.publish(part, target);
            return new Accepted(seconds, audio.sampleRate(), claimed);
        } catch (FfmpegException e) {
            throw new StageException(who + "'s audio could not be decoded: " + e.getMessage(), retryable, e);
        } finally {
            Intermediate.discard(part);
        }
    }

    /** A voice far longer or shorter than its text takes to say is not that text spoken. */
    private static void checkLength(String text, double seconds, String who, boolean retryable) throws StageException {
        long letters = text.codePoints().filter(Character::isLetterOrDigit).count();
        double shortest = letters / MAX_LETTERS_PER_SECOND;
        double longest = letters / MIN_LETTERS_PER_SECOND + PAUSE_SLACK_SECONDS;
        if (seconds < shortest || seconds > longest) {
            throw new StageException(
                    String.format(
                            Locale.ROOT,
                            "%s sent %.2f s of voice for %d letters; speech of that line lasts %.2f to %.2f s",
                            who,
                            seconds,
                            letters,
                            shortest,
                            longest),
                    retryable);
        }
    }
}
