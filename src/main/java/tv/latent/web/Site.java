package tv.latent.web;

import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import tv.latent.audience.Audience;
import tv.latent.iptv.LivingRoom;
import tv.latent.library.ClipLibrary;
import tv.latent.media.ClipExports;
import tv.latent.pipeline.JobStore;
import tv.latent.pipeline.Pipeline;
import tv.latent.pipeline.Spending;
import tv.latent.playout.Playout;
import tv.latent.storage.MediaStore;

/**
 * What the web server shows: the channels, their playout, the library and the pipeline's jobs.
 *
 * @param lineup the channels on air now (channels come and go while the station runs: read it each time)
 * @param dataDir thumbnails are served only when they resolve under here
 * @param pipeline null when this process makes no clips (then jobs show no live progress)
 * @param generationPaused why generation is paused (low disk space), or empty while it is not
 * @param console what operators may do at {@code /admin}; null for a station without a console
 * @param livingRoom the playlist, guide and tuner of media centers; null: those routes answer 404
 * @param spending what paid backends cost per channel, or null when nothing is priced
 * @param exports the clips' GIF and WebP exports; null: those routes answer 404
 * @param audience viewers' suggestions, votes and the public queue; null: the watch page has no
 *     suggestion box and those routes answer 404
 * @param media where a thumbnail this node lacks is fetched from (a bucket several nodes share)
 */
public record Site(
        Supplier<List<Channel>> lineup,
        Playout playout,
        ClipLibrary library,
        JobStore jobs,
        Pipeline pipeline,
        Path dataDir,
        Supplier<Optional<String>> generationPaused,
        Console console,
        LivingRoom livingRoom,
        Spending spending,
        ClipExports exports,
        Audience audience,
        MediaStore media) {
    public Site {
        Objects.requireNonNull(lineup, "lineup");
        Objects.requireNonNull(playout, "playout");
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(generationPaused, "generationPaused");
        Objects.requireNonNull(media, "media");
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** The channels on air now, in order. */
    public List<Channel> channels() {
        return List.copyOf(lineup.get());
    }

    /** The channels on air by id: a live, read-only view (each lookup reads the lineup as it is then). */
    Map<String, Channel> byId() {
        return new AbstractMap<>() {
            @Override
            public Channel get(Object id) {
                for (Channel channel : lineup.get()) {
                    if (channel.id().equals(id)) {
                        return channel;
                    }
                }
                return null;
            }

            @Override
            public boolean containsKey(Object id) {
                return get(id) != null;
            }

            @Override
            public Set<Entry<String, Channel>> entrySet() {
                List<Channel> now = channels();
                return new AbstractSet<>() {
                    @Override
                    public Iterator<Entry<String, Channel>> iterator() {
                        return now.stream()
                                .map(c -> (Entry<String, Channel>) new SimpleImmutableEntry<>(c.id(), c))
                                .iterator();
                    }

                    @Override
                    public int size() {
                        return now.size();
                    }
                };
            }
        };
    }

    /** A channel as the public pages show it: nothing else of its configuration (no push targets, no keys). */
    public record Channel(String id, String title, String theme) {}
}
