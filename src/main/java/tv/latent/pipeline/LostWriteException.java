package tv.latent.pipeline;

/**
 * A job changed under us: its stored version was not the one this update started from, or (with
 * several nodes) this node's lease on it had lapsed.
 */
public final class LostWriteException extends IllegalStateException {
    public LostWriteException(String jobId, long expectedVersion) {
        super("shot job " + jobId + " was changed by someone else (expected version " + expectedVersion + ")");
    }
}
