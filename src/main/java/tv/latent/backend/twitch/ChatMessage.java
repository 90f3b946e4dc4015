package tv.latent.backend.twitch;

import java.util.Map;

/**
 * One chat message of the joined channel, with the tags Twitch sends (the {@code twitch.tv/tags}
 * capability). All text is as the sender typed it: plain text, untrusted.
 *
 * @param channel the channel's login, without {@code #}
 * @param id the message's id ({@code id} tag), or ""
 * @param userId the sender's stable numeric id ({@code user-id} tag), or "" when absent
 * @param login the sender's login (from the prefix)
 * @param displayName the sender's display name ({@code display-name} tag), or the login
 */
public record ChatMessage(
        String channel,
        String id,
        String userId,
        String login,
        String displayName,
        String text,
        Map<String, String> tags) {
    public ChatMessage {
        tags = Map.copyOf(tags);
    }
}
