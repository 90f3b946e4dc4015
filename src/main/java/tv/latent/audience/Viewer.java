package tv.latent.audience;

import java.util.Objects;

/**
 * Who sends a suggestion or a vote.
 *
 * @param id stable per viewer: the web's viewer id (a cookie), or {@code twitch:<user-id>}; at
 *     most 128 characters, no control characters
 * @param address the IP address the request came from, or "" when there is none (Twitch chat:
 *     the per-address limits then do not apply, the per-viewer and per-channel ones do)
 * @param displayName the name to show, as typed; checked like a suggestion (may be "")
 */
public record Viewer(String id, String address, String displayName, Source source) {
    public Viewer {
        Objects.requireNonNull(id, "id");
        address = address == null ? "" : address.strip();
        displayName = displayName == null ? "" : displayName;
        Objects.requireNonNull(source, "source");
        if (id.isBlank() || id.length() > 128 || id.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a viewer id must be 1 to 128 characters without control characters");
        }
        if (address.length() > 64) {
            throw new IllegalArgumentException("an address is at most 64 characters");
        }
    }

    /** A viewer of the watch page. */
    public static Viewer web(String id, String address, String displayName) {
        return new Viewer(id, address, displayName, Source.WEB);
    }
}
