package tv.latent.station;

import java.time.InstantSource;
import java.util.Objects;
import tv.latent.time.MonotonicClock;

/**
 * The time a whole station runs on: every part that reads time (pipeline, lookahead, playout,
 * retention, disk guard) gets these two clocks from it, and every periodic loop sleeps through
 * {@link MonotonicClock#sleep}, so a test clock that runs faster than real time drives the whole
 * station consistently (a simulated month in minutes).
 *
 * <pre>{@code
 * Station.start(config, Station.Options.serving(0).withTime(StationTime.system()));
 * }</pre>
 *
 * <p>Work that takes real time keeps real deadlines whatever this says: model calls, ffmpeg,
 * HTTP timeouts, and the ages of files (they carry the operating system's clock).
 *
 * @param wall what instant it is: what airs when, when a clip was mastered, when a job is due
 * @param monotonic deadlines, backoffs and periodic loops; channel time advances with it
 */
public record StationTime(InstantSource wall, MonotonicClock monotonic) {
    public StationTime {
        Objects.requireNonNull(wall, "wall");
        Objects.requireNonNull(monotonic, "monotonic");
    }

    /** The system's clocks: what every station runs on outside tests. */
    public static StationTime system() {
        return new StationTime(InstantSource.system(), MonotonicClock.system());
    }
}
