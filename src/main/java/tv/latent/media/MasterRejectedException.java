package tv.latent.media;

/** A master that came out of the encoder but is not exactly the house format. */
public final class MasterRejectedException extends java.io.IOException {
    public MasterRejectedException(String message) {
        super(message);
    }
}
