package tv.latent.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tv.latent.audience.Audience;
import tv.latent.config.StudioConfig;
import tv.latent.library.Clip;
import tv.latent.playout.NowPlaying;

/**
 * The viewer pages and the JSON shapes of channels and clips. Pages are templates
 * ({@link Templates}), which escape every text that came from a director or an operator; the
 * watch page's script sets text only as {@code textContent}. Thread-safe.
 */
final class Pages {
    /** Clips remembered as procedural or not; beyond it the least recently asked is forgotten (and looked up again). */
    static final int PROCEDURAL_KEPT = 1_024;

    private final Site site;
    private final Monitor monitor;
    /** Clips never change once mastered, so whether the procedural renderer made one is cached (LRU, bounded). */
    private final Map<String, Boolean> procedural = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > PROCEDURAL_KEPT;
        }
    };

    Pages(Site site, Monitor monitor) {
        this.site = site;
        this.monitor = monitor;
    }

    Map<String, Object> status(Site.Channel channel) {
        return status(channel.id());
    }

    Map<String, Object> status(String channelId) {
        return status(
                channelId,
                WebServer.quietly(() -> site.playout().nowPlaying(channelId)).orElse(null));
    }

    /** A channel's public state: what plays (as given) and what comes next. */
    Map<String, Object> status(String channelId, NowPlaying now) {
        Site.Channel channel = site.channels().stream()
                .filter(c -> c.id().equals(channelId))
                .findFirst()
                .orElseThrow();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", channel.id());
        out.put("title", channel.title());
        out.put("theme", channel.theme());
        out.put("watch", "/watch/" + channel.id());
        out.put("hls", "/hls/" + channel.id() + "/live.m3u8");
        // station-wide, shown with each channel: new clips stop while paused, reruns air on
        out.put("generationPaused", site.generationPaused().get().orElse(null));
        out.put("nowPlaying", now == null ? null : airing(now));
        out.put(
                "upNext",
                WebServer.quietly(() -> site.playout().upNext(channelId))
                        .map(this::airing)
                        .orElse(null));
        out.put("generation", generation(channelId));
        if (site.spending() != null) {
            try {
                out.put("budget", budget(site.spending().status(channelId)));
            } catch (java.sql.SQLException e) {
                out.put("budget", null); // the database is busy or down: the rest of the status still answers
            }
        }
        return out;
    }

    /**
     * How the channel's generation goes: {@code state} normal, failing (with the latest reason,
     * redacted, jobs failed in a row and seconds until the next try) or off (this process makes no
     * clips); a station that pauses generation (the disk guard) says so with its own state word.
     */
    private Map<String, Object> generation(String channelId) {
        Monitor.Generation g = monitor.generation(channelId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", g.state());
        out.put("failedInARow", g.failedInARow());
        out.put("reason", Redaction.redact(g.reason()));
        out.put(
                "retryInSeconds",
                g.retryIn()
                        .map(d -> (Object) Math.max(0, (d.toMillis() + 999) / 1000))
                        .orElse(null));
        return out;
    }

    /** A channel's spend: the last hour and day, caps, whether it is held at one, cost per aired minute. */
    private static Map<String, Object> budget(tv.latent.pipeline.Spending.ChannelSpend s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("currency", s.currency());
        out.put("lastHour", s.lastHour());
        out.put("lastDay", s.lastDay());
        out.put("total", s.total());
        out.put("hourlyCap", s.hourlyCap());
        out.put("dailyCap", s.dailyCap());
        out.put("capped", s.capped() != null);
        out.put("cappedBecause", s.capped());
        out.put("airedMinutes", s.airedMinutes());
        out.put("costPerAiredMinute", s.costPerAiredMinute());
        return out;
    }

    private Map<String, Object> airing(NowPlaying playing) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clipId", playing.clipId().orElse(null));
        out.put("title", playing.title());
        out.put("prompt", playing.prompt());
        out.put("start", playing.start().toString());
        out.put("end", playing.end().toString());
        out.put("slate", playing.slate());
        out.put("procedural", playing.clipId().map(this::procedural).orElse(false));
        out.put(
                "thumbnail",
                playing.clipId().map(id -> "/thumbs/" + id + ".jpg").orElse(null));
        out.put(
                "credit",
                playing.clipId()
                        .map(id -> AudienceRoutes.creditJson(site, playing.channelId(), id))
                        .orElse(null));
        return out;
    }

    private boolean procedural(String clipId) {
        Boolean known;
        synchronized (procedural) {
            known = procedural.get(clipId);
        }
        if (known != null) {
            return known;
        }
        try {
            Optional<Clip> clip = site.library().find(clipId);
            if (clip.isEmpty()) {
                return false;
            }
            boolean made = isProcedural(clip.get());
            synchronized (procedural) {
                procedural.put(clipId, made);
            }
            return made;
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    static boolean isProcedural(Clip clip) {
        return clip.provenance() != null && clip.provenance().contains("procedural");
    }

    /** A library clip for the API: no file paths (they say nothing to a browser and reveal the host's layout). */
    static Map<String, Object> clipJson(Clip clip) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", clip.id());
        out.put("channel", clip.channelId());
        out.put("title", clip.title());
        out.put("prompt", clip.prompt());
        out.put("seed", clip.seed());
        out.put("director", clip.director());
        out.put("procedural", isProcedural(clip));
        out.put("frames", clip.frames());
        out.put("fps", clip.fps());
        out.put("width", clip.width());
        out.put("height", clip.height());
        out.put("durationSeconds", clip.durationSeconds());
        out.put("loudnessLufs", clip.loudnessLufs());
        out.put("masteredAt", clip.masteredAt().toString());
        out.put("thumbnail", "/thumbs/" + clip.id() + ".jpg");
        out.put("kept", clip.kept());
        return out;
    }

    /** The home page: every channel, with what it airs now. {@code csrf}: the viewer's token for this page. */
    String index(String csrf) {
        List<Views.Card> cards = new ArrayList<>();
        for (Site.Channel channel : site.channels()) {
            NowPlaying now = WebServer.quietly(() -> site.playout().nowPlaying(channel.id()))
                    .orElse(null);
            cards.add(new Views.Card(
                    channel.id(),
                    channel.title(),
                    channel.theme(),
                    now == null ? null : now.clipId().orElse(null),
                    now == null ? null : now.title(),
                    now == null ? null : now.prompt(),
                    now != null && now.clipId().map(this::procedural).orElse(false)));
        }
        return Templates.render(
                "index.jte", new Views.Index(new Views.Chrome("LatentTV", csrf, false, null, null, List.of()), cards));
    }

    /** A channel's watch page: the player (hls.js) and the caption (watch.js). */
    String watch(Site.Channel channel, String csrf) {
        return Templates.render(
                "watch.jte",
                new Views.Watch(
                        new Views.Chrome(
                                channel.title() + " · LatentTV",
                                csrf,
                                false,
                                channel.id(),
                                null,
                                List.of("/assets/hls.min.js", "/assets/watch.js")),
                        channel.title(),
                        suggestionBox(channel.id())));
    }

    /** The watch page's suggestion box; null when the station has no audience loop for the channel. */
    private Views.SuggestionBox suggestionBox(String channelId) {
        if (site.audience() == null) {
            return null;
        }
        return site.audience()
                .channel(channelId)
                .map(c -> new Views.SuggestionBox(
                        c.open(),
                        c.policy() == StudioConfig.Policy.REVIEW_PROMPTS,
                        Audience.SUGGESTION_MIN,
                        Audience.SUGGESTION_MAX,
                        Audience.NAME_MAX))
                .orElse(null);
    }
}
