package tv.latent.web;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import tv.latent.library.ClipLibrary;
import tv.latent.pipeline.JobStore;
import tv.latent.pipeline.Pipeline;
import tv.latent.playout.Playout;
import tv.latent.storage.MediaStore;

/**
 * What the web server shows: the channels, their playout, the library and the pipeline's jobs.
 *
 * @param dataDir thumbnails are served only when they resolve under here
 * @param pipeline null when this process makes no clips (then jobs show no live progress)
 * @param generationPaused why generation is paused (low disk space), or empty while it is not
 * @param media where a thumbnail this node lacks is fetched from (a bucket several nodes share)
 */
public record Site(
        List<Channel> channels,
        Playout playout,
        ClipLibrary library,
        JobStore jobs,
        Pipeline pipeline,
        Path dataDir,
        Supplier<Optional<String>> generationPaused,
        MediaStore media) {
    public Site {
        channels = List.copyOf(channels);
        Objects.requireNonNull(playout, "playout");
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(generationPaused, "generationPaused");
        Objects.requireNonNull(media, "media");
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** A site whose media are all in its data directory. */
    public Site(
            List<Channel> channels,
            Playout playout,
            ClipLibrary library,
            JobStore jobs,
            Pipeline pipeline,
            Path dataDir,
            Supplier<Optional<String>> generationPaused) {
        this(channels, playout, library, jobs, pipeline, dataDir, generationPaused, MediaStore.local());
    }

    /** A channel as the public pages show it: nothing else of its configuration (no push targets, no keys). */
    public record Channel(String id, String title, String theme) {}
}
