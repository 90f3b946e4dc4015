package tv.latent.iptv;

import java.io.StringWriter;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamException;
import tv.latent.config.ChannelConfig;
import tv.latent.config.LatentConfig;
import tv.latent.library.ClipLibrary;
import tv.latent.library.Database;
import tv.latent.playout.Aired;
import tv.latent.playout.Playout;
import tv.latent.time.MonotonicClock;

/**
 * The station as living-room clients see it: the M3U playlist, the XMLTV guide, the emulated
 * HDHomeRun tuner's answers, the channels' numbers and the tuner's DeviceID (both kept in the
 * database, so media centers find the same tuner and channels after a restart).
 *
 * <pre>{@code
 * LivingRoom room = new LivingRoom(config, db, library, InstantSource.system(), true);
 * String base = room.baseUrl(request.header("Host"), "http://127.0.0.1:8080");
 * String playlist = room.m3u(base);        // GET /iptv/channels.m3u
 * String guide = room.xmltv(base);         // GET /iptv/xmltv.xml: 6 hours back, 7 days ahead
 * Map<String, Object> d = room.discover(base);   // GET /discover.json
 * }</pre>
 *
 * <p>The guide is built from the schedules and the stored airings at most once every
 * {@link #GUIDE_FRESH} (media centers fetch it hourly; a client asking in a loop costs one build
 * per period, or at once when the channels changed), then written for each base URL. The channels
 * are the station's live lineup: one added in the console is in the playlist, guide and tuner
 * lineup on the next request. Thread-safe.
 */
public final class LivingRoom {
    /** How long a built guide is served before it is built again. */
    static final Duration GUIDE_FRESH = Duration.ofSeconds(30);

    /** A Host header fit to be written into URLs: a name or address and a port, nothing else. */
    private static final Pattern HOST =
            Pattern.compile("([A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}\\])(:[0-9]{1,5})?");

    private final Supplier<List<ChannelConfig>> channels;
    private final LivingRoomStore store;
    private final LatentConfig.Iptv settings;
    private final Database db;
    private final ClipLibrary library;
    private final InstantSource wall;
    private final MonotonicClock monotonic = MonotonicClock.system();
    private final boolean generating;
    private final String deviceId;
    private volatile Tuned tuned;
    private volatile Built built;

    /** The channels as last read, and their numbers; numbered again only when the channels change. */
    private record Tuned(List<ChannelConfig> configs, List<TunedChannel> lineup) {}

    /** A built guide: each channel's entries and the newest clip with a picture, and when it was built. */
    private record Built(
            long nanos, Tuned tuned, Map<String, List<Programme>> programmes, Map<String, String> pictures) {
        List<TunedChannel> lineup() {
            return tuned.lineup();
        }
    }

    /**
     * A living room of the channels the configuration declares, and no others.
     *
     * @param generating whether the station makes new clips (the guide then calls what is to come new)
     */
    public LivingRoom(LatentConfig config, Database db, ClipLibrary library, InstantSource wall, boolean generating)
            throws SQLException {
        this(config, config::channels, db, library, wall, generating);
    }

    /**
     * Reads (or gives, the first time) the tuner's DeviceID and the channels' numbers.
     *
     * @param channels the channels on air now, read on each request: a channel added while the station
     *     runs gets the smallest number no channel ever had, and keeps it
     * @param generating whether the station makes new clips (the guide then calls what is to come new)
     */
    public LivingRoom(
            LatentConfig config,
            Supplier<List<ChannelConfig>> channels,
            Database db,
            ClipLibrary library,
            InstantSource wall,
            boolean generating)
            throws SQLException {
        this.channels = channels;
        this.settings = config.iptv();
        this.db = db;
        this.library = library;
        this.wall = wall;
        this.generating = generating;
        this.store = new LivingRoomStore(db);
        this.deviceId = store.deviceId();
        tuned();
    }

    /** The channels in configuration order, with their numbers. */
    public List<TunedChannel> lineup() {
        return tuned().lineup();
    }

    public Optional<TunedChannel> channel(String channelId) {
        return lineup().stream().filter(c -> c.id().equals(channelId)).findFirst();
    }

    /** The emulated tuner's DeviceID: 8 hex digits, the same after every restart. */
    public String deviceId() {
        return deviceId;
    }

    /** Continuous streams allowed at once, all channels (the tuner's TunerCount). */
    public int tunerCount() {
        return settings.tunerCount();
    }

    /**
     * The base URL for links: the configured public URL; else the one the client used (its Host
     * header, when it is a plain host and port); else {@code fallback}.
     */
    public String baseUrl(String hostHeader, String fallback) {
        if (!settings.publicUrl().isEmpty()) {
            return settings.publicUrl();
        }
        if (hostHeader != null && HOST.matcher(hostHeader).matches()) {
            return "http://" + hostHeader;
        }
        return fallback;
    }

