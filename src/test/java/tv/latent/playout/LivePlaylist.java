package tv.latent.playout;

import java.util.ArrayList;
import java.util.List;

/** A parsed live playlist, for assertions. */
record LivePlaylist(
        String text, int targetDuration, long mediaSequence, long discontinuitySequence, List<Entry> entries) {
    record Entry(long sequence, String name, double seconds, boolean discontinuity, String programDateTime) {}

    static LivePlaylist parse(String text) {
        int target = -1;
        long sequence = -1;
        long discontinuities = 0;
        List<Entry> entries = new ArrayList<>();
        boolean discontinuity = false;
        String dateTime = null;
        double seconds = -1;
        for (String line : text.split("\n")) {
            if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                target = Integer.parseInt(line.substring(22));
            } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                sequence = Long.parseLong(line.substring(22));
            } else if (line.startsWith("#EXT-X-DISCONTINUITY-SEQUENCE:")) {
                discontinuities = Long.parseLong(line.substring(30));
            } else if (line.equals("#EXT-X-DISCONTINUITY")) {
                discontinuity = true;
            } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                dateTime = line.substring(25);
            } else if (line.startsWith("#EXTINF:")) {
                seconds = Double.parseDouble(line.substring(8, line.indexOf(',')));
            } else if (!line.isBlank() && !line.startsWith("#")) {
                entries.add(new Entry(sequence + entries.size(), line, seconds, discontinuity, dateTime));
                discontinuity = false;
                dateTime = null;
            }
        }
        return new LivePlaylist(text, target, sequence, discontinuities, List.copyOf(entries));
    }

    Entry last() {
        return entries.getLast();
    }
}
