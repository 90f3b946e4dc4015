package tv.latent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.backend.speech.FakeSpeechServer;
import tv.latent.backend.speech.FakeSpeechServer.Fault;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.director.Director;
import tv.latent.director.NarrationLines;
import tv.latent.director.ShotPlan;
import tv.latent.library.Clip;
import tv.latent.media.Captions;
import tv.latent.testing.SlowTest;
import tv.latent.testing.TestVoices;

/**
 * Narrated shots through the whole pipeline: spoken by the channel's speak chain (a fake
 * OpenAI-compatible server, then espeak-ng), mixed into the master, captioned beside it, kept in
 * the provenance; a server that speaks badly falls back, and when no voice can speak the job
 * fails and nothing enters the library.
 */
@SlowTest
class NarratedJobTest {
    @TempDir
    Path dir;

    private FakeSpeechServer tts;

    @BeforeEach
    void startServer() throws Exception {
        tts = FakeSpeechServer.start();
    }

    @AfterEach
    void stopServer() {
        tts.close();
    }

    private LatentConfig config(String speakChain) {
        String yaml =
                """
        dataDir: data
        pipeline: {maxConcurrentJobs: 1, maxAttempts: 2, retryBackoffMillis: 50}
        backends:
          kokoro: {type: openai-speech, url: '%s', model: kokoro, voice: af_sky, timeoutSeconds: 20, retries: 0}
        channels:
          - id: told
            theme: wildlife at golden hour
            format: {width: 256, height: 144}
            model: {width: 128, height: 72, frames: 24, fps: 8}
            narration: {mode: shot, persona: documentary, duckingDb: 12}
            stages: {speak: %s}
        """
                        .formatted(tts.openAiBase(), speakChain);
        return ConfigLoader.parse(yaml, dir.resolve("latenttv.yaml"), k -> null);
    }

    private static Director.Direction narrated(String line) {
        return new Director.Direction(
                List.of(new ShotPlan(null, "a red fox at golden hour", "text", 7, "calm ambient piano", "s1", line)),
                "test",
                "");
    }

    @Test
    void aNarratedShotIsSpokenMixedUnderTheMusicCaptionedAndKeptInTheProvenance() throws Exception {
        try (var wired = new TestChannels.Wired(config("[kokoro, espeak]"))) {
            ShotJob job = wired.runToEnd(narrated("Meet the red fox."));

            assertThat(job.state()).as(job.lastError()).isEqualTo(JobState.MASTERED);
            assertThat(job.order()).containsSubsequence(JobState.SCORE, JobState.SPEAK, JobState.MASTER);
            ShotJob.StageRecord speak = job.outputs().get(JobState.SPEAK);
            assertThat(speak.backend()).isEqualTo("kokoro");
            assertThat(speak.params())
                    .containsEntry("text", "Meet the red fox.")
                    .containsKey("measured.lufs");
            assertThat(tts.requests.getLast().path("input").asText()).isEqualTo("Meet the red fox.");

            Clip clip = wired.library.find(job.id()).orElseThrow();
            assertThat(clip.provenance()).contains("\"speak\"").contains("Meet the red fox.");
            List<Captions.Cue> cues = Captions.read(clip.master().resolveSibling(Captions.FILE));
            assertThat(cues).singleElement().satisfies(cue -> {
                assertThat(cue.text()).isEqualTo("Meet the red fox.");
                assertThat(cue.start()).isCloseTo(NarrationFit.LEAD_SECONDS, offset(0.001));
                assertThat(cue.end()).isLessThanOrEqualTo(clip.durationSeconds());
            });
            // the voice is heard where the caption starts
            float[] heard = TestVoices.mono(clip.master(), 8000, "highpass=f=300:p=2", "highpass=f=300:p=2");
            Path reference = Files.write(dir.resolve("said.wav"), TestVoices.espeak("Meet the red fox."));
            float[] said = TestVoices.mono(reference, 8000, "highpass=f=300:p=2", "highpass=f=300:p=2");
            assertThat(TestVoices.offsetOf(said, heard, 8000, 0, 1.5))
                    .isCloseTo(cues.getFirst().start(), offset(0.1));
        }
    }

