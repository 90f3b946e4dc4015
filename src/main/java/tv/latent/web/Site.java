package tv.latent.web;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import tv.latent.library.ClipLibrary;
import tv.latent.pipeline.JobStore;
import tv.latent.pipeline.Pipeline;
import tv.latent.pipeline.Spending;
import tv.latent.playout.Playout;

/**
 * What the web server shows: the channels, their playout, the library and the pipeline's jobs.
 *
 * @param dataDir thumbnails are served only when they resolve under here
 * @param pipeline null when this process makes no clips (then jobs show no live progress)
 * @param spending what paid backends cost per channel, or null when nothing is priced
 */
public record Site(
        List<Channel> channels,
        Playout playout,
        ClipLibrary library,
        JobStore jobs,
        Pipeline pipeline,
        Path dataDir,
        Spending spending) {

    /** A site without spend figures. */
    public Site(
            List<Channel> channels,
            Playout playout,
            ClipLibrary library,
            JobStore jobs,
            Pipeline pipeline,
            Path dataDir) {
        this(channels, playout, library, jobs, pipeline, dataDir, null);
    }

    public Site {
        channels = List.copyOf(channels);
        Objects.requireNonNull(playout, "playout");
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(jobs, "jobs");
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** A channel as the public pages show it: nothing else of its configuration (no push targets, no keys). */
    public record Channel(String id, String title, String theme) {}
}
