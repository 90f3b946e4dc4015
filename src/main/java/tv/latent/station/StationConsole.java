package tv.latent.station;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import tv.latent.audit.Audit;
import tv.latent.auth.Auth;
import tv.latent.config.ChannelConfig;
import tv.latent.config.ConfigException;
import tv.latent.config.ConfigLoader;
import tv.latent.config.LatentConfig;
import tv.latent.generate.remote.EndpointPool;
import tv.latent.library.Clip;
import tv.latent.library.ClipLibrary;
import tv.latent.pipeline.Lookahead;
import tv.latent.pipeline.Pipeline;
import tv.latent.pipeline.ShotJob;
import tv.latent.playout.Playout;
import tv.latent.retention.Retention;
import tv.latent.web.Console;

/**
 * What operators do, as the station does it: channels changed through the {@link Lineup} (console
 * channels stored in the database, validated by the YAML loader's rules), jobs through the
 * pipeline, clips through the library, playout and retention. Every change is written to the
 * audit log with the operator's name, what changed and why.
 *
 * <p>Thread-safe: channel changes are serialised (one at a time, in the database and on air).
 */
final class StationConsole implements Console {
    private final Lineup lineup;
    private final ConsoleChannels stored;
    private final LatentConfig config;
    private final UnaryOperator<String> environment;
    private final Pipeline pipeline;
    private final Lookahead lookahead;
    private final Playout playout;
    private final ClipLibrary library;
    private final Retention retention;
    private final Backends backends;
    private final BackendStats stats;
    private final Auth auth;
    private final Audit audit;

    /** @param lookahead null on a station that does not generate (a pause is stored, and applies when it does) */
    StationConsole(
            Lineup lineup,
            ConsoleChannels stored,
            LatentConfig config,
            UnaryOperator<String> environment,
            Pipeline pipeline,
            Lookahead lookahead,
            Playout playout,
            ClipLibrary library,
            Retention retention,
            Backends backends,
            BackendStats stats,
            Auth auth,
            Audit audit) {
        this.lineup = lineup;
        this.stored = stored;
        this.config = config;
        this.environment = environment;
        this.pipeline = pipeline;
        this.lookahead = lookahead;
        this.playout = playout;
        this.library = library;
        this.retention = retention;
        this.backends = backends;
        this.stats = stats;
        this.auth = auth;
        this.audit = audit;
    }

    @Override
    public Auth auth() {
        return auth;
    }

    @Override
    public Audit audit() {
        return audit;
    }

    @Override
    public List<Channel> channels() {
        java.util.Set<String> paused;
        try {
            paused = stored.paused();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("reading paused channels: " + e.getMessage(), e);
        }
        List<Channel> out = new ArrayList<>();
        for (Lineup.Entry entry : lineup.entries()) {
            ChannelConfig c = entry.config();
            out.add(new Channel(
                    c.id(), c.title(), c.theme(), entry.origin(), c.policy().key(), paused.contains(c.id())));
        }
        return out;
    }

    @Override
    public Optional<Map<String, Object>> settings(String channelId) {
        return lineup.entry(channelId).map(e -> ConfigLoader.settings(e.config()));
    }

    @Override
    public Map<String, List<String>> backendChoices() {
        return ConfigLoader.choices(config);
    }

    @Override
    public synchronized List<String> create(Map<String, Object> settings, String operator) throws Exception {
        ChannelConfig channel;
        try {
            channel = ConfigLoader.channel(settings, config, environment::apply);
        } catch (ConfigException e) {
            return e.problems();
        }
        if (lineup.entry(channel.id()).isPresent()
                || config.channel(channel.id()).isPresent()) {
            return List.of("id: '" + channel.id() + "' is used by another channel already");
        }
        Optional<String> clash = numberTaken(channel);
        if (clash.isPresent()) {
            return List.of(clash.get());
        }
        stored.put(channel.id(), settings, operator);
        try {
            lineup.add(channel, Origin.CONSOLE);
        } catch (Exception | Error e) {
            stored.delete(channel.id());
            throw e;
        }
        audit.record(operator, "channel.create", "channel " + channel.id(), "theme: " + channel.theme());
        return List.of();
    }

