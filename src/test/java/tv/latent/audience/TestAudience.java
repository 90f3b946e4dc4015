package tv.latent.audience;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.config.StudioConfig;
import tv.latent.director.Director;
import tv.latent.director.TemplateDirector;
import tv.latent.moderation.AuditTrail;
import tv.latent.moderation.ModeratedDirector;
import tv.latent.moderation.Moderator;
import tv.latent.playout.AirableClip;
import tv.latent.playout.ClipCatalog;
import tv.latent.playout.Playout;
import tv.latent.playout.PlayoutChannel;
import tv.latent.station.Station;

/**
 * Test vocabulary for the audience gate: an opened station (database, library, pipeline not
 * started), playout not started, an {@link Audience} whose channel threads do not run (what
 * suggestions and votes do is seen in the database), a clock the test moves, and the audit trail
 * as a list.
 */
final class TestAudience implements AutoCloseable {
    static final String CHANNEL = "tv";

    /** One audit entry. */
    record Entry(String actor, String action, String subject, String detail) {}

    /** A wall clock the test moves; the rate limits follow it. */
    static final class SteppingClock implements InstantSource {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T20:00:00Z"));

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }
    }

    final LatentConfig config;
    final Station station;
    final Playout playout;
    final Moderator moderator;
    final Audience audience;
    final SteppingClock clock = new SteppingClock();
    final List<Entry> audit = new CopyOnWriteArrayList<>();

    /**
     * @param audienceYaml the {@code audience} section's keys, e.g. {@code "perIp: 3"}
     * @param policy the channel's policy key
     */
    TestAudience(Path dir, String audienceYaml, String policy, Moderator moderator) throws Exception {
        config = ConfigLoader.parse(
                """
                dataDir: data
                audience: {%s}
                channels:
                  - id: tv
                    title: Test Channel
                    theme: a red fox by a misty river
                    policy: %s
                    format: {width: 256, height: 144, videoKbps: 300, audioKbps: 64}
                """
                        .formatted(audienceYaml, policy),
                dir.resolve("latenttv.yaml"),
                name -> null);
        station = Station.open(config);
        this.moderator = moderator;
        ClipCatalog nothing = new ClipCatalog() {
            @Override
            public List<AirableClip> arrivedAfter(String channelId, long afterSeq, int limit) {
                return List.of();
            }

            @Override
            public Optional<AirableClip> find(String clipId) {
                return Optional.empty();
            }
        };
        playout = new Playout(
                station.jobs().database(),
                nothing,
                station.ffmpeg(),
                config.dataDir(),
                List.of(PlayoutChannel.of(
                        CHANNEL, "Test Channel", config.channels().getFirst().format())),
                clock);
        AuditTrail trail = (actor, action, subject, detail) -> audit.add(new Entry(actor, action, subject, detail));
        audience = new Audience(
                station.jobs().database(),
                station.pipeline(),
                playout,
                station.library(),
                moderator,
                trail,
                config.studio().audience(),
                clock);
        var channel = config.channels().getFirst();
        audience.addChannel(new Audience.Channel(
                CHANNEL,
                new Director.ChannelBrief(
                        CHANNEL, channel.title(), channel.theme(), channel.style(), channel.musicMood()),
                channel.studio().policy(),
                channel.studio().suggestions(),
                new ModeratedDirector(new TemplateDirector(), moderator, trail, CHANNEL)));
    }

    /** A distinct idea per number (different enough that none is refused as a near duplicate of another). */
    static String distinct(int n) {
        String[] w = {"fox", "heron", "otter", "whale", "lynx", "crane", "bison", "moth", "eel", "wren"};
        return w[n % 10] + " and " + w[(n / 10) % 10] + " with " + w[(n / 100) % 10] + " number " + n;
    }

    StudioConfig.Audience limits() {
        return config.studio().audience();
    }

    Reply suggest(String viewer, String ip, String name, String text) throws Exception {
        return audience.suggest(CHANNEL, viewer, ip, name, text);
    }

    /** Every suggestion stored for the channel, in any state. */
    List<Suggestion> stored() throws Exception {
        return new SuggestionStore(station.jobs().database()).recent(CHANNEL, Instant.EPOCH, 100_000);
    }

    @Override
    public void close() {
        audience.close();
        playout.close();
        moderator.close();
        station.close();
    }
}
