package io.gitwar.storage.file;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of webhooks and their delivery log (tables {@code hook} and {@code hook_delivery}), in a
 * repository's file (its own hooks) or in the data directory's file of global hooks: the same
 * tables in both. Every method runs under the connection's monitor; writes only in a write
 * transaction (or, on the global file, autocommit).
 */
public final class HookRows {

    /*
     * Part of schema version 4 (Schema) and of the global hooks file's version 1: never edit, add a
     * migration. AUTOINCREMENT so that a deleted hook's id is never given to a new one: its delivery
     * log and pending deliveries must never be taken for the new hook's.
     */
    static final String HOOK_TABLE = """
            CREATE TABLE hook (
              id         INTEGER PRIMARY KEY AUTOINCREMENT,
              url        TEXT NOT NULL,
              secret     TEXT NOT NULL,        -- '' signs nothing
              events     TEXT NOT NULL,        -- comma-separated, e.g. 'push'
              active     INTEGER NOT NULL,
              created_at INTEGER NOT NULL,     -- epoch millis
              updated_at INTEGER NOT NULL
            )""";

    /** One row per attempt to deliver, the last {@link #KEPT_ATTEMPTS} per hook kept. */
    static final String DELIVERY_TABLE = """
            CREATE TABLE hook_delivery (
              id              INTEGER PRIMARY KEY AUTOINCREMENT,
              hook_id         INTEGER NOT NULL,
              delivery_id     TEXT NOT NULL,   -- X-Gitwar-Delivery: the same for every attempt
              event           TEXT NOT NULL,
              repository      TEXT NOT NULL,   -- whose outbox the delivery came from
              attempt         INTEGER NOT NULL,
              at              INTEGER NOT NULL,
              duration_ms     INTEGER NOT NULL,
              request_headers TEXT NOT NULL,   -- 'Name: value' lines
              request_body    TEXT NOT NULL,
              status          INTEGER,         -- NULL: no response (refused, timed out, unreachable)
              response_head   TEXT,            -- the response body's first bytes
              error           TEXT
            )""";

    static final String DELIVERY_INDEX = "CREATE INDEX hook_delivery_by_hook ON hook_delivery (hook_id, id)";

    /**
     * Attempts kept per hook: enough to see a receiver's recent failures and redeliver the last
     * pushes, bounded so that a busy repository's file does not grow with its log (GitHub keeps
     * its log for days; 100 entries of at most a capped payload each is a few MiB at worst).
     */
    public static final int KEPT_ATTEMPTS = 100;

    /** A configured webhook. */
    public record Hook(long id, String url, String secret, List<String> events, boolean active, Instant createdAt,
            Instant updatedAt) {

        public Hook {
            events = List.copyOf(events);
        }

        public boolean wants(String event) {
            return active && events.contains(event);
        }
    }

    /** One attempt of a delivery, as logged. */
    public record Attempt(long id, long hookId, String deliveryId, String event, String repository, int attempt,
            Instant at, long durationMillis, String requestHeaders, String requestBody, Integer status,
            String responseHead, String error) {
    }

    /** The schema version of the global hooks file (its own {@code user_version}, not a repository's). */
    static final int GLOBAL_FILE_VERSION = 1;

    private final Db db;

    /**
     * Gives the data directory's file of global hooks its tables if it has none yet (a new file);
     * refuses a file of another kind or of a newer gitwar.
     */
    public static void prepareGlobalFile(Db db) throws IOException {
        synchronized (db) {
            try {
                int version = Schema.userVersion(db.connection());
                if (version == GLOBAL_FILE_VERSION) {
                    return;
                }
                if (version != 0) {
                    throw new IOException("the global hooks file has schema version " + version + ", this gitwar knows "
                            + GLOBAL_FILE_VERSION);
                }
                db.execute("PRAGMA journal_mode = WAL");
                db.execute("BEGIN IMMEDIATE");
                try {
                    db.execute(HOOK_TABLE);
                    db.execute(DELIVERY_TABLE);
                    db.execute(DELIVERY_INDEX);
                    db.execute("PRAGMA user_version = " + GLOBAL_FILE_VERSION);
                    db.execute("COMMIT");
                } catch (SQLException e) {
                    db.execute("ROLLBACK");
                    throw e;
                }
            } catch (SQLException e) {
                throw Db.io("cannot prepare the global hooks file", e);
            }
        }
    }

    public HookRows(Db db) {
        this.db = db;
    }

