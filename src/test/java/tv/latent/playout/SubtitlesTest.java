package tv.latent.playout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.library.Database;
import tv.latent.media.Captions;
import tv.latent.media.HouseClips;
import tv.latent.media.TsPackets;
import tv.latent.testing.TestMedia;

/**
 * The captions rendition of a narrated channel: a master playlist offering it beside the one
 * variant, a subtitles playlist in step with the live one, and WebVTT segments whose
 * X-TIMESTAMP-MAP is the re-stamped time of their video segment, across clip joins.
 */
class SubtitlesTest {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final String CH = "told";
    static final Pattern MAP = Pattern.compile("X-TIMESTAMP-MAP=MPEGTS:(\\d+),LOCAL:00:00:00\\.000");

    @TempDir
    Path dir;

    Database db;
    MemoryCatalog catalog;
    FakeClock clock;
    Playout playout;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(dir.resolve("latenttv.db"));
        catalog = new MemoryCatalog(dir.resolve("clips"));
        clock = new FakeClock(T0);
    }

    @AfterEach
    void close() {
        if (playout != null) {
            playout.close();
        }
        db.close();
    }

    /** Three narrated clips of 128 frames (three segments: 2 s, 2 s, 1.33 s), their line spanning two segments. */
    private void start(String captionsLanguage) throws Exception {
        for (int i = 0; i < 3; i++) {
            AirableClip clip = catalog.add(CH, "clip" + i, 128, T0.minusSeconds(30 - i));
            Files.writeString(
                    clip.master().resolveSibling(Captions.FILE),
                    Captions.webVtt(List.of(new Captions.Cue(0.15, 3.0, "Line " + i + ": <b>fox</b> & bear"))));
        }
        playout = new Playout(
                db,
                catalog,
                HouseClips.ffmpeg(),
                dir.resolve("data"),
                List.of(new PlayoutChannel(CH, "Told", HouseClips.FORMAT, List.of(), 60, false, captionsLanguage)),
                clock);
        playout.start();
    }

    private String text(String name) throws Exception {
        HlsResponse response = playout.segment(CH, name);
        assertThat(response).as(name).isInstanceOf(HlsResponse.Found.class);
        return new String(((HlsResponse.Found) response).body(), StandardCharsets.UTF_8);
    }

    @Test
    void theMasterPlaylistOffersTheVariantWithItsCodecsAndTheCaptionsOnByDefault() throws Exception {
        start("en");

        String master = text("master.m3u8");
        assertThat(master)
                .contains("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English (narration)\",LANGUAGE=\"en\","
                        + "DEFAULT=YES,AUTOSELECT=YES,FORCED=NO,URI=\"subs.m3u8\"")
                .contains("RESOLUTION=256x144", "SUBTITLES=\"subs\"")
                .endsWith("\nlive.m3u8\n");
        // the level the master playlist announces is the one x264 writes with the house encoder's settings
        List<String> encode = new java.util.ArrayList<>(List.of(
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=256x144:rate=24:duration=2",
                "-f",
                "lavfi",
                "-i",
                "sine=duration=2"));
        encode.addAll(HouseClips.FORMAT.encoderArguments());
        encode.add(dir.resolve("house.mp4").toString());
        HouseClips.ffmpeg().run(encode, Duration.ofMinutes(1), null, null);
        String level = TestMedia.packets(dir.resolve("house.mp4").toString(), "stream=level", "-select_streams", "v:0")
                .replaceAll("\\D", "");
        assertThat(master)
                .contains("CODECS=\"" + String.format("avc1.6400%02x", Integer.parseInt(level)) + ",mp4a.40.2\"");
    }

    @Test
    void theSubtitlesPlaylistMovesInStepWithTheLiveOne() throws Exception {
        start("en");
        for (int step = 0; step < 12; step++) {
            clock.advance(Duration.ofMillis(1700));
            LivePlaylist live = LivePlaylist.parse(playout.playlist(CH));
            LivePlaylist subs = LivePlaylist.parse(text("subs.m3u8"));

            assertThat(subs.mediaSequence()).isEqualTo(live.mediaSequence());
            assertThat(subs.discontinuitySequence()).isEqualTo(live.discontinuitySequence());
            assertThat(subs.targetDuration()).isEqualTo(live.targetDuration());
            assertThat(subs.entries()).hasSameSizeAs(live.entries());
            for (int i = 0; i < live.entries().size(); i++) {
                LivePlaylist.Entry video = live.entries().get(i);
                LivePlaylist.Entry captions = subs.entries().get(i);
                assertThat(captions.name()).isEqualTo(video.sequence() + ".vtt");
                assertThat(captions.seconds()).isEqualTo(video.seconds());
                assertThat(captions.discontinuity()).isEqualTo(video.discontinuity());
                assertThat(captions.programDateTime()).isEqualTo(video.programDateTime());
            }
        }
    }

    @Test
    void eachCaptionsSegmentIsMappedToItsReStampedVideoSegmentAcrossJoins() throws Exception {
        start("en");
        LivePlaylist live = null;
        for (int step = 0; step < 34; step++) { // 17 s: three clips and more, several joins
            clock.advance(Duration.ofMillis(500));
            live = LivePlaylist.parse(playout.playlist(CH));
        }
        long first = live.entries().getFirst().sequence();
        int checked = 0;
        for (long sequence = Math.max(0, first - 6); sequence <= live.last().sequence(); sequence++) {
            byte[] ts = ((HlsResponse.Found) playout.segment(CH, sequence + ".ts")).body();
            String vtt = text(sequence + ".vtt");
            Matcher map = MAP.matcher(vtt);
            assertThat(map.find()).as(vtt).isTrue();
            assertThat(Long.parseLong(map.group(1)))
                    .as("MPEGTS of segment %d", sequence)
                    .isEqualTo(TsPackets.summarise(ts).firstVideoPts());
            List<Captions.Cue> cues = Captions.parse(vtt);
            switch ((int) (sequence % 3)) {
                case 0 ->
                    assertThat(cues).singleElement().satisfies(cue -> {
                        assertThat(cue.start()).isEqualTo(0.15);
                        assertThat(cue.end()).isEqualTo(2.0);
                    });
                case 1 ->
                    assertThat(cues).singleElement().satisfies(cue -> {
                        assertThat(cue.start()).isEqualTo(0.0);
                        assertThat(cue.end()).isEqualTo(1.0);
                    });
                default -> assertThat(cues).isEmpty();
            }
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(8);
    }

    @Test
    void aLineIsCaptionedAsTextNeverAsMarkup() throws Exception {
        start("en");
        clock.advance(Duration.ofMillis(500));

        String vtt = text("0.vtt");
        assertThat(vtt).contains("&lt;b&gt;fox&lt;/b&gt; &amp; bear").doesNotContain("<b>");
    }

    @Test
    void aChannelWithoutCaptionsOffersNone() throws Exception {
        start("");
        clock.advance(Duration.ofMillis(500));

        assertThat(text("master.m3u8"))
                .doesNotContain("EXT-X-MEDIA", "SUBTITLES")
                .contains("live.m3u8");
        assertThat(playout.segment(CH, "subs.m3u8")).isInstanceOf(HlsResponse.NotFound.class);
        assertThat(playout.segment(CH, "0.vtt")).isInstanceOf(HlsResponse.NotFound.class);
    }

    @Test
    void aCaptionsSegmentIsServedOnlyOnceItsVideoIsLive() throws Exception {
        start("en");
        clock.advance(Duration.ofMillis(500));

        assertThat(playout.segment(CH, "0.vtt")).isInstanceOf(HlsResponse.Found.class);
        assertThat(playout.segment(CH, "2.vtt")).isInstanceOf(HlsResponse.NotFound.class);
    }
}
