package tv.latent.playout;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Re-stamped segments, least recently used evicted first, bounded by total bytes. Viewers of a
 * channel all ask for the same few segments, so a small cache serves nearly every request.
 *
 * <p>Thread-safe.
 */
final class SegmentCache {
    record Key(String channelId, long sequence) {}

    private final long maxBytes;
    private final LinkedHashMap<Key, byte[]> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    SegmentCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    synchronized byte[] get(Key key) {
        return entries.get(key);
    }

    /** Forgets a channel's segments from {@code sequence} on (airings dropped before they aired). */
    synchronized void evictFrom(String channelId, long sequence) {
        Iterator<Map.Entry<Key, byte[]>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, byte[]> e = it.next();
            if (e.getKey().channelId().equals(channelId) && e.getKey().sequence() >= sequence) {
                bytes -= e.getValue().length;
                it.remove();
            }
        }
    }

    synchronized void put(Key key, byte[] value) {
        byte[] previous = entries.put(key, value);
        bytes += value.length - (previous == null ? 0 : previous.length);
        Iterator<Map.Entry<Key, byte[]>> it = entries.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<Key, byte[]> eldest = it.next();
            if (eldest.getKey().equals(key)) {
                continue;
            }
            bytes -= eldest.getValue().length;
            it.remove();
        }
    }
}