    @Override
    public synchronized List<String> update(String channelId, Map<String, Object> settings, String operator)
            throws Exception {
        Lineup.Entry was = consoleChannel(channelId);
        Map<String, Object> withId = new LinkedHashMap<>(settings);
        withId.put("id", channelId);
        ChannelConfig channel;
        try {
            channel = ConfigLoader.channel(withId, config, environment::apply);
        } catch (ConfigException e) {
            return e.problems();
        }
        Optional<String> clash = numberTaken(channel);
        if (clash.isPresent()) {
            return List.of(clash.get());
        }
        stored.put(channelId, withId, operator);
        lineup.update(channel);
        audit.record(
                operator,
                "channel.update",
                "channel " + channelId,
                changes(ConfigLoader.settings(was.config()), ConfigLoader.settings(channel)));
        return List.of();
    }

    /**
     * The problem when {@code channel} sets a number another channel (of the file or the console)
     * sets already: guides and tuners find channels by their numbers, as the file's check says.
     */
    private Optional<String> numberTaken(ChannelConfig channel) {
        if (channel.number().isEmpty()) {
            return Optional.empty();
        }
        int number = channel.number().getAsInt();
        return lineup.entries().stream()
                .map(Lineup.Entry::config)
                .filter(other -> !other.id().equals(channel.id()))
                .filter(other -> other.number().isPresent() && other.number().getAsInt() == number)
                .findFirst()
                .map(other -> "number: " + number + " is channel '" + other.id()
                        + "''s number already; each channel needs its own");
    }