    /** The M3U playlist of every channel. */
    public String m3u(String base) throws SQLException {
        Built guide = guide();
        return M3u.render(base, guide.lineup(), icons(base, guide));
    }

    /** The XMLTV guide of every channel: the last six hours (what aired) and the next seven days. */
    public String xmltv(String base) throws SQLException {
        Built guide = guide();
        StringWriter out = new StringWriter();
        try {
            Xmltv.write(out, base, guide.lineup(), icons(base, guide), guide.programmes());
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing the guide: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /** {@code discover.json}. */
    public Map<String, Object> discover(String base) {
        return HdHomeRun.discover(base, deviceId, settings.deviceName(), settings.tunerCount());
    }

    /** {@code lineup.json}. */
    public List<Map<String, Object>> lineupJson(String base) {
        return HdHomeRun.lineup(base, lineup());
    }

    /** {@code lineup_status.json}. */
    public Map<String, Object> lineupStatus() {
        return HdHomeRun.lineupStatus();
    }

    /** {@code device.xml}. */
    public String deviceXml(String base) {
        return HdHomeRun.deviceXml(base, deviceId, settings.deviceName());
    }

    /** Each channel's picture: its configured logo, else its newest clip's thumbnail. */
    private Map<String, String> icons(String base, Built guide) {
        Map<String, String> icons = new HashMap<>();
        for (TunedChannel channel : guide.lineup()) {
            if (!channel.logo().isEmpty()) {
                icons.put(channel.id(), channel.logo());
            } else if (guide.pictures().containsKey(channel.id())) {
                icons.put(channel.id(), base + "/thumbs/" + guide.pictures().get(channel.id()) + ".jpg");
            }
        }
        return icons;
    }

    /**
     * The channels on air and their numbers: read from the lineup each time, numbered again (one
     * transaction) only when a channel came, went or changed.
     */
    private Tuned tuned() {
        List<ChannelConfig> now = List.copyOf(channels.get());
        Tuned current = tuned;
        if (current != null && current.configs().equals(now)) {
            return current;
        }
        synchronized (this) {
            current = tuned;
            if (current != null && current.configs().equals(now)) {
                return current;
            }
            Map<String, OptionalInt> wanted = new LinkedHashMap<>();
            now.forEach(c -> wanted.put(c.id(), c.number()));
            Map<String, Integer> numbers;
            try {
                numbers = store.numbers(wanted);
            } catch (SQLException e) {
                throw new IllegalStateException("numbering the channels: " + e.getMessage(), e);
            }
            List<TunedChannel> lineup = new ArrayList<>();
            for (ChannelConfig c : now) {
                lineup.add(new TunedChannel(
                        c.id(), c.title(), numbers.get(c.id()), TunedChannel.guideIdOf(c.id()), c.logo()));
            }
            tuned = new Tuned(now, List.copyOf(lineup));
            return tuned;
        }
    }

    private Built guide() throws SQLException {
        Tuned channels = tuned();
        Built current = built;
        long now = monotonic.nanos();
        if (current != null && current.tuned() == channels && now - current.nanos() < GUIDE_FRESH.toNanos()) {
            return current;
        }
        synchronized (this) {
            current = built;
            if (current != null
                    && current.tuned() == channels
                    && monotonic.nanos() - current.nanos() < GUIDE_FRESH.toNanos()) {
                return current;
            }
            built = build(channels);
            return built;
        }
    }

    private Built build(Tuned channels) throws SQLException {
        Instant now = wall.instant();
        Map<String, List<Programme>> programmes = new LinkedHashMap<>();
        Map<String, String> pictures = new HashMap<>();
        Map<String, Boolean> hasPicture = new HashMap<>();
        for (ChannelConfig channel : channels.configs()) {
            List<Aired> history =
                    Playout.aired(db, channel.id(), channel.format().fps(), now.minus(Guide.HISTORY), now);
            programmes.put(
                    channel.id(),
                    Guide.programmes(
                            channel,
                            history,
                            now,
                            generating,
                            clip -> hasPicture.computeIfAbsent(clip, this::picture)));
            for (int i = history.size() - 1; i >= 0; i--) {
                Optional<String> clip = history.get(i).clipId();
                if (clip.isPresent() && hasPicture.computeIfAbsent(clip.get(), this::picture)) {
                    pictures.put(channel.id(), clip.get());
                    break;
                }
            }
        }
        return new Built(monotonic.nanos(), channels, programmes, pictures);
    }

    /** Whether the clip is in the library with its thumbnail on disk. */
    private boolean picture(String clipId) {
        try {
            return library.find(clipId)
                    .map(c -> Files.isRegularFile(c.thumbnail()))
                    .orElse(false);
        } catch (SQLException e) {
            return false;
        }
    }
}
