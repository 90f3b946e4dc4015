package tv.latent.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import tv.latent.director.ShotPlan;
import tv.latent.library.Database;

/**
 * Shot jobs in the database. Every change goes through {@link #update}, which enforces the
 * {@link JobState} transition table and detects lost writes by version.
 *
 * <p>When several nodes share a PostgreSQL database, a node runs a job only while it holds the
 * job's lease: {@link #claim} takes due jobs that no live lease holds ({@code FOR UPDATE SKIP
 * LOCKED}, so nodes never wait on each other), {@link #renew} extends this node's leases, and
 * {@link #release} gives one back. Leases run on the database's clock ({@code now()}), so a node
 * whose own clock is off neither steals nor keeps a job; and every update of a leased job is
 * fenced by its lease, so a node whose lease lapsed (it was cut off, or stalled) writes nothing
 * more to that job. On SQLite one process runs jobs (the pipeline holds {@code pipeline.lock}),
 * so no lease is taken and {@link #claim} is {@link #due}.
 *
 * <pre>{@code
 * JobStore jobs = new JobStore(db, "node-a", Duration.ofSeconds(30));
 * List<ShotJob> mine = jobs.claim(now, channelIds, 4);   // leased to node-a for 30 s
 * jobs.renew(ids);                                      // every 10 s while they run
 * jobs.release(job.id());                               // waiting for a retry, or done
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class JobStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, ShotJob.StageRecord>> OUTPUTS = new TypeReference<>() {};

    /** An update of a leased job must come from the lease's live holder; an unleased job takes any. */
    private static final String LEASE_FENCE =
            " AND (lease_owner IS NULL OR (lease_owner = ? AND lease_expires > now()))";

    private final Database db;
    private final String owner;
    private final Duration lease;
    private final boolean leased;

    /** The jobs of {@code db}, claimed (on PostgreSQL) under a name of this process's own. */
    public JobStore(Database db) {
        this(db, defaultOwner(), Duration.ofSeconds(30));
    }

    /**
     * @param owner this node's name on the leases it takes (unique in the cluster)
     * @param lease how long a lease lasts without renewal (PostgreSQL)
     */
    public JobStore(Database db, String owner, Duration lease) {
        this.db = db;
        this.owner = owner;
        this.lease = lease;
        this.leased = db.dialect() == Database.Dialect.POSTGRESQL;
    }

    /** A name for this process's leases: the host, the process id and a random part. */
    public static String defaultOwner() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "node";
        }
        return host + "-" + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    public Database database() {
        return db;
    }

    /** This node's name on its leases. */
    public String owner() {
        return owner;
    }

    /** How long a lease lasts without renewal. */
    public Duration lease() {
        return lease;
    }

    /** True when jobs are claimed with leases (several nodes may share the database). */
    public boolean leased() {
        return leased;
    }

    /** Stores new jobs (state = their first stage). */
    public void insert(List<ShotJob> jobs) throws SQLException {
        db.write(c -> {
            for (ShotJob job : jobs) {
                try (PreparedStatement s = c.prepareStatement(
                        """
            INSERT INTO shot_jobs (id, channel_id, title, prompt, negative_prompt, seed, music_prompt, sequence, director,
              director_note, stage_order, state, attempts, next_attempt_at, last_error, outputs, version, created_at, updated_at,
              priority, continues, narration)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                    ShotPlan p = job.plan();
                    int i = 1;
                    s.setString(i++, job.id());
                    s.setString(i++, job.channelId());
                    s.setString(i++, p.title());
                    s.setString(i++, p.prompt());
                    s.setString(i++, p.negativePrompt());
                    s.setLong(i++, p.seed());
                    s.setString(i++, p.musicPrompt());
                    s.setString(i++, p.sequence());
                    s.setString(i++, job.director());
                    s.setString(i++, job.directorNote());
                    s.setString(i++, job.order().stream().map(Enum::name).collect(Collectors.joining(",")));
                    s.setString(i++, job.state().name());
                    s.setInt(i++, job.attempts());
                    s.setLong(i++, job.nextAttemptAt().toEpochMilli());
                    s.setString(i++, job.lastError());
                    s.setString(i++, outputsJson(job.outputs()));
                    s.setLong(i++, job.version());
                    s.setLong(i++, job.createdAt().toEpochMilli());
                    s.setLong(i++, job.updatedAt().toEpochMilli());
                    s.setInt(i++, job.priority());
                    if (job.continues().isEmpty()) {
                        s.setNull(i++, java.sql.Types.VARCHAR);
                    } else {
                        s.setString(i++, job.continues());
                    }
                    s.setString(i, p.narration());
                    s.executeUpdate();
                }
            }
            return null;
        });
    }

    /**
     * Stores {@code next}, a changed copy of {@code current}, if the row still has current's version
     * and the state change is allowed. Returns next with its new version.
     *
     * @throws LostWriteException when someone else changed the row
     * @throws IllegalStateException when the transition table forbids the change
     */
    public ShotJob update(ShotJob current, ShotJob next) throws SQLException {
        return db.write(c -> update(c, current, next));
    }

    /** {@link #update} inside a caller's transaction. */
    public ShotJob update(Connection c, ShotJob current, ShotJob next) throws SQLException {
        if (current.state() != next.state() && !current.state().mayBecome(next.state())) {
            throw new IllegalStateException(
                    "shot job " + current.id() + " may not go from " + current.state() + " to " + next.state());
        }
        try (PreparedStatement s = c.prepareStatement(
                """
        UPDATE shot_jobs SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, outputs = ?,
          version = version + 1, updated_at = ?
        WHERE id = ? AND version = ?"""
                        + (leased ? LEASE_FENCE : ""))) {
            int i = 1;
            s.setString(i++, next.state().name());
            s.setInt(i++, next.attempts());
            s.setLong(i++, next.nextAttemptAt().toEpochMilli());
            s.setString(i++, next.lastError());
            s.setString(i++, outputsJson(next.outputs()));
            s.setLong(i++, next.updatedAt().toEpochMilli());
            s.setString(i++, current.id());
            s.setLong(i++, current.version());
            if (leased) {
                s.setString(i, owner);
            }
            if (s.executeUpdate() != 1) {
                throw new LostWriteException(current.id(), current.version());
            }
        }
        return next.withVersion(current.version() + 1);
    }

    public Optional<ShotJob> find(String id) throws SQLException {
        return db.read(c ->
                query(c, "SELECT * FROM shot_jobs WHERE id = ?", id).stream().findFirst());
    }

    /** A next attempt further ahead than this was stored under a wall clock that has since gone back: it is due. */
    static final Duration LONGEST_WAIT = Duration.ofHours(1);

    /**
     * Jobs of the given channels that are not finished and whose next attempt is due, the highest
     * priority first, then the oldest.
     * Jobs of channels no longer configured are left where they are and do not take the places of
     * others. A row that cannot be read is marked FAILED with the reason, and the others are
     * returned. Indexed: costs the same however many finished jobs the history holds.
     */
    public List<ShotJob> due(Instant now, Collection<String> channelIds, int limit) throws SQLException {
        if (channelIds.isEmpty()) {
            return List.of();
        }
        String marks = String.join(",", java.util.Collections.nCopies(channelIds.size(), "?"));
        List<Broken> broken = new ArrayList<>();
        List<ShotJob> due = db.read(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("SELECT * FROM shot_jobs WHERE state NOT IN ('MASTERED', 'FAILED') "
                            + "AND channel_id IN (" + marks + ") AND (next_attempt_at <= ? OR next_attempt_at > ?) "
                            + "ORDER BY priority DESC, created_at, id LIMIT ?")) {
                int i = 1;
                for (String channel : channelIds) {
                    s.setString(i++, channel);
                }
                s.setLong(i++, now.toEpochMilli());
                s.setLong(i++, now.plus(LONGEST_WAIT).toEpochMilli());
                s.setInt(i, limit);
                return rows(s, broken);
            }
        });
        for (Broken b : broken) {
            failBroken(b);
        }
        return due;
    }

    /**
     * Due jobs (as {@link #due}) claimed for this node, at most {@code limit}, the highest priority
     * first, then the oldest. On
     * PostgreSQL each is leased to this node for {@link #lease()}, and jobs that a live lease of
     * any node holds (this one's included) are passed over without waiting for the rows other
     * nodes are claiming. On SQLite this is {@link #due}: one process runs jobs.
     */
    public List<ShotJob> claim(Instant now, Collection<String> channelIds, int limit) throws SQLException {
        return claim(now, channelIds, limit, Set.of());
    }

    /** {@link #claim}, passing over the jobs {@code passOver} names (this node keeps them off for a while). */
    public List<ShotJob> claim(Instant now, Collection<String> channelIds, int limit, Collection<String> passOver)
            throws SQLException {
        if (!leased) {
            return due(now, channelIds, limit);
        }
        if (channelIds.isEmpty() || limit <= 0) {
            return List.of();
        }
        String marks = String.join(",", java.util.Collections.nCopies(channelIds.size(), "?"));
        String except = passOver.isEmpty()
                ? ""
                : " AND id NOT IN (" + String.join(",", java.util.Collections.nCopies(passOver.size(), "?")) + ")";
        List<Broken> broken = new ArrayList<>();
        List<ShotJob> claimed = db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE shot_jobs SET lease_owner = ?, lease_expires = now() + ? * interval '1 millisecond' "
                            + "WHERE id IN (SELECT id FROM shot_jobs WHERE state NOT IN ('MASTERED', 'FAILED') "
                            + "AND channel_id IN (" + marks + ") AND (next_attempt_at <= ? OR next_attempt_at > ?) "
                            + "AND (lease_owner IS NULL OR lease_expires <= now())" + except
                            + " ORDER BY priority DESC, created_at, id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING *")) {
                int i = 1;
                s.setString(i++, owner);
                s.setLong(i++, lease.toMillis());
                for (String channel : channelIds) {
                    s.setString(i++, channel);
                }
                s.setLong(i++, now.toEpochMilli());
                s.setLong(i++, now.plus(LONGEST_WAIT).toEpochMilli());
                for (String id : passOver) {
                    s.setString(i++, id);
                }
                s.setInt(i, limit);
                return rows(s, broken);
            }
        });
        for (Broken b : broken) {
            failBroken(b);
        }
        List<ShotJob> ordered = new ArrayList<>(claimed);
        ordered.sort(java.util.Comparator.comparingInt(ShotJob::priority)
                .reversed()
                .thenComparing(ShotJob::createdAt)
                .thenComparing(ShotJob::id));
        return ordered;
    }

    /**
     * Extends this node's leases on {@code jobIds} by {@link #lease()} from the database's now.
     * A lease that has lapsed is not renewed: it is lost (another node may hold the job already),
     * and the job's next update fails.
     *
     * @return the jobs whose lease this node still holds (all of them on SQLite)
     */
    public Set<String> renew(Collection<String> jobIds) throws SQLException {
        if (!leased || jobIds.isEmpty()) {
            return Set.copyOf(jobIds);
        }
        String marks = String.join(",", java.util.Collections.nCopies(jobIds.size(), "?"));
        return db.write(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("UPDATE shot_jobs SET lease_expires = now() + ? * interval '1 millisecond' "
                            + "WHERE lease_owner = ? AND lease_expires > now() AND id IN (" + marks
                            + ") RETURNING id")) {
                int i = 1;
                s.setLong(i++, lease.toMillis());
                s.setString(i++, owner);
                for (String id : jobIds) {
                    s.setString(i++, id);
                }
                Set<String> held = new java.util.HashSet<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        held.add(r.getString(1));
                    }
                }
                return held;
            }
        });
    }

    /** Gives this node's lease on a job back (it waits for a retry, or it is done); a no-op on SQLite. */
    public void release(String jobId) throws SQLException {
        if (!leased) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE shot_jobs SET lease_owner = NULL, lease_expires = NULL WHERE id = ? AND lease_owner = ?")) {
                s.setString(1, jobId);
                s.setString(2, owner);
                return s.executeUpdate();
            }
        });
    }

    /** Which node holds a live lease on the job, if any (for tests and the operator). */
    public Optional<String> leaseHolder(String jobId) throws SQLException {
        if (!leased) {
            return Optional.empty();
        }
        return db.read(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("SELECT lease_owner FROM shot_jobs WHERE id = ? AND lease_expires > now()")) {
                s.setString(1, jobId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** A channel's jobs, newest first; channel null for all. */
    public List<ShotJob> list(String channelId, int limit) throws SQLException {
        return db.read(c -> {
            String sql = "SELECT * FROM shot_jobs" + (channelId == null ? "" : " WHERE channel_id = ?")
                    + " ORDER BY created_at DESC, id DESC LIMIT ?";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int i = 1;
                if (channelId != null) {
                    s.setString(i++, channelId);
                }
                s.setInt(i, limit);
                return rows(s);
            }
        });
    }

    /** Every job still being made, oldest first (read through the index of unfinished jobs, not the history). */
    public List<ShotJob> unfinished() throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT * FROM shot_jobs WHERE state NOT IN ('MASTERED', 'FAILED') ORDER BY created_at, id")) {
                return rows(s);
            }
        });
    }

    /** The ids of the jobs that continue {@code jobId} (start from its last frame); indexed. */
    public List<String> continuing(String jobId) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM shot_jobs WHERE continues = ?")) {
                s.setString(1, jobId);
                List<String> ids = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        ids.add(r.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    /** How many of a channel's jobs are still being made. */
    public int unfinished(String channelId) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM shot_jobs "
                    + "WHERE channel_id = ? AND state NOT IN ('MASTERED', 'FAILED')")) {
                s.setString(1, channelId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getInt(1) : 0;
                }
            }
        });
    }

    /**
     * Deletes a finished (mastered or failed) job's row inside a caller's transaction; a job still
     * being made is left alone. A mastered job's clip must be deleted first (its row refers to the job).
     */
    public boolean deleteFinished(Connection c, String jobId) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("DELETE FROM shot_jobs WHERE id = ? AND state IN ('MASTERED', 'FAILED')")) {
            s.setString(1, jobId);
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Deletes failed jobs last changed before {@code before}, oldest first, at most {@code limit}
     * (one indexed range: the cost does not grow with the history).
     *
     * @return how many were deleted
     */
    public int pruneFailed(Instant before, int limit) throws SQLException {
        return db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM shot_jobs WHERE id IN (SELECT id FROM shot_jobs WHERE state = 'FAILED' "
                            + "AND updated_at < ? ORDER BY updated_at, id LIMIT ?)")) {
                s.setLong(1, before.toEpochMilli());
                s.setInt(2, limit);
                return s.executeUpdate();
            }
        });
    }

    /** The states of these jobs; a job with no row is absent from the map. */
    public Map<String, JobState> states(Collection<String> jobIds) throws SQLException {
        if (jobIds.isEmpty()) {
            return Map.of();
        }
        String marks = String.join(",", Collections.nCopies(jobIds.size(), "?"));
        return db.read(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("SELECT id, state FROM shot_jobs WHERE id IN (" + marks + ")")) {
                int i = 1;
                for (String id : jobIds) {
                    s.setString(i++, id);
                }
                Map<String, JobState> out = new HashMap<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.put(r.getString(1), JobState.valueOf(r.getString(2)));
                    }
                }
                return out;
            }
        });
    }

    /**
     * How many jobs are still being made, by channel and state (for metrics). Read through the
     * index of unfinished jobs: costs the same however many finished jobs the history holds.
     */
    public Map<String, Map<JobState, Integer>> unfinishedCounts() throws SQLException {
        return db.read(c -> {
            Map<String, Map<JobState, Integer>> out = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT channel_id, state, COUNT(*) FROM shot_jobs "
                            + "WHERE state NOT IN ('MASTERED', 'FAILED') GROUP BY channel_id, state");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    try {
                        out.computeIfAbsent(r.getString(1), id -> new EnumMap<>(JobState.class))
                                .put(JobState.valueOf(r.getString(2)), r.getInt(3));
                    } catch (IllegalArgumentException e) {
                        // a state this version does not know: not counted (the row fails when it is due)
                    }
                }
            }
            return out;
        });
    }

    /** The latest prompts of a channel, newest first (for the director's history). */
    public List<String> recentPrompts(String channelId, int limit) throws SQLException {
        return list(channelId, limit).stream().map(j -> j.plan().prompt()).toList();
    }

    private static List<ShotJob> query(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            return rows(s);
        }
    }

    /** A stored row that could not be read back, and why. */
    private record Broken(String id, String reason) {}

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobStore.class);

    private static List<ShotJob> rows(PreparedStatement s) throws SQLException {
        List<Broken> broken = new ArrayList<>();
        List<ShotJob> out = rows(s, broken);
        for (Broken b : broken) {
            LOG.warn("shot job {} cannot be read and is left out: {}", b.id(), b.reason());
        }
        return out;
    }

    /** The readable rows; each unreadable one goes to {@code broken} instead of failing the whole query. */
    private static List<ShotJob> rows(PreparedStatement s, List<Broken> broken) throws SQLException {
        List<ShotJob> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                try {
                    out.add(row(r));
                } catch (SQLException | RuntimeException e) {
                    broken.add(new Broken(r.getString("id"), e.getMessage()));
                }
            }
        }
        return out;
    }

    /** Marks an unreadable row FAILED (outside the transition table: there is no state to leave). */
    private void failBroken(Broken b) throws SQLException {
        LOG.warn("shot job {} cannot be read and fails: {}", b.id(), b.reason());
        db.write(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE shot_jobs SET state = 'FAILED', last_error = ?, version = version + 1 WHERE id = ?")) {
                s.setString(1, "the stored job cannot be read: " + b.reason());
                s.setString(2, b.id());
                return s.executeUpdate();
            }
        });
    }

    private static ShotJob row(ResultSet r) throws SQLException {
        ShotPlan plan = new ShotPlan(
                r.getString("title"),
                r.getString("prompt"),
                r.getString("negative_prompt"),
                r.getLong("seed"),
                r.getString("music_prompt"),
                r.getString("sequence"),
                r.getString("narration"));
        List<JobState> order = Arrays.stream(r.getString("stage_order").split(","))
                .map(JobState::valueOf)
                .toList();
        return new ShotJob(
                r.getString("id"),
                r.getString("channel_id"),
                plan,
                r.getString("director"),
                r.getString("director_note"),
                order,
                JobState.valueOf(r.getString("state")),
                r.getInt("attempts"),
                Instant.ofEpochMilli(r.getLong("next_attempt_at")),
                r.getString("last_error"),
                parseOutputs(r.getString("outputs")),
                r.getLong("version"),
                Instant.ofEpochMilli(r.getLong("created_at")),
                Instant.ofEpochMilli(r.getLong("updated_at")),
                r.getInt("priority"),
                r.getString("continues"));
    }

    private static String outputsJson(Map<JobState, ShotJob.StageRecord> outputs) {
        Map<String, ShotJob.StageRecord> byName = new LinkedHashMap<>();
        outputs.forEach((k, v) -> byName.put(k.name(), v));
        try {
            return JSON.writeValueAsString(byName);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<JobState, ShotJob.StageRecord> parseOutputs(String json) throws SQLException {
        try {
            Map<JobState, ShotJob.StageRecord> out = new EnumMap<>(JobState.class);
            JSON.readValue(json, OUTPUTS).forEach((k, v) -> out.put(JobState.valueOf(k), v));
            return out;
        } catch (JsonProcessingException e) {
            throw new SQLException("stored stage outputs are not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
