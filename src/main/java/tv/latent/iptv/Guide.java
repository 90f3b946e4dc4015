package tv.latent.iptv;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import tv.latent.config.ChannelConfig;
import tv.latent.playout.Aired;
import tv.latent.schedule.Schedule;
import tv.latent.schedule.Showing;
import tv.latent.schedule.Slot;

/**
 * A channel's guide entries: its schedule's showings over the last {@link #PAST} and the next
 * {@link #AHEAD}, the past ones with what actually aired in them. Pure: given the schedule, the
 * channel's recent airings and the time, the same entries.
 */
final class Guide {
    /** How far back the guide goes (what aired, for catch-up and for the record). */
    static final Duration PAST = Duration.ofHours(6);
    /** How far ahead the guide is published: media centers want days. */
    static final Duration AHEAD = Duration.ofDays(7);
    /** How far back a programme's picture is looked for: the airing history the playout keeps. */
    static final Duration HISTORY = Duration.ofHours(24);
    /** Clip titles listed in a past entry's description; the rest are counted. */
    static final int TITLES_LISTED = 20;

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_AND_HOUR =
            DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm", Locale.ENGLISH);

    private Guide() {}

    /**
     * The channel's entries at {@code now}.
     *
     * @param history the channel's airings over the last {@link #HISTORY}, oldest first
     * @param generating whether the station makes new clips (then what is to come is new)
     * @param hasPicture whether a clip still has a thumbnail to show
     */
    static List<Programme> programmes(
            ChannelConfig channel, List<Aired> history, Instant now, boolean generating, Predicate<String> hasPicture) {
        Schedule schedule = channel.schedule();
        Map<Optional<Slot>, Optional<String>> pictures = pictures(schedule, history, hasPicture);
        List<Programme> out = new ArrayList<>();
        int next = 0;
        for (Showing showing : schedule.showings(now.minus(PAST), now.plus(AHEAD))) {
            while (next < history.size() && history.get(next).start().isBefore(showing.startInstant())) {
                next++;
            }
            Set<String> titles = new LinkedHashSet<>();
            int clips = 0;
            int fresh = 0;
            for (int i = next; i < history.size(); i++) {
                Aired a = history.get(i);
                if (!a.start().isBefore(showing.endInstant()) || a.start().isAfter(now)) {
                    break;
                }
                if (a.clipId().isPresent()) {
                    clips++;
                    fresh += a.fresh() ? 1 : 0;
                    titles.add(a.title());
                }
            }
            out.add(entry(
                    channel,
                    showing,
                    List.copyOf(titles),
                    newness(showing, now, clips, fresh, generating),
                    pictures.getOrDefault(showing.slot(), Optional.empty())));
        }
        return out;
    }

    /** New material or reruns: as it aired, where anything aired; else as it will (what the station makes). */
    private static Optional<Boolean> newness(Showing showing, Instant now, int clips, int fresh, boolean generating) {
        if (clips > 0) {
            return Optional.of(2 * fresh >= clips);
        }
        if (showing.endInstant().isAfter(now)) {
            return Optional.of(generating);
        }
        return Optional.empty(); // nothing aired: the station was down
    }

    private static Programme entry(
            ChannelConfig channel,
            Showing showing,
            List<String> titles,
            Optional<Boolean> fresh,
            Optional<String> picture) {
        ZonedDateTime start = showing.start();
        Optional<Slot> slot = showing.slot();
        String title = slot.map(Slot::title).orElse(channel.title());
        String about = slot.map(s -> s.description().isEmpty() ? sentence(s.theme()) : s.description())
                .orElse(sentence(channel.theme()));
        List<String> listed = titles.size() > TITLES_LISTED ? titles.subList(0, TITLES_LISTED) : titles;
        int more = titles.size() - listed.size();
        String description = listed.isEmpty()
                ? about
                : about + " Aired: " + String.join("; ", listed) + (more > 0 ? "; and " + more + " more." : ".");
        int episode = slot.isPresent() ? start.getDayOfYear() : (start.getDayOfYear() - 1) * 24 + start.getHour() + 1;
        return new Programme(
                channel.id(),
                showing.startInstant(),
                showing.endInstant(),
                title,
                (slot.isPresent() ? DAY : DAY_AND_HOUR).format(start),
                description,
                slot.map(Slot::category).orElse(Slot.DEFAULT_CATEGORY),
                start.getYear(),
                episode,
                listed,
                more,
                picture,
                fresh);
    }

    /** The newest clip with a picture aired in each programme (a slot, or the channel's own), over the history. */
    private static Map<Optional<Slot>, Optional<String>> pictures(
            Schedule schedule, List<Aired> history, Predicate<String> hasPicture) {
        Map<Optional<Slot>, Optional<String>> out = new HashMap<>();
        int programmes = schedule.slots().size() + 1;
        for (int i = history.size() - 1; i >= 0 && out.size() < programmes; i--) {
            Aired a = history.get(i);
            if (a.clipId().isEmpty()) {
                continue;
            }
            Optional<Slot> programme = schedule.slotAt(a.start());
            if (!out.containsKey(programme) && hasPicture.test(a.clipId().get())) {
                out.put(programme, a.clipId());
            }
        }
        return out;
    }

    /** A theme as a guide's sentence: capitalised, with a full stop. */
    static String sentence(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return t;
        }
        t = t.substring(0, 1).toUpperCase(Locale.ROOT) + t.substring(1);
        return t.endsWith(".") || t.endsWith("!") || t.endsWith("?") ? t : t + ".";
    }
}
