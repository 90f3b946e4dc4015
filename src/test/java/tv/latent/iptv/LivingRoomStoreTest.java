package tv.latent.iptv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.library.Database;

/** The tuner's DeviceID and the channels' numbers stay what they were, restart after restart. */
class LivingRoomStoreTest {
    @TempDir
    Path dir;

    private static Map<String, OptionalInt> channels(Object... idsAndNumbers) {
        Map<String, OptionalInt> out = new LinkedHashMap<>();
        for (int i = 0; i < idsAndNumbers.length; i += 2) {
            Integer n = (Integer) idsAndNumbers[i + 1];
            out.put((String) idsAndNumbers[i], n == null ? OptionalInt.empty() : OptionalInt.of(n));
        }
        return out;
    }

    @Test
    void theDeviceIdIsMadeOnceWithAValidCheckDigit() throws Exception {
        String first;
        try (Database db = Database.open(dir.resolve("db"))) {
            first = new LivingRoomStore(db).deviceId();
        }
        try (Database db = Database.open(dir.resolve("db"))) {
            assertThat(new LivingRoomStore(db).deviceId()).isEqualTo(first);
        }
        assertThat(first).matches("[0-9A-F]{8}");
        assertThat(LivingRoomStore.checkSum(Integer.parseUnsignedInt(first, 16)))
                .isZero();
        for (int random : new int[] {0, 1, 0x0ABCDEF, 0x0FFFFFFF, 12345}) {
            String id = LivingRoomStore.newDeviceId(random);
            assertThat(LivingRoomStore.checkSum(Integer.parseUnsignedInt(id, 16)))
                    .as(id)
                    .isZero();
        }
        // a mistyped digit is caught
        assertThat(LivingRoomStore.checkSum(Integer.parseUnsignedInt(first, 16) ^ 0x10))
                .isNotZero();
    }

    @Test
    void numbersStayTheSameWhenChannelsComeGoAndMove() throws Exception {
        try (Database db = Database.open(dir.resolve("db"))) {
            LivingRoomStore store = new LivingRoomStore(db);
            assertThat(store.numbers(channels("news", null, "wild", null)))
                    .containsExactly(Map.entry("news", 1), Map.entry("wild", 2));
            // a new channel first in the file, and news gone: wild keeps 2, the newcomer gets a number never used
            assertThat(store.numbers(channels("cats", null, "wild", null)))
                    .containsExactly(Map.entry("cats", 3), Map.entry("wild", 2));
            // news comes back to its own number
            assertThat(store.numbers(channels("news", null, "cats", null, "wild", null)))
                    .containsEntry("news", 1)
                    .containsEntry("cats", 3)
                    .containsEntry("wild", 2);
            // a number set in the YAML wins; the channel that had it gets another
            assertThat(store.numbers(channels("news", null, "cats", 2, "wild", null)))
                    .containsEntry("cats", 2)
                    .containsEntry("news", 1)
                    .containsEntry("wild", 4);
        }
        try (Database db = Database.open(dir.resolve("db"))) {
            assertThat(new LivingRoomStore(db).numbers(channels("news", null, "cats", 2, "wild", null)))
                    .containsEntry("wild", 4);
        }
    }
}
