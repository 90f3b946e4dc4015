package tv.latent.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tv.latent.library.Database;

class AuditTest {
    @TempDir
    Path dir;

    @Test
    void entriesArePagedNewestFirstUntilTheOldest() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        try (Database db = Database.open(dir.resolve("a.db"))) {
            Audit audit = new Audit(db, now::get, Duration.ofDays(30));
            for (int i = 0; i < 120; i++) {
                audit.record("alice", "clip.off-air", "clip " + i, "reason " + i);
            }
            List<String> subjects = new ArrayList<>();
            OptionalLong next = OptionalLong.empty();
            List<Integer> sizes = new ArrayList<>();
            do {
                Audit.Page page = audit.page(next, 50);
                sizes.add(page.entries().size());
                page.entries().forEach(e -> subjects.add(e.subject()));
                next = page.next();
            } while (next.isPresent());
            assertThat(sizes).containsExactly(50, 50, 20);
            assertThat(subjects).hasSize(120).startsWith("clip 119", "clip 118").endsWith("clip 0");
        }
    }

    @Test
    void entriesOlderThanTheRetentionAgeGoAndNoEntryCanBeChanged() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        InstantSource clock = now::get;
        try (Database db = Database.open(dir.resolve("a.db"))) {
            Audit audit = new Audit(db, clock, Duration.ofDays(30));
            audit.record("alice", "channel.create", "channel old", "");
            now.set(now.get().plus(Duration.ofDays(31)));
            audit.record("bob", "channel.delete", "channel new", "");
            assertThat(audit.page(OptionalLong.empty(), 10).entries())
                    .extracting(Audit.Entry::subject)
                    .containsExactly("channel new");
            assertThatThrownBy(() ->
                            db.write(c -> c.createStatement().executeUpdate("UPDATE audit_log SET actor = 'mallory'")))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
        }
    }
}