    @Test
    void aServerThatSpeaksSilenceFallsBackToEspeakWithTheReason() throws Exception {
        tts.fault(Fault.SILENCE);
        try (var wired = new TestChannels.Wired(config("[kokoro, espeak]"))) {
            ShotJob job = wired.runToEnd(narrated("Meet the red fox."));

            assertThat(job.state()).as(job.lastError()).isEqualTo(JobState.MASTERED);
            ShotJob.StageRecord speak = job.outputs().get(JobState.SPEAK);
            assertThat(speak.backend()).isEqualTo("espeak-ng");
            assertThat(speak.fallback()).startsWith("kokoro: ").contains("silence");
        }
    }

    @Test
    void whenNoVoiceCanSpeakTheJobFailsWithTheReasonAndNothingEntersTheLibrary() throws Exception {
        tts.fault(Fault.GARBAGE);
        try (var wired = new TestChannels.Wired(config("[kokoro]"))) {
            ShotJob job = wired.runToEnd(narrated("Meet the red fox."));

            assertThat(job.state()).isEqualTo(JobState.FAILED);
            assertThat(job.lastError()).startsWith("speak failed: kokoro: ").contains("not audio");
            assertThat(wired.library.list("told", 10)).isEmpty();
        }
    }

    @Test
    void aLineTooLongForItsClipIsShortenedAtAWordBoundaryAndCaptionedAsSpoken() throws Exception {
        String written = "Meet the red fox, who has waited all through the long and bitter winter for this single"
                + " bright and golden morning by the quiet river.";
        try (var wired = new TestChannels.Wired(config("[espeak]"))) {
            ShotJob job = wired.runToEnd(narrated(written));

            assertThat(job.state()).as(job.lastError()).isEqualTo(JobState.MASTERED);
            var params = job.outputs().get(JobState.SPEAK).params();
            assertThat(params).containsEntry("written", written);
            String spoken = params.get("text");
            List<String> words = NarrationLines.words(spoken);
            assertThat(words).hasSizeLessThan(NarrationLines.words(written).size());
            assertThat(NarrationLines.words(written).subList(0, words.size() - 1))
                    .isEqualTo(words.subList(0, words.size() - 1));
            Clip clip = wired.library.find(job.id()).orElseThrow();
            assertThat(Captions.read(clip.master().resolveSibling(Captions.FILE))
                            .getFirst()
                            .text())
                    .isEqualTo(spoken);
        }
    }

    @Test
    void aShotTheNarratorIsSilentOverHasNoSpeakStageAndNoCaptions() throws Exception {
        try (var wired = new TestChannels.Wired(config("[espeak]"))) {
            ShotJob job = wired.runToEnd(narrated(""));

            assertThat(job.state()).as(job.lastError()).isEqualTo(JobState.MASTERED);
            assertThat(job.order()).doesNotContain(JobState.SPEAK);
            Clip clip = wired.library.find(job.id()).orElseThrow();
            assertThat(clip.master().resolveSibling(Captions.FILE)).doesNotExist();
        }
    }

    @Test
    void markupInALineIsCaptionedAsText() throws Exception {
        try (var wired = new TestChannels.Wired(config("[espeak]"))) {
            ShotJob job = wired.runToEnd(narrated("<b>Fox</b> & bear --> river"));

            assertThat(job.state()).as(job.lastError()).isEqualTo(JobState.MASTERED);
            Clip clip = wired.library.find(job.id()).orElseThrow();
            String vtt = Files.readString(clip.master().resolveSibling(Captions.FILE));
            assertThat(vtt)
                    .contains("&lt;b&gt;Fox&lt;/b&gt; &amp; bear --&gt; river")
                    .doesNotContain("<b>");
            assertThat(Captions.read(clip.master().resolveSibling(Captions.FILE))
                            .getFirst()
                            .text())
                    .isEqualTo("<b>Fox</b> & bear --> river");
        }
    }
}
