package tv.latent.playout;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import tv.latent.media.HouseClips;

/** The clip library in memory, with real house-format masters on disk. */
final class MemoryCatalog implements ClipCatalog {
    private final List<AirableClip> clips = new CopyOnWriteArrayList<>();
    private final Path root;

    MemoryCatalog(Path root) {
        this.root = root;
    }

    /** Masters a clip of {@code frames} frames for {@code channel}, mastered at {@code at}. */
    AirableClip add(String channel, String clipId, int frames, Instant at) throws IOException, InterruptedException {
        Path master = HouseClips.master(root.resolve(channel).resolve(clipId), frames, 220 + 110 * (clips.size() % 4));
        AirableClip clip =
                new AirableClip(clipId, channel, master, frames, "Title " + clipId, "a prompt for " + clipId, at);
        clips.add(clip);
        return clip;
    }

    @Override
    public List<AirableClip> mastered(String channelId) {
        return clips.stream().filter(c -> c.channelId().equals(channelId)).toList();
    }
}
