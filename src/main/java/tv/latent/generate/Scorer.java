package tv.latent.generate;

import java.io.IOException;

/** Music for a clip from a music prompt. Thread-safe, like every stage. */
public interface Scorer extends AutoCloseable {
    /** Writes at least {@code seconds} of audio (the master stage trims it) into a new file. */
    StageOutput score(ScoreRequest request, StageContext context) throws IOException, InterruptedException;

    @Override
    default void close() {}

    /** Music to make: what it should sound like, how long, and the seed that fixes the rest. */
    record ScoreRequest(String musicPrompt, double seconds, long seed) {}
}
