package tv.latent.auth;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import tv.latent.library.Database;
import tv.latent.time.MonotonicClock;

/**
 * Who may operate the station: operators with argon2id passwords, their login sessions (each with
 * the CSRF token its state-changing requests must carry) and API tokens for automation. Only
 * hashes are stored; a session id or a token is seen once, by the one who gets it.
 *
 * <pre>{@code
 * Auth auth = new Auth(db, InstantSource.system(), MonotonicClock.system(), Auth.Settings.DEFAULT);
 * auth.firstStart(System::getenv).ifPresent(pw -> System.out.println("password: " + pw));
 * switch (auth.login("admin", password, clientAddress)) {
 *   case Auth.LoggedIn in -> setCookie(in.sessionCookie());
 *   case Auth.Refused no -> answer(no.status(), no.message());
 * }
 * Optional<Auth.Operator> who = auth.session(cookieValue); // or auth.token(bearer)
 * }</pre>
 *
 * <p>Logins are rate limited per address and per account ({@link LoginThrottle}) before a hash is
 * computed. A session lasts {@link Settings#session()} from login; the time it was last seen is
 * written at most once a minute. Thread-safe.
 */
public final class Auth {
    /** The first operator's name. */
    public static final String FIRST_OPERATOR = "admin";
    /** The environment variable that holds the first operator's password at first start. */
    public static final String PASSWORD_ENV = "LATENTTV_ADMIN_PASSWORD";
    /** Shortest password accepted from the environment. */
    public static final int MIN_PASSWORD = 12;

    private static final Pattern TOKEN = Pattern.compile("ltv_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})");
    private static final Pattern TOKEN_NAME = Pattern.compile("[\\p{L}\\p{N} ._-]{1,60}");
    private static final long SEEN_EVERY_MS = 60_000;
    private static final int TOKENS_MAX = 100;
    /** Passwords longer than this are refused before hashing: a megabyte password must not cost a megabyte of argon2. */
    private static final int PASSWORD_MAX = 1_024;

    private final Database db;
    private final InstantSource clock;
    private final Settings settings;
    private final LoginThrottle throttle;

    /**
     * @param session how long a login lasts
     * @param attemptsPerAddress login attempts one address may make per {@code window}
     * @param failuresPerAccount failed logins an account takes per {@code window} before it waits
     */
    public record Settings(Duration session, int attemptsPerAddress, int failuresPerAccount, Duration window) {
        /** 12-hour sessions; 10 attempts per address and 5 failures per account in 5 minutes. */
        public static final Settings DEFAULT = new Settings(Duration.ofHours(12), 10, 5, Duration.ofMinutes(5));
    }

    /** An authenticated operator. {@code csrf} is the session's token; empty for an API token (no cookie, no CSRF). */
    public record Operator(String name, Optional<String> csrf) {
        public boolean viaToken() {
            return csrf.isEmpty();
        }
    }

    /** What a login gives. */
    public sealed interface Login permits LoggedIn, Refused {}

    /** The password was right: {@code sessionCookie} is the new session's id (seen only here). */
    public record LoggedIn(Operator operator, String sessionCookie) implements Login {}

    /**
     * No session: wrong name or password (401), or too many attempts (429, with {@code retryAfterSeconds}).
     *
     * @param message what to tell the person, plainly
     */
    public record Refused(int status, String message, int retryAfterSeconds) implements Login {}

    /** An API token as the console lists it (the secret is never shown again). */
    public record TokenInfo(
            String id, String name, String operator, Instant created, Optional<Instant> used, boolean revoked) {}

    /** A token just made: {@code token} is the whole secret, shown once. */
    public record NewToken(TokenInfo info, String token) {}

    public Auth(Database db, InstantSource clock, MonotonicClock monotonic, Settings settings) {
        this.db = db;
        this.clock = clock;
        this.settings = settings;
        this.throttle = new LoginThrottle(
                settings.attemptsPerAddress(), settings.failuresPerAccount(), settings.window(), monotonic);
    }

    public Settings settings() {
        return settings;
    }

