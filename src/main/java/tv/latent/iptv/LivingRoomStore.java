package tv.latent.iptv;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import tv.latent.library.Database;

/**
 * The SQL of {@code living_room_device} and {@code living_room_channel}: the tuner's DeviceID and
 * the channels' numbers, kept so that media centers find the same tuner and the same channels
 * after every restart. Thread-safe (each call is one transaction).
 */
final class LivingRoomStore {
    /** The check libhdhomerun applies to a DeviceID: the nibbles, every other one through this table, XOR to zero. */
    private static final int[] CHECK = {0xA, 0x5, 0xF, 0x6, 0x7, 0xC, 0x1, 0xB, 0x9, 0x2, 0x8, 0xD, 0x4, 0x3, 0xE, 0x0};

    private final Database db;

    LivingRoomStore(Database db) {
        this.db = db;
    }

    /** The tuner's DeviceID: made once (random, with a valid check digit) and kept. */
    String deviceId() throws SQLException {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT device_id FROM living_room_device")) {
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        return r.getString(1);
                    }
                }
            }
            String made = newDeviceId(new SecureRandom().nextInt(1 << 28));
            try (PreparedStatement s =
                    c.prepareStatement("INSERT INTO living_room_device (singleton, device_id) VALUES (1, ?)")) {
                s.setString(1, made);
                s.executeUpdate();
            }
            return made;
        });
    }

    /** A DeviceID from 28 random bits: seven hex digits and the check digit that makes it valid. */
    static String newDeviceId(int random28) {
        int high = (random28 & 0x0FFF_FFFF) << 4;
        return String.format("%08X", high | checkSum(high));
    }

    /** XOR of the nibbles, the odd ones (counting from the top) through {@link #CHECK}; 0 for a valid id. */
    static int checkSum(int id) {
        int sum = 0;
        for (int nibble = 7; nibble >= 0; nibble--) {
            int value = (id >>> (nibble * 4)) & 0xF;
            sum ^= nibble % 2 == 1 ? CHECK[value] : value;
        }
        return sum;
    }

    /**
     * Each channel's number: the one the YAML sets; else the one it had before, unless a channel
     * now sets that number; else the smallest number no channel ever had. Kept, in one transaction.
     *
     * @param wanted channel ids in configuration order, with the number each sets (if any)
     */
    Map<String, Integer> numbers(Map<String, OptionalInt> wanted) throws SQLException {
        return db.write(c -> {
            Map<String, Integer> stored = stored(c);
            Set<Integer> configured = new HashSet<>();
            wanted.values().forEach(n -> n.ifPresent(configured::add));
            Map<String, Integer> out = new LinkedHashMap<>();
            Set<Integer> used = new HashSet<>(configured);
            for (Map.Entry<String, OptionalInt> e : wanted.entrySet()) {
                if (e.getValue().isPresent()) {
                    out.put(e.getKey(), e.getValue().getAsInt());
                    continue;
                }
                Integer before = stored.get(e.getKey());
                if (before != null && !used.contains(before)) {
                    out.put(e.getKey(), before);
                    used.add(before);
                }
            }
            Set<Integer> everHad = new HashSet<>(stored.values());
            int next = 1;
            for (String id : wanted.keySet()) {
                if (!out.containsKey(id)) {
                    while (used.contains(next) || everHad.contains(next)) {
                        next++;
                    }
                    out.put(id, next);
                    used.add(next);
                }
            }
            keep(c, out, stored);
            Map<String, Integer> ordered = new LinkedHashMap<>();
            wanted.keySet().forEach(id -> ordered.put(id, out.get(id)));
            return ordered;
        });
    }

    private static Map<String, Integer> stored(Connection c) throws SQLException {
        Map<String, Integer> stored = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT channel_id, number FROM living_room_channel")) {
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    stored.put(r.getString(1), r.getInt(2));
                }
            }
        }
        return stored;
    }

    /** Stores the numbers; a channel no longer configured loses its number only when another now has it. */
    private static void keep(Connection c, Map<String, Integer> numbers, Map<String, Integer> stored)
            throws SQLException {
        Map<Integer, String> holder = new HashMap<>();
        stored.forEach((id, n) -> holder.put(n, id));
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM living_room_channel WHERE channel_id = ?");
                PreparedStatement insert =
                        c.prepareStatement("INSERT INTO living_room_channel (channel_id, number) VALUES (?, ?)")) {
            for (Map.Entry<String, Integer> e : numbers.entrySet()) {
                if (Optional.ofNullable(stored.get(e.getKey())).equals(Optional.of(e.getValue()))) {
                    continue;
                }
                delete.setString(1, e.getKey());
                delete.executeUpdate();
            }
            for (Map.Entry<String, Integer> e : numbers.entrySet()) {
                if (Optional.ofNullable(stored.get(e.getKey())).equals(Optional.of(e.getValue()))) {
                    continue;
                }
                String other = holder.get(e.getValue());
                if (other != null && !other.equals(e.getKey()) && !numbers.containsKey(other)) {
                    delete.setString(1, other);
                    delete.executeUpdate();
                }
                insert.setString(1, e.getKey());
                insert.setInt(2, e.getValue());
                insert.executeUpdate();
            }
        }
    }
}
