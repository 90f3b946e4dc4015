package tv.latent.backend.fal;

/** Hears how a queued request goes; called on the polling thread, must be fast. */
@FunctionalInterface
public interface FalListener {
    void status(FalStatus status);

    FalListener NONE = status -> {};
}
