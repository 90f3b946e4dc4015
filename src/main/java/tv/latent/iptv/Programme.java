package tv.latent.iptv;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One entry of the guide: a showing of a programme on a channel.
 *
 * @param episode the showing's number within its programme's year (a slot: the day of the year;
 *     the channel's own programme: the hour of the year), so media centers file it as an episode
 * @param season the local year it starts in
 * @param aired titles of the clips that aired in it, in order, each once (empty: nothing aired
 *     yet, or it is still to come)
 * @param iconClip a recent clip of the same programme, for its picture
 * @param fresh true: new material (fresh clips aired, or will); false: reruns
 */
record Programme(
        String channelId,
        Instant start,
        Instant end,
        String title,
        String subTitle,
        String description,
        String category,
        int season,
        int episode,
        List<String> aired,
        int airedMore,
        Optional<String> iconClip,
        Optional<Boolean> fresh) {
    Programme {
        aired = List.copyOf(aired);
    }

    /** The episode in XMLTV's own numbering (each part counted from zero): {@code season.episode.}. */
    String xmltvNs() {
        return (season - 1) + "." + (episode - 1) + ".";
    }

    /** The episode as a screen shows it: {@code S2026E61}. */
    String onScreen() {
        return "S" + season + "E" + episode;
    }
}
