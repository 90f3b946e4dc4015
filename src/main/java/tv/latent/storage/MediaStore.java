package tv.latent.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where media objects live beyond this node: masters, thumbnails, pre-cut segments and the stage
 * outputs of jobs in flight, each under its key, the path relative to the data directory that
 * {@code library/DataLayout} gives ({@code clips/nature/3f2a.../master.mp4}). With an S3-compatible
 * bucket ({@link S3Store}) the data directory becomes this node's cache of it: a node with an empty
 * disk fetches what it serves; without one ({@link #local()}) the data directory is the store and
 * every call here is a no-op.
 *
 * <pre>{@code
 * media.store("clips/tv/c1/master.mp4", master);       // retries until the bucket takes it
 * if (!media.fetch("clips/tv/c1/hls/0.ts", local)) { ... the bucket has no such object ... }
 * media.deleteAll("clips/tv/c1/");                      // retention
 * }</pre>
 *
 * <p>Objects are written once and never changed: a key always names the same bytes. Implementations
 * are thread-safe; {@link #close()} is idempotent.
 */
public interface MediaStore extends AutoCloseable {
    /** True when there is no store beyond the data directory. */
    boolean isLocal();

    /**
     * Uploads {@code file} as {@code key}, trying again with a backoff (see {@code time/Backoff})
     * until the store takes it: a store that is down pauses the caller, it does not lose the file.
     *
     * @throws InterruptedException when the caller is stopped meanwhile
     * @throws IOException when the file cannot be read, or the store is closed
     */
    void store(String key, Path file) throws IOException, InterruptedException;

    /**
     * One bounded try to upload {@code file} as {@code key} (for a caller that must not wait, such
     * as a channel's scheduler); false when the store is unreachable now.
     */
    boolean tryStore(String key, Path file);

    /**
     * Puts object {@code key} at {@code local} (written aside, then moved into place) unless a file
     * is there already.
     *
     * @return false when neither this node nor the store has it
     * @throws IOException when the store cannot be reached
     */
    boolean fetch(String key, Path local) throws IOException;

    /** Deletes every object whose key starts with {@code prefix}; deleting what is gone is no error. */
    void deleteAll(String prefix) throws IOException;

    /**
     * The names one level below {@code folder} (a key prefix ending in {@code /}): its sub-folders
     * and objects, without the prefix or a trailing {@code /}, as a listing by delimiter gives them.
     * Empty for the local store (the data directory is listed as files).
     */
    java.util.Set<String> children(String folder) throws IOException;

    /**
     * Whether uploads go through now: false while the store is unreachable, until a probe finds it
     * again. Generation pauses meanwhile. Cheap.
     */
    boolean writable();

    @Override
    void close();

    /** The data directory is the store: nothing to upload, fetch or delete elsewhere. */
    static MediaStore local() {
        return LocalStore.INSTANCE;
    }

    /** See {@link #local()}. */
    final class LocalStore implements MediaStore {
        static final LocalStore INSTANCE = new LocalStore();

        private LocalStore() {}

        @Override
        public boolean isLocal() {
            return true;
        }

        @Override
        public void store(String key, Path file) {}

        @Override
        public boolean tryStore(String key, Path file) {
            return true;
        }

        @Override
        public boolean fetch(String key, Path local) {
            return Files.exists(local);
        }

        @Override
        public void deleteAll(String prefix) {}

        @Override
        public java.util.Set<String> children(String folder) {
            return java.util.Set.of();
        }

        @Override
        public boolean writable() {
            return true;
        }

        @Override
        public void close() {}

        @Override
        public String toString() {
            return "the data directory";
        }
    }
}
