package tv.latent.iptv;

import java.util.List;
import java.util.Map;

/**
 * The channels as an extended M3U playlist, the way IPTV players and media centers read one: the
 * guide's URL in the header ({@code url-tvg} and {@code x-tvg-url}), then per channel its guide
 * id, number, name, logo and group, and its continuous MPEG-TS URL on the next line.
 */
final class M3u {
    static final String GROUP = "LatentTV";

    private M3u() {}

    /** @param icons each channel's picture URL (by channel id), where it has one */
    static String render(String base, List<TunedChannel> channels, Map<String, String> icons) {
        String guide = base + "/iptv/xmltv.xml";
        StringBuilder out = new StringBuilder();
        out.append("#EXTM3U url-tvg=\"")
                .append(guide)
                .append("\" x-tvg-url=\"")
                .append(guide)
                .append("\"\n");
        for (TunedChannel channel : channels) {
            out.append("#EXTINF:0 tvg-id=\"")
                    .append(attribute(channel.guideId()))
                    .append("\" tvg-chno=\"")
                    .append(channel.number())
                    .append("\" tvg-name=\"")
                    .append(attribute(channel.title()))
                    .append("\" tvg-logo=\"")
                    .append(attribute(icons.getOrDefault(channel.id(), "")))
                    .append("\" group-title=\"")
                    .append(GROUP)
                    .append("\",")
                    .append(line(channel.title()))
                    .append('\n')
                    .append(streamUrl(base, channel.id()))
                    .append('\n');
        }
        return out.toString();
    }

    /** The channel's continuous MPEG-TS: no query string (Plex may append its own). */
    static String streamUrl(String base, String channelId) {
        return base + "/iptv/channel/" + channelId + ".ts";
    }

    /** A value between double quotes: no quote, no line break. */
    private static String attribute(String value) {
        return line(value).replace('"', '\'');
    }

    private static String line(String value) {
        return value.replace('\r', ' ').replace('\n', ' ');
    }
}
