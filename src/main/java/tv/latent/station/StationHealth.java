package tv.latent.station;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import tv.latent.library.DataLayout;
import tv.latent.library.Database;
import tv.latent.media.Ffmpeg;
import tv.latent.playout.HlsResponse;
import tv.latent.playout.Playout;
import tv.latent.web.Monitor;

/**
 * Whether the station is ready to serve, checked for real each time it is asked: the database
 * answers a query, ffmpeg is there, the data directory takes a write, and every channel serves a
 * live playlist with segments. Details name no path: the web redacts them anyway.
 *
 * <p>Thread-safe; each check is quick (one indexed read, one small file, one published snapshot).
 */
final class StationHealth {
    private final Database db;
    private final Ffmpeg ffmpeg;
    private final DataLayout layout;
    private final Playout playout;

    StationHealth(Database db, Ffmpeg ffmpeg, DataLayout layout, Playout playout) {
        this.db = db;
        this.ffmpeg = ffmpeg;
        this.layout = layout;
        this.playout = playout;
    }

    List<Monitor.Check> checks() {
        List<Monitor.Check> checks = new ArrayList<>();
        checks.add(database());
        checks.add(ffmpeg());
        checks.add(dataDirectory());
        for (String channel : playout.channelIds()) {
            checks.add(channel(channel));
        }
        return checks;
    }

    private Monitor.Check database() {
        try {
            db.read(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM shot_jobs WHERE id = ''");
                        ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            });
            return new Monitor.Check("database", true, "answers");
        } catch (SQLException | RuntimeException e) {
            return new Monitor.Check("database", false, "does not answer: " + e.getMessage());
        }
    }

    private Monitor.Check ffmpeg() {
        boolean there = Files.isExecutable(ffmpeg.executable());
        return new Monitor.Check("ffmpeg", there, there ? "present" : "missing (the executable is gone)");
    }

    private Monitor.Check dataDirectory() {
        try {
            Path probe = Files.createTempFile(layout.tmp(), "ready-", ".check");
            Files.write(probe, new byte[] {1});
            Files.delete(probe);
            return new Monitor.Check("dataDir", true, "writable");
        } catch (IOException | RuntimeException e) {
            return new Monitor.Check("dataDir", false, "not writable: " + e);
        }
    }

    private Monitor.Check channel(String channelId) {
        String name = "channel:" + channelId;
        try {
            if (playout.resolve(channelId, "live.m3u8") instanceof HlsResponse.Found found
                    && new String(found.body(), java.nio.charset.StandardCharsets.UTF_8).contains("#EXTINF")) {
                return new Monitor.Check(name, true, "serving its live playlist");
            }
            return new Monitor.Check(name, false, "no live playlist with segments");
        } catch (IOException | SQLException | RuntimeException e) {
            return new Monitor.Check(name, false, "playlist failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Monitor.Check(name, false, "interrupted");
        }
    }
}
