/**
 * A client for Twitch chat over IRC (TLS on 6697 or plain on 6667): tags and commands
 * capabilities, an anonymous read-only login ({@code justinfan<digits>}) or a bot's OAuth token,
 * one channel joined, PING answered, RECONNECT and dropped connections followed by a reconnect
 * after a backoff, a refused login stopping it with the server's reason. Sending respects the
 * chat's limit (20 messages in 30 s) through a bounded queue.
 *
 * <p>Entry point: {@link tv.latent.backend.twitch.TwitchChat}; messages arrive as
 * {@link tv.latent.backend.twitch.ChatMessage}s; lines are parsed by
 * {@link tv.latent.backend.twitch.IrcLine}.
 *
 * <p>May depend on: slf4j, the JDK and {@code tv.latent.time} (its backoff); on no other
 * LatentTV package.
 */
package tv.latent.backend.twitch;
