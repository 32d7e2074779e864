package io.gitwar.storage.file;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of a repository's outbox (table {@code outbox}): the webhook deliveries it owes, one row
 * per (event, hook), written in the same transaction as the push that caused them, so that they
 * exist exactly when the push does. A row is deleted once its delivery succeeded or was given up.
 * Every method runs under the connection's monitor; writes only in a write transaction.
 */
public final class OutboxRows {

    /** Part of schema version 4 ({@link Schema}): never edit, add a migration. */
    static final String OUTBOX_TABLE = """
            CREATE TABLE outbox (
              id              INTEGER PRIMARY KEY AUTOINCREMENT,
              delivery_id     TEXT NOT NULL,     -- X-Gitwar-Delivery, the same on every attempt
              scope           TEXT NOT NULL,     -- 'repository': a hook of this file; 'global'
              hook_id         INTEGER NOT NULL,
              event           TEXT NOT NULL,     -- X-Gitwar-Event, e.g. 'push'
              payload         TEXT NOT NULL,     -- the exact JSON body sent (and signed)
              attempts        INTEGER NOT NULL,  -- made so far
              next_attempt_at INTEGER NOT NULL,  -- epoch millis
              created_at      INTEGER NOT NULL
            )""";

    /** Which hook a delivery is for: one of the repository's own, or a global one. */
    public enum Scope {
        REPOSITORY, GLOBAL;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Scope of(String column) {
            return valueOf(column.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** A delivery owed. */
    public record Pending(long id, String deliveryId, Scope scope, long hookId, String event, String payload,
            int attempts, Instant nextAttemptAt, Instant createdAt) {
    }

    private final Db db;

    public OutboxRows(Db db) {
        this.db = db;
    }

    /** Adds a delivery, due at once. */
    public void add(String deliveryId, Scope scope, long hookId, String event, String payload, Instant at)
            throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("INSERT INTO outbox (delivery_id, scope, hook_id, event, payload,"
                        + " attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)");
                ps.setString(1, deliveryId);
                ps.setString(2, scope.column());
                ps.setLong(3, hookId);
                ps.setString(4, event);
                ps.setString(5, payload);
                ps.setLong(6, at.toEpochMilli());
                ps.setLong(7, at.toEpochMilli());
                ps.executeUpdate();
            } catch (SQLException e) {
                throw Db.io("cannot add a delivery to the outbox", e);
            }
        }
    }

    /** The deliveries due at {@code now}, those due first first, at most {@code limit}. */
    public List<Pending> due(Instant now, int limit) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare(SELECT_PENDING + " WHERE next_attempt_at <= ?"
                        + " ORDER BY next_attempt_at, id LIMIT ?");
                ps.setLong(1, now.toEpochMilli());
                ps.setInt(2, limit);
                List<Pending> due = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        due.add(pending(rs));
                    }
                }
                return due;
            } catch (SQLException e) {
                throw Db.io("cannot read the outbox", e);
            }
        }
    }

    /** The delivery {@code id} as it is now, if it is still owed. */
    public Optional<Pending> get(long id) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare(SELECT_PENDING + " WHERE id = ?");
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(pending(rs)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw Db.io("cannot read the outbox", e);
            }
        }
    }

    /** The columns {@link #pending} reads, in its order. */
    private static final String SELECT_PENDING = "SELECT id, delivery_id, scope, hook_id, event, payload, attempts,"
            + " next_attempt_at, created_at FROM outbox";

    private static Pending pending(ResultSet rs) throws SQLException {
        return new Pending(rs.getLong(1), rs.getString(2), Scope.of(rs.getString(3)), rs.getLong(4), rs.getString(5),
                rs.getString(6), rs.getInt(7), Instant.ofEpochMilli(rs.getLong(8)), Instant.ofEpochMilli(rs.getLong(9)));
    }

    /** When the next delivery is due, or null if the outbox is empty. */
    public Instant nextDue() throws IOException {
        synchronized (db) {
            try (ResultSet rs = db.prepare("SELECT min(next_attempt_at) FROM outbox").executeQuery()) {
                long at = rs.next() ? rs.getLong(1) : 0;
                return rs.wasNull() ? null : Instant.ofEpochMilli(at);
            } catch (SQLException e) {
                throw Db.io("cannot read the outbox", e);
            }
        }
    }

    public int count() throws IOException {
        synchronized (db) {
            try (ResultSet rs = db.prepare("SELECT count(*) FROM outbox").executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            } catch (SQLException e) {
                throw Db.io("cannot count the outbox", e);
            }
        }
    }

    /** Records a failed attempt: the delivery is due again at {@code next}. */
    public void retryAt(long id, int attempts, Instant next) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("UPDATE outbox SET attempts = ?, next_attempt_at = ? WHERE id = ?");
                ps.setInt(1, attempts);
                ps.setLong(2, next.toEpochMilli());
                ps.setLong(3, id);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw Db.io("cannot reschedule delivery " + id, e);
            }
        }
    }

    /** Forgets a delivery: done, given up, or its hook is gone. */
    public void remove(long id) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("DELETE FROM outbox WHERE id = ?");
                ps.setLong(1, id);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw Db.io("cannot remove delivery " + id, e);
            }
        }
    }

    /**
     * Drops the oldest deliveries beyond {@code keep}: a repository whose receivers all fail for
     * long must not grow its file without bound.
     *
     * @return how many were dropped
     */
    public int trimTo(int keep) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps = db.prepare("DELETE FROM outbox WHERE id <="
                        + " (SELECT id FROM outbox ORDER BY id DESC LIMIT 1 OFFSET ?)");
                ps.setInt(1, keep);
                return ps.executeUpdate();
            } catch (SQLException e) {
                throw Db.io("cannot trim the outbox", e);
            }
        }
    }

    /** Every delivery owed, oldest first (at most {@code gitwar.hooks.max-pending-per-repository}). */
    public List<Pending> all() throws IOException {
        synchronized (db) {
            try (ResultSet rs = db.prepare(SELECT_PENDING + " ORDER BY id").executeQuery()) {
                List<Pending> all = new ArrayList<>();
                while (rs.next()) {
                    all.add(pending(rs));
                }
                return all;
            } catch (SQLException e) {
                throw Db.io("cannot read the outbox", e);
            }
        }
    }

    /**
     * Makes the outbox hold {@code deliveries}, as another copy of the repository owes them (its
     * primary's: its ids are its own, the delivery ids are the same).
     */
    public void replaceAll(List<Pending> deliveries) throws IOException {
        synchronized (db) {
            try {
                db.execute("DELETE FROM outbox");
                PreparedStatement ps = db.prepare("INSERT INTO outbox (delivery_id, scope, hook_id, event, payload,"
                        + " attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                for (Pending p : deliveries) {
                    ps.setString(1, p.deliveryId());
                    ps.setString(2, p.scope().column());
                    ps.setLong(3, p.hookId());
                    ps.setString(4, p.event());
                    ps.setString(5, p.payload());
                    ps.setInt(6, p.attempts());
                    ps.setLong(7, p.nextAttemptAt().toEpochMilli());
                    ps.setLong(8, p.createdAt().toEpochMilli());
                    ps.executeUpdate();
                }
            } catch (SQLException e) {
                throw Db.io("cannot replace the outbox", e);
            }
        }
    }

    /** Empties the outbox (a fork owes nothing its source owed). */
    public void clear() throws IOException {
        synchronized (db) {
            try {
                db.execute("DELETE FROM outbox");
            } catch (SQLException e) {
                throw Db.io("cannot empty the outbox", e);
            }
        }
    }
}
