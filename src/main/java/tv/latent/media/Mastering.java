package tv.latent.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The master stage: one encode of a clip's video and music into the channel's house format,
 * loudness normalised, audio and video of exactly the same length, with a thumbnail; then the
 * result is probed and rejected unless it is exactly the house format.
 *
 * <pre>{@code
 * Mastered m = new Mastering(ffmpeg).master(video, music, HouseFormat.DEFAULT, 64, dir, "A red fox", p -> {});
 * }</pre>
 *
 * <p>Thread-safe; concurrency is bounded by the {@link Ffmpeg} instance.
 */
public final class Mastering {
    private static final Pattern INTEGRATED = Pattern.compile("I:\\s+(-?[0-9.]+|-inf)\\s+LUFS");
    private static final double MAX_GAIN_DB = 30;
    private static final int THUMBNAIL_WIDTH = 384;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Ffmpeg ffmpeg;

    public Mastering(Ffmpeg ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /** A mastered clip: its files (in the directory given to {@link #master}) and what was measured. */
    public record Mastered(Path video, Path thumbnail, MediaInfo info, int frames, double loudnessLufs) {}

    /**
     * Masters {@code video} + {@code audio} into {@code outDir}/master.mp4 and thumb.jpg.
     *
     * @param frames the exact length in frames, a multiple of {@link HouseFormat#joinUnitFrames()}
     * @param progress receives 0..1
     * @throws MasterRejectedException when the result is not exactly the house format
     */
    public Mastered master(
            Path video, Path audio, HouseFormat format, int frames, Path outDir, String title, DoubleConsumer progress)
            throws IOException, InterruptedException {
        return master(video, audio, format, frames, outDir, title, "LatentTV clip", progress);
    }

    /** As {@link #master(Path, Path, HouseFormat, int, Path, String, DoubleConsumer)}, with the file's comment tag (provenance for players). */
    public Mastered master(
            Path video,
            Path audio,
            HouseFormat format,
            int frames,
            Path outDir,
            String title,
            String comment,
            DoubleConsumer progress)
            throws IOException, InterruptedException {
        return master(Source.of(video, audio), format, frames, outDir, title, comment, progress);
    }

    /**
     * What a master is made from: a video, the filters to run on it first (the stages fused into
     * the master's run; empty for none), the music and its loudness when it was already measured.
     *
     * @param videoFilters an ffmpeg filter chain for the video, or empty
     * @param audioLoudnessLufs the music's integrated loudness, or NaN to measure it here
     */
    public record Source(Path video, String videoFilters, Path audio, double audioLoudnessLufs, Voice voice) {
        public Source {
            videoFilters = videoFilters == null ? "" : videoFilters.strip();
        }

        /** A source without a narrator's voice. */
        public Source(Path video, String videoFilters, Path audio, double audioLoudnessLufs) {
            this(video, videoFilters, audio, audioLoudnessLufs, null);
        }

        /** A video and its music, nothing fused, loudness measured when mastering. */
        public static Source of(Path video, Path audio) {
            return new Source(video, "", audio, Double.NaN);
        }
    }

    /**
     * A narrator's voice to mix over the music: a mono file that starts with the voice, its
     * integrated loudness, where it starts in the clip, how much faster it is played (ffmpeg
     * {@code atempo}, 1 for as spoken), how many dB the music dips under it (sidechain compression
     * keyed by the voice; 0 leaves the music level), and how long it lasts once played.
     */
    public record Voice(
            Path file, double loudnessLufs, double delaySeconds, double tempo, double duckingDb, double spokenSeconds) {
        public Voice {
            if (!(tempo >= 0.5 && tempo <= 2) || !(delaySeconds >= 0) || !(duckingDb >= 0 && duckingDb <= 50)) {
                throw new IllegalArgumentException("voice tempo must be 0.5..2, delay 0 or more, ducking 0..50 dB; got "
                        + tempo + ", " + delaySeconds + ", " + duckingDb);
            }
        }
    }

    /**
     * Masters {@code source} into {@code outDir}/master.mp4 and thumb.jpg in one ffmpeg run: the
     * source's own filters, the house format's size, rate and length, the thumbnail, the music's
     * gain, limiter and fades, and the loudness measurement of what is encoded.
     *
     * @param frames the exact length in frames, a multiple of {@link HouseFormat#joinUnitFrames()}
     * @param progress receives 0..1
     * @throws MasterRejectedException when the result is not exactly the house format
     */
    public Mastered master(
            Source source,
            HouseFormat format,
            int frames,
            Path outDir,
            String title,
            String comment,
            DoubleConsumer progress)
            throws IOException, InterruptedException {
        if (frames <= 0 || frames % format.joinUnitFrames() != 0) {
            throw new IllegalArgumentException(
                    "frames must be a positive multiple of " + format.joinUnitFrames() + ", got " + frames);
        }
        Files.createDirectories(outDir);
        double sourceLoudness =
                Double.isNaN(source.audioLoudnessLufs()) ? measureLoudness(source.audio()) : source.audioLoudnessLufs();
        double gainDb =
                Double.isNaN(sourceLoudness) ? 0 : Math.min(MAX_GAIN_DB, format.loudnessLufs() - sourceLoudness);
        Path master = outDir.resolve("master.mp4");
        Path thumbnail = outDir.resolve("thumb.jpg");
        // the loudness of what is encoded, written by the same run; read and dropped before the caller sees outDir
        Path loudnessLog = outDir.resolve(".loudness.txt");
        double seconds = format.secondsFor(frames);
        long samples = format.samplesFor(frames);
        int gop = format.gopFrames();
        String fadeOutStart = String.format(Locale.ROOT, "%.4f", Math.max(0, seconds - 0.012));
        String fades = ",afade=t=in:d=0.012,afade=t=out:st=" + fadeOutStart + ":d=0.012,asplit[a][m]";
        List<String> graph = new ArrayList<>(List.of(
                "[0:v]" + (source.videoFilters().isEmpty() ? "" : source.videoFilters() + ",") + "scale="
                        + format.width() + ":" + format.height() + ":flags=lanczos,setsar=1,fps=" + format.fps()
                        + ",tpad=stop_mode=clone:stop=" + frames + ",trim=end_frame=" + frames
                        + ",setpts=PTS-STARTPTS,format=yuv420p,split[v][t]",
                "[t]select=eq(n\\," + frames / 2 + "),scale=" + THUMBNAIL_WIDTH + ":-2[th]"));
        if (source.voice() == null) {
            graph.add("[1:a]aformat=sample_fmts=fltp:channel_layouts=stereo,aresample=" + format.audioRate()
                    + String.format(Locale.ROOT, ",volume=%.2fdB,alimiter=limit=0.89:level=false", gainDb)
                    + ",apad,atrim=end_sample=" + samples + ",asetpts=PTS-STARTPTS" + fades);
        } else {
            graph.addAll(narrated(source.voice(), format, gainDb, samples, seconds, fades));
        }
        graph.add("[m]ebur128=metadata=1,ametadata=mode=print:key=lavfi.r128.I:file=" + filterPath(loudnessLog)
                + ",anullsink");
        String filter = String.join(";", graph);
        List<String> args = new ArrayList<>(
                List.of("-i", source.video().toString(), "-i", source.audio().toString()));
        if (source.voice() != null) {
            args.addAll(List.of("-i", source.voice().file().toString()));
        }
        args.addAll(List.of("-filter_complex", filter, "-map", "[v]", "-map", "[a]"));
        args.addAll(format.encoderArguments());
        args.addAll(List.of(
                "-metadata",
                "title=" + title,
                "-metadata",
                "comment=" + comment,
                "-movflags",
                "+faststart",
                master.toString(),
                "-map",
                "[th]",
                "-frames:v",
                "1",
                "-q:v",
                "4",
                thumbnail.toString()));
        double loudness;
        try {
            ffmpeg.run(args, Duration.ofMinutes(10), null, done -> progress.accept(Math.min(1, done / seconds)));
            loudness = Files.exists(loudnessLog) ? lastIntegrated(Files.readString(loudnessLog)) : Double.NaN;
        } finally {
            Files.deleteIfExists(loudnessLog);
        }
        // one ffprobe, no decoding: the streams, and every packet's time and key flag
        String probed = ffmpeg.probeRaw(
                List.of(
                        "-print_format",
                        "json",
                        "-show_format",
                        "-show_streams",
                        "-show_entries",
                        "packet=stream_index,pts,flags",
                        master.toString()),
                Duration.ofSeconds(60));
        MediaInfo info = MediaInfo.parse(probed, master);
        List<String> problems = new ArrayList<>(HouseFormatCheck.problems(info, format, frames));
        problems.addAll(keyframeProblems(probed, gop, frames));
        if (!Files.isRegularFile(thumbnail) || Files.size(thumbnail) == 0) {
            problems.add("no thumbnail was written");
        }
        if (!problems.isEmpty()) {
            throw new MasterRejectedException("the master is not in the house format: " + String.join("; ", problems));
        }
        progress.accept(1);
        return new Mastered(master, thumbnail, info, frames, loudness);
    }

    /**
     * The sidechain's key: the voice raised 40 dB and hard-clipped, so that while anyone speaks it
     * sits at full scale whatever the voice's own level, and the compressor's reduction is the
     * configured dB rather than a function of how loud each syllable is.
     */
    private static final String KEY = "volume=40dB,asoftclip=type=hard";
    /** The compressor's ratio; with the key at full scale the reduction is (0 dBFS - threshold) × (1 - 1/ratio). */
    private static final double DUCK_RATIO = 20;

    /**
     * The audio of a narrated master: the music at its gain, the voice at the house loudness
     * (played {@code tempo} times faster, from its delay, to the clip's exact length), the music
     * ducked under the voice by sidechain compression, the two mixed, trimmed so the whole keeps
     * the loudness target (the voice adds to it for the time it speaks), limited below full scale
     * and faded at the edges.
     */
    private static List<String> narrated(
            Voice voice, HouseFormat format, double musicGainDb, long samples, double seconds, String fades) {
        double voiceGainDb = Double.isNaN(voice.loudnessLufs())
                ? 0
                : Math.min(MAX_GAIN_DB, format.loudnessLufs() - voice.loudnessLufs());
        long delay = Math.round(voice.delaySeconds() * format.audioRate());
        double share = Math.min(1, voice.spokenSeconds() / seconds);
        // the voice at the target and the ducked music under it, for `share` of the clip, add this much
        double trimDb = -10 * Math.log10(1 + share * Math.pow(10, -voice.duckingDb() / 10));
        List<String> graph = new ArrayList<>();
        graph.add("[1:a]aformat=sample_fmts=fltp:channel_layouts=stereo,aresample=" + format.audioRate()
                + String.format(Locale.ROOT, ",volume=%.2fdB", musicGainDb)
                + ",apad,atrim=end_sample=" + samples + ",asetpts=PTS-STARTPTS[music]");
        graph.add("[2:a]aformat=sample_fmts=fltp:channel_layouts=mono,aresample=" + format.audioRate()
                + (voice.tempo() == 1 ? "" : String.format(Locale.ROOT, ",atempo=%.4f", voice.tempo()))
                + String.format(Locale.ROOT, ",volume=%.2fdB", voiceGainDb)
                + ",adelay=delays=" + delay + "S:all=1,apad,atrim=end_sample=" + samples
                + ",asetpts=PTS-STARTPTS,aformat=channel_layouts=stereo"
                + (voice.duckingDb() > 0 ? ",asplit[voice][key]" : "[voice]"));
        String music = "[music]";
        if (voice.duckingDb() > 0) {
            double threshold = Math.pow(10, -voice.duckingDb() / (1 - 1 / DUCK_RATIO) / 20);
            graph.add("[key]" + KEY + "[keyed]");
            graph.add("[music][keyed]sidechaincompress="
                    + String.format(Locale.ROOT, "threshold=%.6f", threshold)
                    + ":ratio=" + (int) DUCK_RATIO
                    + ":attack=10:release=400:knee=1:link=maximum:detection=peak[ducked]");
            music = "[ducked]";
        }
        graph.add(music + "[voice]amix=inputs=2:normalize=0:duration=first"
                + String.format(Locale.ROOT, ",volume=%.2fdB", trimDb)
                + ",alimiter=limit=0.89:level=false" + fades);
        return graph;
    }

    /** The last integrated loudness in ametadata's log ({@code lavfi.r128.I=-16.02}), NaN when silent or absent. */
    static double lastIntegrated(String log) {
        double last = Double.NaN;
        for (String line : log.split("\\R")) {
            if (line.startsWith("lavfi.r128.I=")) {
                String value = line.substring("lavfi.r128.I=".length()).strip();
                try {
                    double lufs = Double.parseDouble(value);
                    last = lufs <= -70 ? Double.NaN : lufs;
                } catch (NumberFormatException e) {
                    last = Double.NaN;
                }
            }
        }
        return last;
    }

    /**
     * A file name as a filter option inside a filter graph: escaped once for the option parser and
     * once more for the graph parser, so any path (colons, commas, quotes) reaches the filter intact.
     */
    static String filterPath(Path file) {
        String option =
                file.toString().replace("\\", "\\\\").replace("'", "\\'").replace(":", "\\:");
        StringBuilder graph = new StringBuilder();
        for (char c : option.toCharArray()) {
            if ("\\',;[]".indexOf(c) >= 0) {
                graph.append('\\');
            }
            graph.append(c);
        }
        return graph.toString();
    }

    /** Integrated loudness (EBU R128) of a file's first audio stream, NaN when it is silent. */
    public double measureLoudness(Path file) throws IOException, InterruptedException {
        // ebur128 prints its summary at info level, after the last frame.
        String stderr = ffmpeg.run(
                List.of(
                        "-loglevel",
                        "info",
                        "-i",
                        file.toString(),
                        "-map",
                        "0:a:0",
                        "-af",
                        "aformat=channel_layouts=stereo,ebur128=framelog=verbose",
                        "-f",
                        "null",
                        "-"),
                Duration.ofMinutes(2),
                null,
                null);
        return parseIntegrated(stderr);
    }

    /** Keyframes exactly on GOP boundaries and one packet per frame, read from ffprobe's packet list. */
    private static List<String> keyframeProblems(String probed, int gop, int frames) throws IOException {
        JsonNode root = JSON.readTree(probed);
        int videoIndex = -1;
        for (JsonNode stream : root.path("streams")) {
            if (stream.path("codec_type").asText().equals("video")
                    && !stream.path("disposition").path("attached_pic").asBoolean(false)) {
                videoIndex = stream.path("index").asInt();
                break;
            }
        }
        List<Long> pts = new ArrayList<>();
        List<Boolean> key = new ArrayList<>();
        for (JsonNode packet : root.path("packets")) {
            if (packet.path("stream_index").asInt() == videoIndex) {
                pts.add(packet.path("pts").asLong());
                key.add(packet.path("flags").asText().contains("K"));
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < pts.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Long.compare(pts.get(a), pts.get(b)));
        List<String> problems = new ArrayList<>();
        for (int n = 0; n < order.size(); n++) {
            boolean expected = n % gop == 0;
            if (key.get(order.get(n)) != expected) {
                problems.add((expected ? "no keyframe at frame " : "unexpected keyframe at frame ") + n + " (GOP " + gop
                        + ")");
                if (problems.size() > 3) {
                    break;
                }
            }
        }
        if (order.size() != frames) {
            problems.add("video has " + order.size() + " packets, expected " + frames);
        }
        return problems;
    }

    static double parseIntegrated(String text) {
        Matcher m = INTEGRATED.matcher(text);
        double last = Double.NaN;
        while (m.find()) {
            last = m.group(1).equals("-inf") ? Double.NaN : Double.parseDouble(m.group(1));
        }
        return last;
    }
}
