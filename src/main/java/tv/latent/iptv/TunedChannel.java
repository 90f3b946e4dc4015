package tv.latent.iptv;

/**
 * A channel as media centers see it.
 *
 * @param id the channel's id (its URLs use it)
 * @param number its guide number (the lineup's GuideNumber, the playlist's tvg-chno)
 * @param guideId its id in the XMLTV guide and the playlist's tvg-id: {@code {id}.latenttv}, the
 *     same whatever its number
 * @param logo the configured logo URL; empty: none
 */
public record TunedChannel(String id, String title, int number, String guideId, String logo) {
    static String guideIdOf(String channelId) {
        return channelId + ".latenttv";
    }
}
