package tv.latent.iptv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.library.ClipLibrary;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.media.HouseClips;
import tv.latent.playout.Aired;
import tv.latent.playout.FakeClock;
import tv.latent.playout.MemoryCatalog;
import tv.latent.playout.Playout;
import tv.latent.playout.PlayoutChannel;
import tv.latent.testing.XmltvValidator;

/**
 * The XMLTV guide of a scheduled channel after hours of real playout (a fake clock, real
 * timeline, real cuts): valid for tv_validate_file, seven days ahead, and its past entries say what
 * the timeline aired in them.
 */
class GuideTest {
    private static final Instant START = Instant.parse("2026-03-02T00:00:00Z"); // 01:00 in Paris

    @TempDir
    Path dir;

    record Entry(Instant start, Instant stop, String title, String desc, Set<String> children) {}

    @Test
    void theGuideIsValidCoversAWeekAheadAndSaysWhatAiredInEachPastProgramme() throws Exception {
        LatentConfig config = ConfigLoader.parse(
                """
                dataDir: data
                channels:
                  - id: wild
                    title: Wild Hours
                    theme: wildlife at golden hour
                    format: {width: 256, height: 144, fps: 24, segmentSeconds: 2, audioRate: 48000, videoKbps: 300, audioKbps: 64, loudnessLufs: -16}
                    schedule:
                      timeZone: Europe/Paris
                      slots:
                        - {title: Morning Wild, description: "Animals & birds <wake up>.", start: "06:00", end: "10:00", theme: wildlife at dawn, category: Nature}
                        - {title: Night Shift, start: "22:00", end: "02:00", theme: neon streets in the rain}
                """,
                dir.resolve("latenttv.yaml"),
                k -> null);
        FakeClock clock = new FakeClock(START);
        MemoryCatalog catalog = new MemoryCatalog(dir.resolve("clips"));
        for (int i = 0; i < 4; i++) {
            catalog.add("wild", "clip" + i, 64, START.minusSeconds(60 - i));
        }
        DataLayout layout = new DataLayout(config.dataDir()).prepare();
        String guide;
        List<Aired> aired;
        Instant now;
        try (Database db = Database.open(layout.database());
                Playout playout = new Playout(
                        db,
                        catalog,
                        HouseClips.ffmpeg(),
                        config.dataDir(),
                        List.of(PlayoutChannel.of("wild", "Wild Hours", HouseClips.FORMAT)),
                        clock)) {
            playout.start();
            // seven hours of airing, looked at every 20 minutes (the channel jumps to each look, as after a restart)
            for (int step = 0; step < 21; step++) {
                clock.advance(Duration.ofMinutes(20));
                assertThat(playout.nowPlaying("wild")).isPresent();
            }
            now = clock.instant();
            LivingRoom room = new LivingRoom(config, db, new ClipLibrary(db, layout), clock, true);
            guide = room.xmltv("http://tv.test:8080");
            aired = Playout.aired(db, "wild", 24, now.minus(Duration.ofHours(7)), now);
        }
        Path file = dir.resolve("guide.xml");
        Files.writeString(file, guide);

        XmltvValidator.Verdict verdict = XmltvValidator.validate(file);
        assertThat(verdict.valid()).as(verdict.output()).isTrue();

        List<Entry> entries = entries(guide);
        assertThat(entries.getFirst().start()).isBeforeOrEqualTo(now.minus(Duration.ofHours(6)));
        assertThat(entries.getLast().stop()).isAfterOrEqualTo(now.plus(Duration.ofDays(7)));
        for (int i = 1; i < entries.size(); i++) {
            assertThat(entries.get(i).start()).isEqualTo(entries.get(i - 1).stop());
        }
        assertThat(entries.stream().filter(e -> e.title().equals("Morning Wild")))
                .hasSizeGreaterThanOrEqualTo(7)
                .allSatisfy(e -> assertThat(e.children()).contains("episode-num", "sub-title", "category"));

        int checked = 0;
        for (Entry e : entries) {
            if (!e.start().isBefore(now)) {
                assertThat(e.desc()).doesNotContain("Aired:");
                assertThat(e.children()).contains("new");
                continue;
            }
            Set<String> titles = new LinkedHashSet<>();
            for (Aired a : aired) {
                if (a.clipId().isPresent()
                        && !a.start().isBefore(e.start())
                        && a.start().isBefore(e.stop())) {
                    titles.add(a.title());
                }
            }
            if (titles.isEmpty()) {
                assertThat(e.desc()).doesNotContain("Aired:");
            } else {
                assertThat(e.desc()).endsWith("Aired: " + String.join("; ", titles) + ".");
                assertThat(e.children()).containsAnyOf("new", "previously-shown");
                checked++;
            }
        }
        // four hourly blocks of the own programme (02:00-06:00 in Paris) and Morning Wild, on air now
        assertThat(checked).as("past programmes with airings").isEqualTo(5);
        assertThat(guide).contains("Animals &amp; birds &lt;wake up&gt;.");
    }

    static List<Entry> entries(String guide) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc =
                factory.newDocumentBuilder().parse(new ByteArrayInputStream(guide.getBytes(StandardCharsets.UTF_8)));
        NodeList nodes = doc.getElementsByTagName("programme");
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element p = (Element) nodes.item(i);
            Set<String> children = new LinkedHashSet<>();
            NodeList kids = p.getChildNodes();
            for (int k = 0; k < kids.getLength(); k++) {
                if (kids.item(k) instanceof Element child) {
                    children.add(child.getTagName());
                }
            }
            out.add(new Entry(
                    time(p.getAttribute("start")),
                    time(p.getAttribute("stop")),
                    p.getElementsByTagName("title").item(0).getTextContent(),
                    p.getElementsByTagName("desc").item(0).getTextContent(),
                    children));
        }
        return out;
    }

    static Instant time(String xmltv) {
        return java.time.ZonedDateTime.parse(xmltv, java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss Z"))
                .toInstant();
    }
}
