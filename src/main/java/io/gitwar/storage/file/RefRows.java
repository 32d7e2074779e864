package io.gitwar.storage.file;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of refs. Updates are compare-and-swap: each names the value it expects to replace and
 * reports whether the row still held it. Every method runs under the connection's monitor.
 */
public final class RefRows {

    /** A stored ref: exactly one of {@code target} (symbolic) and {@code objectId} is set. */
    public record Row(String name, String target, String objectId, String peeledId) {
    }

    /** What a compare-and-swap expects to find. */
    public record Expected(String target, String objectId) {
        public static final Expected ABSENT = new Expected(null, null);

        public boolean absent() {
            return target == null && objectId == null;
        }
    }

    private final Db db;

    public RefRows(Db db) {
        this.db = db;
    }

    public List<Row> all() throws IOException {
        synchronized (db) {
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = db.prepare("SELECT name, target, object_id, peeled_id FROM ref ORDER BY name")
                    .executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
                return rows;
            } catch (SQLException e) {
                throw Db.io("cannot read refs", e);
            }
        }
    }

    /** How many refs point at an object (symbolic refs not counted). */
    public long countDirect() throws IOException {
        synchronized (db) {
            try (ResultSet rs = db.prepare("SELECT count(*) FROM ref WHERE object_id IS NOT NULL").executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            } catch (SQLException e) {
                throw Db.io("cannot count refs", e);
            }
        }
    }

    /** Stores {@code value} under its name if the row still matches {@code expected}. */
    public boolean compareAndPut(Expected expected, Row value) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps;
                if (expected.absent()) {
                    ps = db.prepare("INSERT OR IGNORE INTO ref (target, object_id, peeled_id, name) VALUES (?, ?, ?, ?)");
                } else if (expected.target() != null) {
                    ps = db.prepare("UPDATE ref SET target = ?, object_id = ?, peeled_id = ? WHERE name = ? AND target = ?");
                    ps.setString(5, expected.target());
                } else {
                    ps = db.prepare("UPDATE ref SET target = ?, object_id = ?, peeled_id = ? WHERE name = ? AND object_id = ?");
                    ps.setString(5, expected.objectId());
                }
                ps.setString(1, value.target());
                ps.setString(2, value.objectId());
                ps.setString(3, value.peeledId());
                ps.setString(4, value.name());
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                throw Db.io("cannot update ref " + value.name(), e);
            }
        }
    }

    /** Deletes the ref if the row still matches {@code expected}. */
    public boolean compareAndRemove(String name, Expected expected) throws IOException {
        synchronized (db) {
            try {
                PreparedStatement ps;
                if (expected.target() != null) {
                    ps = db.prepare("DELETE FROM ref WHERE name = ? AND target = ?");
                    ps.setString(2, expected.target());
                } else {
                    ps = db.prepare("DELETE FROM ref WHERE name = ? AND object_id = ?");
                    ps.setString(2, expected.objectId());
                }
                ps.setString(1, name);
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                throw Db.io("cannot delete ref " + name, e);
            }
        }
    }

    public void savepoint(String name) throws IOException {
        exec("SAVEPOINT " + name);
    }

    public void release(String name) throws IOException {
        exec("RELEASE " + name);
    }

    public void rollbackTo(String name) throws IOException {
        exec("ROLLBACK TO " + name);
        exec("RELEASE " + name);
    }

    private void exec(String sql) throws IOException {
        synchronized (db) {
            try {
                db.execute(sql);
            } catch (SQLException e) {
                throw Db.io(sql, e);
            }
        }
    }
}
