package tv.latent.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import tv.latent.generate.Speaker;
import tv.latent.generate.StageContext;
import tv.latent.generate.StageOutput;
import tv.latent.generate.voice.EspeakSpeaker;
import tv.latent.media.Ffmpeg;
import tv.latent.media.HouseFormat;
import tv.latent.media.Mastering;
import tv.latent.testing.TestMedia;

/**
 * What a narrator costs, in one run: the speak stage's time per line with the embedded engine
 * (espeak-ng) against espeak-ng alone writing the same line, and the CPU of a narrated master
 * (voice mixed over ducked music) against the plain master of the same clip, in the house format,
 * rounds interleaved so the machine's load falls on both alike.
 *
 * <pre>{@code bench/narration.sh [rounds]}</pre>
 */
public final class NarrationBench {
    private static final List<String> LINES = List.of(
            "Meet the red fox.",
            "Here, by a misty river, lives the red fox.",
            "The light is going, and the fox knows it.",
            "Nothing moves in the reeds but the wind.",
            "A heron waits at the water's edge.",
            "Dusk settles over the valley.");
    private static final int FRAMES = 64; // 2.667 s aired

    private NarrationBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        Path dir = Files.createTempDirectory("latenttv-narration-bench-");
        Ffmpeg ffmpeg = TestMedia.ffmpeg();
        Path espeak = EspeakSpeaker.find().orElseThrow();

        // the speak stage against espeak-ng alone, line by line, interleaved
        double stageWall = 0, stageCpu = 0, engineWall = 0, engineCpu = 0, spoken = 0;
        int said = 0;
        try (Speaker speaker = EspeakSpeaker.locate(ffmpeg, null, 160, 50, Duration.ofSeconds(30))) {
            for (int round = 0; round < rounds; round++) {
                for (String line : LINES) {
                    double cpu0 = PipelineBench.cpuSeconds();
                    long t0 = System.nanoTime();
                    Process p = new ProcessBuilder(
                                    espeak.toString(),
                                    "-v",
                                    "en-us",
                                    "-s",
                                    "160",
                                    "-w",
                                    dir.resolve("alone.wav").toString(),
                                    line)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
                    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                        throw new IllegalStateException("espeak-ng failed on " + line);
                    }
                    engineWall += (System.nanoTime() - t0) / 1e9;
                    engineCpu += PipelineBench.cpuSeconds() - cpu0;

                    cpu0 = PipelineBench.cpuSeconds();
                    t0 = System.nanoTime();
                    StageOutput out = speaker.speak(
                            new Speaker.SpeakRequest(line, "en", 48000, round),
                            new StageContext(Files.createTempDirectory(dir, "speak-"), StageContext.ProgressSink.NONE));
                    stageWall += (System.nanoTime() - t0) / 1e9;
                    stageCpu += PipelineBench.cpuSeconds() - cpu0;
                    spoken += Double.parseDouble(out.params().get("seconds"));
                    said++;
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "speak (espeak-ng, %d lines): stage %.3f s wall, %.3f CPU-s per line; espeak-ng alone %.3f s wall, %.3f"
                        + " CPU-s; stage/alone wall %.2f; line %.2f s spoken; stage wall per spoken s %.3f%n",
                said,
                stageWall / said,
                stageCpu / said,
                engineWall / said,
                engineCpu / said,
                stageWall / engineWall,
                spoken / said,
                stageWall / spoken);

        // the narrated master against the plain one
        HouseFormat format = HouseFormat.DEFAULT;
        Mastering mastering = new Mastering(ffmpeg);
        Path video = TestMedia.pattern(dir.resolve("render.mp4"), 576, 320, 24, 8, TestMedia.QUICK_H264);
        Path music = TestMedia.tone(dir.resolve("music.wav"), 220, 48000, 3.5, "-ac", "2");
        StageOutput voice;
        try (Speaker speaker = EspeakSpeaker.locate(ffmpeg, null, 160, 50, Duration.ofSeconds(30))) {
            voice = speaker.speak(
                    new Speaker.SpeakRequest(LINES.getFirst(), "en", 48000, 1),
                    new StageContext(Files.createTempDirectory(dir, "voice-"), StageContext.ProgressSink.NONE));
        }
        double voiceSeconds = Double.parseDouble(voice.params().get("seconds"));
        double voiceLufs = mastering.measureLoudness(voice.file());
        double musicLufs = mastering.measureLoudness(music);
        double plainCpu = 0, narratedCpu = 0, plainWall = 0, narratedWall = 0;
        for (int round = 0; round < rounds; round++) {
            for (boolean narrated : new boolean[] {round % 2 == 0, round % 2 != 0}) {
                Mastering.Source source = new Mastering.Source(
                        video,
                        "",
                        music,
                        musicLufs,
                        narrated ? new Mastering.Voice(voice.file(), voiceLufs, 0.15, 1, 12, voiceSeconds) : null);
                double cpu0 = PipelineBench.cpuSeconds();
                long t0 = System.nanoTime();
                mastering.master(
                        source,
                        format,
                        FRAMES,
                        Files.createTempDirectory(dir, narrated ? "narrated-" : "plain-"),
                        "bench",
                        "bench",
                        p -> {});
                double wall = (System.nanoTime() - t0) / 1e9;
                double cpu = PipelineBench.cpuSeconds() - cpu0;
                if (narrated) {
                    narratedCpu += cpu;
                    narratedWall += wall;
                } else {
                    plainCpu += cpu;
                    plainWall += wall;
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "master (%dx%d, %d frames, %d rounds): plain %.2f CPU-s %.2f s wall per clip; narrated %.2f CPU-s %.2f s"
                        + " wall; extra CPU per clip %.2f s (x%.2f)%n",
                format.width(),
                format.height(),
                FRAMES,
                rounds,
                plainCpu / rounds,
                plainWall / rounds,
                narratedCpu / rounds,
                narratedWall / rounds,
                (narratedCpu - plainCpu) / rounds,
                narratedCpu / plainCpu);
    }
}
