package tv.latent.station;

import java.nio.file.Files;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import tv.latent.library.Clip;
import tv.latent.library.ClipLibrary;
import tv.latent.playout.AirableClip;
import tv.latent.playout.ClipCatalog;

/** The clip library as playout sees it: every mastered clip of a channel whose master is on disk. Thread-safe. */
final class LibraryCatalog implements ClipCatalog {
    private final ClipLibrary library;

    LibraryCatalog(ClipLibrary library) {
        this.library = library;
    }

    @Override
    public List<AirableClip> mastered(String channelId) {
        try {
            List<AirableClip> out = new ArrayList<>();
            for (Clip clip : library.inMasteringOrder(channelId)) {
                if (clip.frames() > 0 && Files.isRegularFile(clip.master())) {
                    out.add(airable(clip));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the clip library: " + e.getMessage(), e);
        }
    }

    static AirableClip airable(Clip clip) {
        return new AirableClip(
                clip.id(),
                clip.channelId(),
                clip.master(),
                clip.frames(),
                clip.title(),
                clip.prompt(),
                clip.masteredAt());
    }
}
