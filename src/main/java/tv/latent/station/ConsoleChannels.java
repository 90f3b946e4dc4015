package tv.latent.station;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import tv.latent.library.Database;

/**
 * The channels made in the console ({@code console_channels}: each as the structure of a channel
 * of the YAML file, in JSON) and the channels an operator paused ({@code channel_pauses}). The SQL
 * of both tables is here. Thread-safe.
 */
final class ConsoleChannels {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private final Database db;
    private final InstantSource clock;

    ConsoleChannels(Database db, InstantSource clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Every console channel's settings, by id, oldest first; a row that is not JSON is skipped with a warning. */
    Map<String, Map<String, Object>> all() throws SQLException {
        return db.read(c -> {
            Map<String, Map<String, Object>> out = new LinkedHashMap<>();
            try (PreparedStatement s =
                            c.prepareStatement("SELECT id, document FROM console_channels ORDER BY created_at, id");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    try {
                        out.put(r.getString(1), JSON.readValue(r.getString(2), MAP));
                    } catch (JsonProcessingException e) {
                        org.slf4j.LoggerFactory.getLogger(ConsoleChannels.class)
                                .warn(
                                        "console channel {} is not readable, skipped: {}",
                                        r.getString(1),
                                        e.getOriginalMessage());
                    }
                }
            }
            return out;
        });
    }

    /** Stores a channel's settings (new, or replacing its old ones). */
    void put(String id, Map<String, Object> settings, String operator) throws SQLException {
        String document;
        try {
            document = JSON.writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the settings are not storable: " + e.getOriginalMessage(), e);
        }
        long now = clock.millis();
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    """
                    INSERT INTO console_channels (id, document, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at""")) {
                s.setString(1, id);
                s.setString(2, document);
                s.setString(3, operator);
                s.setLong(4, now);
                s.setLong(5, now);
                return s.executeUpdate();
            }
        });
    }

    /** Forgets a channel's settings (and its pause). */
    void delete(String id) throws SQLException {
        db.write(c -> {
            for (String sql : new String[] {
                "DELETE FROM console_channels WHERE id = ?", "DELETE FROM channel_pauses WHERE channel_id = ?"
            }) {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, id);
                    s.executeUpdate();
                }
            }
            return null;
        });
    }

    /** The channels paused by an operator. */
    Set<String> paused() throws SQLException {
        return db.read(c -> {
            Set<String> out = new LinkedHashSet<>();
            try (PreparedStatement s = c.prepareStatement("SELECT channel_id FROM channel_pauses");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        });
    }

    /** Pauses or resumes a channel (any channel, from the YAML or the console). */
    void pause(String id, boolean paused, String operator) throws SQLException {
        long now = clock.millis();
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    paused
                            ? "INSERT INTO channel_pauses (channel_id, paused_by, paused_at) VALUES (?, ?, ?) ON CONFLICT (channel_id)"
                                    + " DO UPDATE SET paused_by = excluded.paused_by, paused_at = excluded.paused_at"
                            : "DELETE FROM channel_pauses WHERE channel_id = ?")) {
                s.setString(1, id);
                if (paused) {
                    s.setString(2, operator);
                    s.setLong(3, now);
                }
                return s.executeUpdate();
            }
        });
    }
}
