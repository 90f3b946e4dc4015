package tv.latent.playout;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import tv.latent.media.HouseClips;

/**
 * The clip library in memory, with real house-format masters on disk: clips arrive in the order
 * they are added. Thread-safe.
 */
public final class MemoryCatalog implements ClipCatalog {
    private final List<AirableClip> clips = new CopyOnWriteArrayList<>();
    private final Path root;
    private final List<AirableClip> shared;

    public MemoryCatalog(Path root) {
        this.root = root;
        this.shared = null;
    }

    private MemoryCatalog(List<AirableClip> shared) {
        this.root = null;
        this.shared = List.copyOf(shared);
    }

    /** A catalog in which every channel holds the given clips, made elsewhere, arrived in the list's order. */
    public static MemoryCatalog everyChannel(List<AirableClip> clips) {
        return new MemoryCatalog(clips);
    }

    /** Masters a clip of {@code frames} frames for {@code channel}, mastered at {@code at}. */
    public AirableClip add(String channel, String clipId, int frames, Instant at)
            throws IOException, InterruptedException {
        Path master = HouseClips.master(root.resolve(channel).resolve(clipId), frames, 220 + 110 * (clips.size() % 4));
        AirableClip clip = new AirableClip(
                clipId, channel, master, frames, "Title " + clipId, "a prompt for " + clipId, at, clips.size() + 1);
        clips.add(clip);
        return clip;
    }

    private List<AirableClip> channel(String channelId) {
        if (shared == null) {
            return clips.stream().filter(c -> c.channelId().equals(channelId)).toList();
        }
        return java.util.stream.IntStream.range(0, shared.size())
                .mapToObj(i -> {
                    AirableClip c = shared.get(i);
                    return new AirableClip(
                            c.clipId(),
                            channelId,
                            c.master(),
                            c.frames(),
                            c.title(),
                            c.prompt(),
                            c.masteredAt(),
                            i + 1);
                })
                .toList();
    }

    @Override
    public List<AirableClip> arrivedAfter(String channelId, long afterSeq, int limit) {
        return channel(channelId).stream()
                .filter(c -> c.seq() > afterSeq)
                .limit(limit)
                .toList();
    }

    @Override
    public Optional<AirableClip> find(String clipId) {
        return (shared == null ? clips : shared)
                .stream().filter(c -> c.clipId().equals(clipId)).findFirst();
    }
}
