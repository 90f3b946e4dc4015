/**
 * The audience loop: viewers suggest shots from the watch page and from Twitch chat, vote, and
 * follow their suggestion to air.
 *
 * <p>Entry points: {@link tv.latent.audience.Audience} (suggest, vote, the public queue and its
 * listener, operators' review, the credit a clip's caption shows) and {@link
 * tv.latent.audience.TwitchInput} (a channel's chat as a second input, {@code !shot} and
 * {@code !vote}, with optional replies). Inside, each channel's {@link
 * tv.latent.audience.ChannelDesk} picks and follows suggestions on its own thread, and {@link
 * tv.latent.audience.SuggestionStatus} words where a suggestion is for its viewer. Answers are {@link tv.latent.audience.Reply}s; what
 * viewers may see of a suggestion is a {@link tv.latent.audience.SuggestionView}, never its
 * viewer id or a moderation reason. A suggestion's lifecycle is {@link
 * tv.latent.audience.SuggestionState}, with one transition table.
 *
 * <p>The web layer (routes, pages, SSE, escaping) is not here: it calls these methods and shows
 * their plain-text answers.
 *
 * <p>May depend on: {@code moderation}, {@code director}, {@code pipeline}, {@code playout},
 * {@code library}, {@code config}, {@code backend.twitch}, {@code time}, {@code logging}.
 */
package tv.latent.audience;
