package tv.latent.audience;

/** Where a suggestion or vote came from. */
public enum Source {
    /** The watch page's box. */
    WEB,
    /** A channel's Twitch chat ({@code !shot}, {@code !vote}). */
    TWITCH
}