    /** What changed between two settings, key by key ("theme: 'a' → 'b'"). */
    static String changes(Map<String, Object> before, Map<String, Object> after) {
        List<String> out = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            Object a = before.get(key);
            Object b = after.get(key);
            if (!Objects.equals(a, b)) {
                out.add(key + ": " + (a == null ? "(unset)" : "'" + a + "'") + " → "
                        + (b == null ? "(unset)" : "'" + b + "'"));
            }
        }
        return out.isEmpty() ? "nothing changed" : String.join("; ", out);
    }

    @Override
    public synchronized void delete(String channelId, String operator) throws Exception {
        consoleChannel(channelId);
        lineup.remove(channelId, ShotJob.CANCELLED + operator + " (channel deleted)");
        stored.delete(channelId);
        audit.record(operator, "channel.delete", "channel " + channelId, "its clips stay in the library");
    }

    private Lineup.Entry consoleChannel(String channelId) {
        Lineup.Entry entry = lineup.entry(channelId)
                .orElseThrow(() -> new IllegalArgumentException("no channel '" + channelId + "'"));
        if (entry.origin() != Origin.CONSOLE) {
            throw new IllegalArgumentException(
                    "channel " + channelId + " is declared in the YAML file: change it there and restart");
        }
        return entry;
    }

    @Override
    public synchronized void pause(String channelId, boolean paused, String operator) throws Exception {
        if (lineup.entry(channelId).isEmpty()) {
            throw new IllegalArgumentException("no channel '" + channelId + "'");
        }
        stored.pause(channelId, paused, operator);
        if (lookahead != null) {
            lookahead.pause(channelId, paused);
        }
        audit.record(
                operator,
                paused ? "channel.pause" : "channel.resume",
                "channel " + channelId,
                paused ? "no new generation; reruns air" : "generation resumes");
    }

    @Override
    public boolean retry(String jobId, String operator) throws Exception {
        boolean retried = pipeline.retry(jobId);
        if (retried) {
            ShotJob job = pipeline.jobs().find(jobId).orElseThrow();
            audit.record(
                    operator,
                    "job.retry",
                    "job " + jobId,
                    "from " + job.state().name().toLowerCase(java.util.Locale.ROOT));
        }
        return retried;
    }

    @Override
    public boolean cancel(String jobId, String operator) throws Exception {
        boolean cancelled = pipeline.cancel(jobId, ShotJob.CANCELLED + operator);
        if (cancelled) {
            audit.record(operator, "job.cancel", "job " + jobId, "");
        }
        return cancelled;
    }

    private Clip clip(String clipId) throws java.sql.SQLException {
        return library.find(clipId).orElseThrow(() -> new IllegalArgumentException("no clip " + clipId));
    }

    @Override
    public void keep(String clipId, boolean keep, String operator) throws Exception {
        Clip clip = clip(clipId);
        library.keep(clipId, keep);
        audit.record(
                operator, keep ? "clip.keep" : "clip.unkeep", "clip " + clipId + " (" + clip.channelId() + ")", "");
    }

    @Override
    public boolean takeOffAir(String clipId, String reason, String operator) throws Exception {
        Clip clip = clip(clipId);
        String why = reason == null || reason.isBlank() ? "taken off air by " + operator : reason.strip();
        if (lineup.entry(clip.channelId()).isEmpty() || !playout.takeOffAir(clip.channelId(), clipId, why)) {
            return false;
        }
        audit.record(operator, "clip.off-air", "clip " + clipId + " (" + clip.channelId() + ")", why);
        return true;
    }

    @Override
    public boolean approve(String clipId, String operator) throws Exception {
        Clip clip = clip(clipId);
        if (lineup.entry(clip.channelId()).isEmpty() || !playout.approve(clip.channelId(), clipId)) {
            return false;
        }
        audit.record(operator, "clip.approve", "clip " + clipId + " (" + clip.channelId() + ")", "");
        return true;
    }

    @Override
    public String deleteClip(String clipId, String operator) throws Exception {
        Clip clip = clip(clipId);
        String subject = "clip " + clipId + " (" + clip.channelId() + ")";
        boolean onAir = lineup.entry(clip.channelId()).isPresent();
        if (onAir
                && playout.programmingState(clip.channelId(), clipId)
                        .filter(s -> !s.equals("OFF_AIR"))
                        .isPresent()) {
            // first out of what airs, so that nothing chooses it while it goes
            playout.takeOffAir(clip.channelId(), clipId, "deleted by " + operator);
            audit.record(operator, "clip.off-air", subject, "to delete it");
        }
        long bytes;
        try {
            bytes = retention.delete(clipId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + (onAir ? " (it is off air now)" : ""), e);
        }
        audit.record(operator, "clip.delete", subject, bytes / 1024 + " KiB freed");
        return "deleted (" + bytes / 1024 + " KiB freed)";
    }

    @Override
    public List<Backend> backends() {
        Map<String, List<EndpointPool.Circuit>> circuits = backends.circuits();
        Map<String, BackendStats.Hour> hours = new LinkedHashMap<>();
        for (BackendStats.Hour hour : stats.lastHour()) {
            hours.put(hour.stage() + "/" + hour.backend(), hour);
        }
        List<Backend> out = new ArrayList<>();
        for (Backends.Made made : backends.made()) {
            BackendStats.Hour hour = hours.remove(made.stage() + "/" + made.name());
            out.add(backend(made.name(), made.stage(), circuits.get(made.name()), hour));
        }
        // what was tried but not made here (the master stage's ffmpeg)
        hours.values().forEach(h -> out.add(backend(h.backend(), h.stage(), null, h)));
        return out;
    }

    private static Backend backend(
            String name, String stage, List<EndpointPool.Circuit> circuits, BackendStats.Hour hour) {
        List<String> states = circuits == null
                ? List.of()
                : circuits.stream()
                        .map(c -> c.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                        .toList();
        return new Backend(
                name,
                stage,
                states,
                hour == null ? 0 : hour.calls(),
                hour == null ? 0 : hour.failures(),
                hour == null ? List.of() : hour.errors());
    }
}