    public List<Hook> list() throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("SELECT id, url, secret, events, active, created_at, updated_at"
                        + " FROM hook ORDER BY id");
                List<Hook> hooks = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        hooks.add(hook(rs));
                    }
                }
                return hooks;
            } catch (SQLException e) {
                throw Db.io("cannot list hooks", e);
            }
        }
    }

    public Optional<Hook> get(long id) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("SELECT id, url, secret, events, active, created_at, updated_at"
                        + " FROM hook WHERE id = ?");
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(hook(rs)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw Db.io("cannot read hook " + id, e);
            }
        }
    }

    public int count() throws IOException {
        synchronized (db) {
            try (ResultSet rs = db.prepare("SELECT count(*) FROM hook").executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            } catch (SQLException e) {
                throw Db.io("cannot count hooks", e);
            }
        }
    }

    /** Adds a hook; its id is returned. */
    public long add(String url, String secret, List<String> events, boolean active, Instant at) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("INSERT INTO hook (url, secret, events, active, created_at,"
                        + " updated_at) VALUES (?, ?, ?, ?, ?, ?)");
                ps.setString(1, url);
                ps.setString(2, secret);
                ps.setString(3, String.join(",", events));
                ps.setInt(4, active ? 1 : 0);
                ps.setLong(5, at.toEpochMilli());
                ps.setLong(6, at.toEpochMilli());
                ps.executeUpdate();
                try (ResultSet rs = db.prepare("SELECT last_insert_rowid()").executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            } catch (SQLException e) {
                throw Db.io("cannot add a hook", e);
            }
        }
    }

    /** Replaces a hook's settings; false if there is no such hook. */
    public boolean update(Hook hook, Instant at) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("UPDATE hook SET url = ?, secret = ?, events = ?, active = ?,"
                        + " updated_at = ? WHERE id = ?");
                ps.setString(1, hook.url());
                ps.setString(2, hook.secret());
                ps.setString(3, String.join(",", hook.events()));
                ps.setInt(4, hook.active() ? 1 : 0);
                ps.setLong(5, at.toEpochMilli());
                ps.setLong(6, hook.id());
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                throw Db.io("cannot update hook " + hook.id(), e);
            }
        }
    }

    /** Deletes a hook and its log; false if there is no such hook. */
    public boolean delete(long id) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement log = db.prepare("DELETE FROM hook_delivery WHERE hook_id = ?");
                log.setLong(1, id);
                log.executeUpdate();
                PreparedStatement ps = db.prepare("DELETE FROM hook WHERE id = ?");
                ps.setLong(1, id);
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                throw Db.io("cannot delete hook " + id, e);
            }
        }
    }

    /** Deletes every hook and the whole log (a fork does not inherit its source's hooks). */
    public void deleteAll() throws IOException {
        synchronized (db) {
            try {
                db.execute("DELETE FROM hook_delivery");
                db.execute("DELETE FROM hook");
            } catch (SQLException e) {
                throw Db.io("cannot delete the hooks", e);
            }
        }
    }

    /** Logs an attempt (its {@code id} is ignored) and forgets the hook's attempts beyond the last {@link #KEPT_ATTEMPTS}. */
    public void log(Attempt a) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("INSERT INTO hook_delivery (hook_id, delivery_id, event,"
                        + " repository, attempt, at, duration_ms, request_headers, request_body, status,"
                        + " response_head, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                ps.setLong(1, a.hookId());
                ps.setString(2, a.deliveryId());
                ps.setString(3, a.event());
                ps.setString(4, a.repository());
                ps.setInt(5, a.attempt());
                ps.setLong(6, a.at().toEpochMilli());
                ps.setLong(7, a.durationMillis());
                ps.setString(8, a.requestHeaders());
                ps.setString(9, a.requestBody());
                if (a.status() == null) {
                    ps.setNull(10, Types.INTEGER);
                } else {
                    ps.setInt(10, a.status());
                }
                ps.setString(11, a.responseHead());
                ps.setString(12, a.error());
                ps.executeUpdate();
                PreparedStatement prune = db.prepare("DELETE FROM hook_delivery WHERE hook_id = ? AND id <="
                        + " (SELECT id FROM hook_delivery WHERE hook_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)");
                prune.setLong(1, a.hookId());
                prune.setLong(2, a.hookId());
                prune.setInt(3, KEPT_ATTEMPTS);
                prune.executeUpdate();
            } catch (SQLException e) {
                throw Db.io("cannot log a delivery of hook " + a.hookId(), e);
            }
        }
    }

    /** The hook's logged attempts, newest first, those with an id below {@code before} (0: from the newest). */
    public List<Attempt> attempts(long hookId, long before, int limit) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("SELECT id, hook_id, delivery_id, event, repository, attempt, at,"
                        + " duration_ms, request_headers, request_body, status, response_head, error"
                        + " FROM hook_delivery WHERE hook_id = ? AND id < ? ORDER BY id DESC LIMIT ?");
                ps.setLong(1, hookId);
                ps.setLong(2, before <= 0 ? Long.MAX_VALUE : before);
                ps.setInt(3, limit);
                List<Attempt> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(attempt(rs));
                    }
                }
                return found;
            } catch (SQLException e) {
                throw Db.io("cannot read the deliveries of hook " + hookId, e);
            }
        }
    }

    /** One logged attempt of the hook. */
    public Optional<Attempt> attempt(long hookId, long id) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("SELECT id, hook_id, delivery_id, event, repository, attempt, at,"
                        + " duration_ms, request_headers, request_body, status, response_head, error"
                        + " FROM hook_delivery WHERE hook_id = ? AND id = ?");
                ps.setLong(1, hookId);
                ps.setLong(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(attempt(rs)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw Db.io("cannot read delivery " + id + " of hook " + hookId, e);
            }
        }
    }

    private static Hook hook(ResultSet rs) throws SQLException {
        String events = rs.getString(4);
        return new Hook(rs.getLong(1), rs.getString(2), rs.getString(3),
                events.isEmpty() ? List.of() : List.of(events.split(",")), rs.getInt(5) != 0,
                Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)));
    }

    private static Attempt attempt(ResultSet rs) throws SQLException {
        int status = rs.getInt(11);
        Integer s = rs.wasNull() ? null : status;
        return new Attempt(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getInt(6), Instant.ofEpochMilli(rs.getLong(7)), rs.getLong(8), rs.getString(9), rs.getString(10),
                s, rs.getString(12), rs.getString(13));
    }
}
