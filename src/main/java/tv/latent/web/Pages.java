package tv.latent.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tv.latent.library.Clip;
import tv.latent.playout.NowPlaying;

/**
 * The HTML pages and the JSON shapes of channels and clips. Every text that came from a
 * director or an operator is HTML-escaped here; the watch page's script sets text only as
 * {@code textContent}. Thread-safe.
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

    String index() {
        StringBuilder body = new StringBuilder();
        body.append(
                "<h1>LatentTV</h1>\n<p class=\"lede\">Channels whose every clip is made by AI.</p>\n<ul class=\"channels\">\n");
        for (Site.Channel channel : site.channels()) {
            NowPlaying now = WebServer.quietly(() -> site.playout().nowPlaying(channel.id()))
                    .orElse(null);
            body.append("<li class=\"channel\"><a href=\"/watch/")
                    .append(esc(channel.id()))
                    .append("\">");
            if (now != null && now.clipId().isPresent()) {
                body.append("<img class=\"thumb\" alt=\"\" src=\"/thumbs/")
                        .append(esc(now.clipId().get()))
                        .append(".jpg\">");
            } else {
                body.append("<div class=\"thumb slate\"></div>");
            }
            body.append("<div class=\"about\"><h2>")
                    .append(esc(channel.title()))
                    .append("</h2>")
                    .append("<p class=\"theme\">")
                    .append(esc(channel.theme()))
                    .append("</p>");
            if (now != null) {
                body.append("<p class=\"now\"><b>Now:</b> ")
                        .append(esc(now.title()))
                        .append("</p>")
                        .append("<p class=\"prompt\">")
                        .append(esc(now.prompt()))
                        .append("</p>");
                if (now.clipId().map(this::procedural).orElse(false)) {
                    body.append("<p class=\"badge\">procedural renderer, not AI</p>");
                }
            }
            body.append("</div></a></li>\n");
        }
        body.append("</ul>\n");
        return page("LatentTV", body.toString(), "");
    }

    String watch(Site.Channel channel) {
        String body =
                """
        <header><a href="/">LatentTV</a> <span class="sep">/</span> <h1>%s</h1></header>
        <main class="watch">
          <div class="player"><video id="video" controls muted autoplay playsinline></video>
            <button id="cc" class="cc" type="button" aria-pressed="false" title="Captions" hidden>CC</button></div>
          <section class="caption" aria-live="polite">
            <p class="badge" id="badge" hidden>procedural renderer, not AI</p>
            <h2 id="title"></h2>
            <p id="prompt" class="prompt"></p>
            <p class="next"><b>Up next:</b> <span id="next">…</span></p>
          </section>
        </main>
        """
                        .formatted(esc(channel.title()));
        String scripts = "<script src=\"/assets/hls.min.js\"></script>\n<script src=\"/assets/watch.js\"></script>\n";
        return page(channel.title() + " · LatentTV", body, scripts)
                .replace("<body>", "<body data-channel=\"" + esc(channel.id()) + "\">");
    }

    private static String page(String title, String body, String scripts) {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + esc(title) + "</title><link rel=\"stylesheet\" href=\"/assets/latenttv.css\"></head>\n"
                + "<body>\n" + body + scripts + "</body></html>\n";
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