    /**
     * At the first start (no operator yet), makes {@link #FIRST_OPERATOR} with the password in
     * {@link #PASSWORD_ENV}, or with a generated one, returned so that it is printed once (only its
     * hash is kept). Later starts change nothing and return empty.
     *
     * @throws IllegalArgumentException when the variable is set but shorter than {@link #MIN_PASSWORD}
     */
    public Optional<String> firstStart(Function<String, String> env) throws SQLException {
        if (operators() > 0) {
            return Optional.empty();
        }
        String given = env.apply(PASSWORD_ENV);
        boolean generated = given == null || given.isEmpty();
        if (!generated && (given.length() < MIN_PASSWORD || given.length() > PASSWORD_MAX)) {
            throw new IllegalArgumentException(
                    PASSWORD_ENV + " must hold " + MIN_PASSWORD + " to " + PASSWORD_MAX + " characters");
        }
        String password = generated ? Secrets.random(18) : given;
        String hash = Argon2id.hash(password);
        boolean made = db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO operators (name, password_hash, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                s.setString(1, FIRST_OPERATOR);
                s.setString(2, hash);
                s.setLong(3, clock.millis());
                return s.executeUpdate() == 1;
            }
        });
        return made && generated ? Optional.of(password) : Optional.empty();
    }

    private int operators() throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM operators");
                    ResultSet r = s.executeQuery()) {
                return r.next() ? r.getInt(1) : 0;
            }
        });
    }

    /** Checks a password (after the rate limits) and opens a session when it is right. */
    public Login login(String name, String password, String address) throws SQLException {
        String account = name == null ? "" : name.strip();
        Optional<LoginThrottle.Refusal> refused = throttle.admit(address, account);
        if (refused.isPresent()) {
            return new Refused(429, refused.get().message(), (int)
                    Math.max(1, refused.get().retryIn().toSeconds()));
        }
        String stored = account.isEmpty() || password == null || password.length() > PASSWORD_MAX
                ? null
                : db.read(c -> {
                    try (PreparedStatement s =
                            c.prepareStatement("SELECT password_hash FROM operators WHERE name = ?")) {
                        s.setString(1, account);
                        try (ResultSet r = s.executeQuery()) {
                            return r.next() ? r.getString(1) : null;
                        }
                    }
                });
        // an unknown name costs the same hash as a known one: the answer's time does not tell names apart
        boolean right =
                Argon2id.verify(password == null ? "" : password, stored == null ? DECOY : stored) && stored != null;
        if (!right) {
            throttle.failed(account);
            return new Refused(401, "Wrong name or password.", 0);
        }
        throttle.succeeded(account);
        String cookie = Secrets.random(32);
        String csrf = Secrets.random(32);
        long now = clock.millis();
        db.write(c -> {
            try (PreparedStatement prune = c.prepareStatement("DELETE FROM operator_sessions WHERE expires_at < ?")) {
                prune.setLong(1, now);
                prune.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO operator_sessions (id_hash, operator, csrf, created_at, seen_at, expires_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, Secrets.sha256(cookie));
                s.setString(2, account);
                s.setString(3, csrf);
                s.setLong(4, now);
                s.setLong(5, now);
                s.setLong(6, now + settings.session().toMillis());
                s.executeUpdate();
            }
            return null;
        });
        return new LoggedIn(new Operator(account, Optional.of(csrf)), cookie);
    }

    /** A hash no password matches (a random salt and hash of the same cost), verified for unknown names. */
    private static final String DECOY = Argon2id.hash(Secrets.random(24));

    /** The operator of a live session, from the session cookie's value. */
    public Optional<Operator> session(String cookie) throws SQLException {
        if (cookie == null || cookie.length() != 43) {
            return Optional.empty();
        }
        String id = Secrets.sha256(cookie);
        long now = clock.millis();
        record Row(String operator, String csrf, long seen) {}
        Row row = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT operator, csrf, seen_at FROM operator_sessions WHERE id_hash = ? AND expires_at > ?")) {
                s.setString(1, id);
                s.setLong(2, now);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? new Row(r.getString(1), r.getString(2), r.getLong(3)) : null;
                }
            }
        });
        if (row == null) {
            return Optional.empty();
        }
        if (now - row.seen() >= SEEN_EVERY_MS) {
            db.write(c -> {
                try (PreparedStatement s =
                        c.prepareStatement("UPDATE operator_sessions SET seen_at = ? WHERE id_hash = ?")) {
                    s.setLong(1, now);
                    s.setString(2, id);
                    return s.executeUpdate();
                }
            });
        }
        return Optional.of(new Operator(row.operator(), Optional.of(row.csrf())));
    }

    /** Ends a session (logout); unknown cookies are ignored. */
    public void logout(String cookie) throws SQLException {
        if (cookie == null) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM operator_sessions WHERE id_hash = ?")) {
                s.setString(1, Secrets.sha256(cookie));
                return s.executeUpdate();
            }
        });
    }

    /** The operator an API token ({@code Authorization: Bearer ltv_...}) stands for, unless revoked. */
    public Optional<Operator> token(String bearer) throws SQLException {
        var m = TOKEN.matcher(bearer == null ? "" : bearer);
        if (!m.matches()) {
            return Optional.empty();
        }
        String id = m.group(1);
        String hash = Secrets.sha256(m.group(2));
        long now = clock.millis();
        record Row(String operator, String hash, Long used) {}
        Row row = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT operator, secret_hash, used_at FROM api_tokens WHERE id = ? AND revoked_at IS NULL")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return null;
                    }
                    long used = r.getLong(3);
                    return new Row(r.getString(1), r.getString(2), r.wasNull() ? null : used);
                }
            }
        });
        if (row == null || !Secrets.same(row.hash(), hash)) {
            return Optional.empty();
        }
        if (row.used() == null || now - row.used() >= SEEN_EVERY_MS) {
            db.write(c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE api_tokens SET used_at = ? WHERE id = ?")) {
                    s.setLong(1, now);
                    s.setString(2, id);
                    return s.executeUpdate();
                }
            });
        }
        return Optional.of(new Operator(row.operator(), Optional.empty()));
    }

    /**
     * Makes an API token for {@code operator}; the returned secret is the only copy.
     *
     * @throws IllegalArgumentException when the name is not 1-60 letters, digits, spaces, '.', '_' or
     *     '-', or {@link #TOKENS_MAX} tokens exist already
     */
    public NewToken createToken(String operator, String name) throws SQLException {
        String label = name == null ? "" : name.strip();
        if (!TOKEN_NAME.matcher(label).matches()) {
            throw new IllegalArgumentException("a token's name is 1 to 60 letters, digits, spaces, '.', '_' or '-'");
        }
        String id = Secrets.random(9).replace('-', 'x').replace('_', 'y');
        String secret = Secrets.random(32);
        long now = clock.millis();
        db.write(c -> {
            try (PreparedStatement count =
                            c.prepareStatement("SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NULL");
                    ResultSet r = count.executeQuery()) {
                if (r.next() && r.getInt(1) >= TOKENS_MAX) {
                    throw new IllegalArgumentException("there are " + TOKENS_MAX + " tokens already; revoke one first");
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO api_tokens (id, name, operator, secret_hash, created_at) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, id);
                s.setString(2, label);
                s.setString(3, operator);
                s.setString(4, Secrets.sha256(secret));
                s.setLong(5, now);
                return s.executeUpdate();
            }
        });
        return new NewToken(
                new TokenInfo(id, label, operator, Instant.ofEpochMilli(now), Optional.empty(), false),
                "ltv_" + id + "_" + secret);
    }

    /** Every token not revoked, newest first. */
    public List<TokenInfo> tokens() throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                            "SELECT id, name, operator, created_at, used_at FROM api_tokens WHERE revoked_at IS NULL"
                                    + " ORDER BY created_at DESC LIMIT " + TOKENS_MAX);
                    ResultSet r = s.executeQuery()) {
                List<TokenInfo> out = new ArrayList<>();
                while (r.next()) {
                    long used = r.getLong(5);
                    Optional<Instant> usedAt = r.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(used));
                    out.add(new TokenInfo(
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            Instant.ofEpochMilli(r.getLong(4)),
                            usedAt,
                            false));
                }
                return out;
            }
        });
    }

    /** Revokes a token at once; false when no such live token. */
    public boolean revokeToken(String id) throws SQLException {
        long now = clock.millis();
        return db.write(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                s.setLong(1, now);
                s.setString(2, id);
                return s.executeUpdate() == 1;
            }
        });
    }
}
