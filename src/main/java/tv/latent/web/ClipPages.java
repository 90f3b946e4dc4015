package tv.latent.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tv.latent.library.Clip;
import tv.latent.media.Captions;
import tv.latent.media.ClipExports;
import tv.latent.pipeline.JobState;
import tv.latent.playout.Playout;

/**
 * A public page per clip ({@code /clips/{id}}): the player, the title, the prompts and every
 * stage's backend, parameters and timing as text, the channel, when it aired, a download of the
 * MP4, animated GIF and WebP exports, and Open Graph and Twitter-card tags so a shared link shows
 * a preview.
 *
 * <p>Clip ids from the URL are only looked up in the library (checked against the id pattern
 * first); the files served are the ones the library names, and only when they resolve under the
 * data directory. An id that is not a clip answers 404 JSON. Exports answer 200 with the file once
 * made, 202 with {@code {"state":"making","progress":..}} and {@code Retry-After} while being made,
 * 503 with {@code Retry-After} when every export slot is busy. Thread-safe (stateless).
 */
final class ClipPages {
    private static final Pattern CLIP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final Logger LOG = LoggerFactory.getLogger(ClipPages.class);
    /** The provenance key of the speak stage (the master stage names each stage so): a clip with it may have captions. */
    private static final String SPOKEN = JobState.SPEAK.name().toLowerCase(Locale.ROOT);

    private final Site site;

    ClipPages(Site site) {
        this.site = site;
    }

    void declare(RouteTable routes) {
        routes.get("/clips/{id}", this::page);
        routes.get("/clips/{id}/video.mp4", this::video);
        routes.get("/clips/{id}/captions.vtt", this::captions);
        routes.get("/clips/{id}/export.mp4", ctx -> export(ctx, ClipExports.Format.MP4));
        routes.get("/clips/{id}/export.gif", ctx -> export(ctx, ClipExports.Format.GIF));
        routes.get("/clips/{id}/export.webp", ctx -> export(ctx, ClipExports.Format.WEBP));
    }

    private Clip clip(Context ctx) throws SQLException {
        String id = ctx.pathParam("id");
        if (!CLIP_ID.matcher(id).matches()) {
            throw HttpError.notFound("no such clip");
        }
        return site.library().find(id).orElseThrow(() -> HttpError.notFound("no clip '" + id + "'"));
    }

    private Path underData(Path file, String what) throws IOException {
        fetched(site, file);
        return underData(site.dataDir(), file, "no " + what);
    }

    /** Brings a library file under the data directory that this node lacks from the shared store (another node made it). */
    static void fetched(Site site, Path file) throws IOException {
        Path wanted = file.toAbsolutePath().normalize();
        if (wanted.startsWith(site.dataDir()) && !site.media().isLocal()) {
            site.media().fetch(site.dataDir().relativize(wanted).toString(), wanted);
        }
    }

    /**
     * A file the library names, when it is a regular file under the data directory (links
     * followed); else 404 saying {@code notFound}.
     */
    static Path underData(Path dataDir, Path file, String notFound) throws IOException {
        Path path = file.toAbsolutePath().normalize();
        if (!path.startsWith(dataDir)
                || !Files.isRegularFile(path)
                || !path.toRealPath().startsWith(dataDir.toRealPath())) {
            throw HttpError.notFound(notFound);
        }
        return path;
    }

    private void page(Context ctx) throws Exception {
        Clip clip = clip(ctx);
        Site.Channel channel = site.byId().get(clip.channelId());
        Optional<Playout.ClipAirings> aired = Playout.clipAirings(site.jobs().database(), clip.channelId(), clip.id());
        String base = base(ctx);
        String page = base + "/clips/" + clip.id();
        boolean procedural = Pages.isProcedural(clip);
        String description = (procedural ? "Procedural renderer, not AI. " : "") + clip.prompt();
        Views.ClipPage view = new Views.ClipPage(
                clip.title().isBlank() ? clip.id() : clip.title(),
                clip.id(),
                clip.prompt(),
                clip.negativePrompt(),
                clip.seed(),
                clip.musicPrompt(),
                clip.director(),
                procedural,
                clip.channelId(),
                channel == null ? clip.channelId() : channel.title(),
                channel != null,
                aired.map(a -> SHOWN.format(a.first())).orElse(null),
                aired.map(a -> SHOWN.format(a.latest())).orElse(null),
                aired.map(Playout.ClipAirings::times).orElse(0L),
                SHOWN.format(clip.masteredAt()),
                String.format(Locale.ROOT, "%.1f", clip.durationSeconds()),
                clip.width(),
                clip.height(),
                clip.fps(),
                stages(clip.provenance()),
                page,
                base + "/thumbs/" + clip.id() + ".jpg",
                base + "/clips/" + clip.id() + "/video.mp4",
                description.length() > 300 ? description.substring(0, 299) + "…" : description,
                narration(clip).stream().map(Captions.Cue::text).toList());
        ctx.header("Cache-Control", "no-cache")
                .contentType("text/html; charset=utf-8")
                .result(Templates.render("clip.jte", view));
    }

