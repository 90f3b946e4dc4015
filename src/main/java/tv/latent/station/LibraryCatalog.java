package tv.latent.station;

import java.nio.file.Files;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tv.latent.library.Clip;
import tv.latent.library.ClipLibrary;
import tv.latent.playout.AirableClip;
import tv.latent.playout.ClipCatalog;

/**
 * The clip library as playout sees it: arrivals in order and clips by id, each one indexed
 * query; no file is looked at (a master that is gone fails its cut, and playout passes it over).
 * Thread-safe.
 */
final class LibraryCatalog implements ClipCatalog {
    private final ClipLibrary library;

    LibraryCatalog(ClipLibrary library) {
        this.library = library;
    }

    @Override
    public List<AirableClip> arrivedAfter(String channelId, long afterSeq, int limit) {
        try {
            List<AirableClip> out = new ArrayList<>();
            for (ClipLibrary.Arrival arrival : library.arrivedAfter(channelId, afterSeq, limit)) {
                if (arrival.clip().frames() > 0) {
                    out.add(airable(arrival.clip(), arrival.seq()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the clip library: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<AirableClip> find(String clipId) {
        try {
            return library.find(clipId).filter(c -> c.frames() > 0).map(c -> airable(c, 0));
        } catch (SQLException e) {
            throw new IllegalStateException("reading the clip library: " + e.getMessage(), e);
        }
    }

    /** Every mastered clip of a channel whose master is on disk, in mastering order: an export, not a hot path. */
    List<AirableClip> everyAirable(String channelId) {
        try {
            List<AirableClip> out = new ArrayList<>();
            for (Clip clip : library.inMasteringOrder(channelId)) {
                if (clip.frames() > 0 && Files.isRegularFile(clip.master())) {
                    out.add(airable(clip, 0));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the clip library: " + e.getMessage(), e);
        }
    }

    static AirableClip airable(Clip clip, long seq) {
        return new AirableClip(
                clip.id(),
                clip.channelId(),
                clip.master(),
                clip.frames(),
                clip.title(),
                clip.prompt(),
                clip.masteredAt(),
                seq);
    }
}
