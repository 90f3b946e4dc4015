package tv.latent.audience;

/**
 * Whose suggestion a clip was made of, for its caption ("suggested by Ada").
 *
 * @param displayName the name the viewer gave, or "" (caption it as "a viewer")
 * @param number the suggestion's number on its channel
 * @param text the suggestion as the viewer wrote it (plain text, to be escaped when shown)
 */
public record Credit(String channelId, String clipId, String displayName, long number, Source source, String text) {}
