package tv.latent.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One Flyway history, two engines: every SQLite migration ({@code db/migration}) has a PostgreSQL
 * twin ({@code db/postgresql}) of the same version and description, and the other way round. A
 * branch that adds {@code V42__votes.sql} for SQLite adds {@code db/postgresql/V42__votes.sql}
 * beside it, with PostgreSQL's types (BIGINT for epoch milliseconds and 90 kHz ticks, DOUBLE
 * PRECISION for reals, PL/pgSQL for triggers).
 */
class MigrationTwinsTest {
    private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");

    @Test
    void everyMigrationHasATwinOfTheSameVersionAndNameForTheOtherEngine() throws Exception {
        Map<Integer, String> sqlite = migrations("db/migration");
        Map<Integer, String> postgres = migrations("db/postgresql");

        assertThat(sqlite).as("SQLite migrations").isNotEmpty().containsKeys(1, 2, 3, 4, 5, 20);
        assertThat(postgres)
                .as("db/postgresql must hold a twin of each db/migration file (same version, same name)")
                .isEqualTo(sqlite);
    }

    @Test
    void postgresMigrationsUseNoSqliteOnlySyntax() throws Exception {
        Path dir = resource("db/postgresql");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String sql = Files.readString(file).replaceAll("--[^\\n]*", "");
                assertThat(sql)
                        .as(file.getFileName().toString())
                        .doesNotContainIgnoringCase("rowid")
                        .doesNotContainIgnoringCase("INSERT OR ")
                        .doesNotContainIgnoringCase("AUTOINCREMENT")
                        .doesNotContainIgnoringCase(" REAL")
                        .doesNotContainIgnoringCase("PRAGMA");
            }
        }
    }

    private static Map<Integer, String> migrations(String location) throws Exception {
        Map<Integer, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(resource(location))) {
            for (Path file : files.toList()) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                assertThat(m.matches())
                        .as(location + "/" + file.getFileName() + " is named V<version>__<description>.sql")
                        .isTrue();
                String before = out.put(Integer.parseInt(m.group(1)), m.group(2));
                assertThat(before)
                        .as("two migrations of version " + m.group(1) + " in " + location)
                        .isNull();
            }
        }
        return out;
    }

    private static Path resource(String location) throws IOException, URISyntaxException {
        var url = MigrationTwinsTest.class.getClassLoader().getResource(location);
        if (url == null) {
            throw new IOException(location + " is not on the classpath");
        }
        return Path.of(url.toURI());
    }
}