    /** Each stage of the provenance as text: its backend, how long it took, its parameters. */
    static List<Views.ClipStage> stages(String provenance) {
        List<Views.ClipStage> out = new ArrayList<>();
        if (provenance == null || provenance.isBlank()) {
            return out;
        }
        try {
            JsonNode tree = WebServer.JSON.readTree(provenance);
            tree.properties().forEach(stage -> {
                JsonNode s = stage.getValue();
                List<String> params = new ArrayList<>();
                s.path("params").properties().forEach(p -> params.add(p.getKey() + " = " + text(p.getValue())));
                out.add(new Views.ClipStage(
                        stage.getKey(),
                        Redaction.redact(s.path("backend").asText("")),
                        s.has("seconds")
                                ? String.format(
                                        Locale.ROOT, "%.2f s", s.get("seconds").asDouble())
                                : "",
                        params.stream().map(Redaction::redact).toList(),
                        Redaction.redact(s.path("fallback").asText(""))));
            });
        } catch (IOException e) {
            out.add(new Views.ClipStage("provenance", Redaction.redact(provenance), "", List.of(), ""));
        }
        return out;
    }

    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /**
     * The clip's narration cues, read from its captions beside the master (under the data
     * directory only); empty without narration, or when the file is not captions (logged).
     */
    private List<Captions.Cue> narration(Clip clip) {
        Path file = clip.master().resolveSibling(Captions.FILE).toAbsolutePath().normalize();
        if (!file.startsWith(site.dataDir())) {
            return List.of();
        }
        try {
            fetchedCaptions(clip);
            return Captions.read(file);
        } catch (IOException e) {
            LOG.warn("captions of clip {} unreadable: {}", clip.id(), e.toString());
            return List.of();
        }
    }

    /**
     * Brings a spoken clip's captions from the shared store when another node made it. Only a clip
     * whose provenance has a speak stage has captions, so a page view of any other clip costs the
     * bucket nothing.
     */
    private void fetchedCaptions(Clip clip) throws IOException {
        if (site.media().isLocal() || clip.provenance() == null) {
            return;
        }
        try {
            if (!WebServer.JSON.readTree(clip.provenance()).has(SPOKEN)) {
                return;
            }
        } catch (IOException e) {
            return; // no readable provenance: nothing says it was spoken
        }
        fetched(site, clip.master().resolveSibling(Captions.FILE));
    }

    /**
     * The clip's captions as WebVTT (the player's caption track), written again from the cues read
     * so only cues go out; 404 for a clip without narration.
     */
    private void captions(Context ctx) throws Exception {
        Clip clip = clip(ctx);
        List<Captions.Cue> cues = narration(clip);
        if (cues.isEmpty()) {
            throw HttpError.notFound("this clip has no narration");
        }
        ctx.header("Cache-Control", "public, max-age=86400")
                .contentType("text/vtt; charset=utf-8")
                .result(Captions.webVtt(cues));
    }

    private void video(Context ctx) throws Exception {
        Clip clip = clip(ctx);
        Path master = underData(clip.master(), "video");
        ctx.res().setCharacterEncoding(null);
        ctx.header("Cache-Control", "public, max-age=86400")
                .header("Content-Disposition", "inline; filename=\"" + clip.id() + ".mp4\"");
        InputStream in = Files.newInputStream(master);
        ctx.writeSeekableStream(in, "video/mp4", Files.size(master));
    }

    private void export(Context ctx, ClipExports.Format format) throws Exception {
        Clip clip = clip(ctx);
        if (site.exports() == null) {
            throw HttpError.notFound("this station makes no exports");
        }
        Path master = underData(clip.master(), "video");
        fetchedCaptions(clip); // the exports carry them
        switch (site.exports().request(clip.id(), master, format)) {
            case ClipExports.Ready ready -> {
                ctx.res().setCharacterEncoding(null);
                ctx.header("Cache-Control", "public, max-age=86400")
                        .header(
                                "Content-Disposition",
                                "attachment; filename=\"" + clip.id() + "." + format.extension() + "\"")
                        .contentType(format.mediaType())
                        .result(Files.readAllBytes(ready.file()));
            }
            case ClipExports.Making making -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("state", "making");
                body.put("progress", Math.round(making.progress() * 100) / 100.0);
                ctx.status(202).header("Retry-After", "1");
                WebServer.json(ctx, body);
            }
            case ClipExports.Busy busy ->
                throw HttpError.unavailable("every export slot is busy; try again shortly", busy.retryAfterSeconds());
            case ClipExports.Failed failed ->
                throw new HttpError(500, "the export failed: " + Redaction.redact(failed.reason()));
        }
    }

    /**
     * The absolute base URL for the page's share tags: the living room's (the configured public
     * URL, else the client's Host when it is a plain host and port), else the address the request
     * came in on.
     */
    private String base(Context ctx) {
        String local = ctx.req().getLocalAddr();
        String fallback = "http://" + (local.contains(":") ? "[" + local + "]" : local) + ":"
                + ctx.req().getLocalPort();
        return site.livingRoom() == null ? fallback : site.livingRoom().baseUrl(ctx.header("Host"), fallback);
    }
}
