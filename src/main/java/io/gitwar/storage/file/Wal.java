package io.gitwar.storage.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The size of a repository's write-ahead log. SQLite appends every commit to the WAL and copies it
 * into the database at checkpoints, but it can only copy what no open read transaction still
 * needs: behind a reader that stalls (a dumb download whose client stops reading), every push
 * grows the WAL, and SQLite never gives the space back by itself. gitwar bounds what is left once
 * the reader is gone: SQLite's {@code journal_size_limit} on every connection, and an attempt to
 * empty the WAL after a commit that left it over the limit.
 */
public final class Wal {

    /**
     * 16 MiB: what the WAL reaches between SQLite's automatic checkpoints in normal use (its
     * default {@code wal_autocheckpoint} of 1000 pages, at {@link Schema#PAGE_SIZE} 16 KiB), so
     * ordinary pushes never shrink and regrow it; only what a big push or a stalled reader added
     * above it is given back.
     */
    public static final long LIMIT_BYTES = 1000L * Schema.PAGE_SIZE;

    private Wal() {
    }

    /**
     * Copies a committed file's whole WAL into it and truncates the WAL, waiting (the connection's
     * busy timeout) for readers; for a file about to be moved, whose WAL must not be left behind.
     *
     * @throws StorageFailure if a reader kept part of the WAL in use
     */
    public static void checkpoint(Db db) throws IOException {
        if (!truncate(db)) {
            throw new StorageFailure("checkpoint did not complete: the WAL is still in use");
        }
    }

    /**
     * After a commit: if the WAL at {@code wal} is over {@link #LIMIT_BYTES}, empties it now unless
     * a reader still uses it (never waits for one). Without this, SQLite truncates it only at the
     * first write after a complete checkpoint, i.e. one push later.
     */
    public static void trim(Db db, Path wal) throws IOException {
        if (!Files.isRegularFile(wal) || Files.size(wal) <= LIMIT_BYTES) {
            return;
        }
        try {
            int timeout = busyTimeout(db);
            db.execute("PRAGMA busy_timeout = 0");
            try {
                truncate(db);
            } finally {
                db.execute("PRAGMA busy_timeout = " + timeout);
            }
        } catch (SQLException e) {
            throw Db.io("cannot trim the WAL", e);
        }
    }

    /** {@code PRAGMA wal_checkpoint(TRUNCATE)}: true if the whole WAL was copied and truncated. */
    private static boolean truncate(Db db) throws IOException {
        try (Statement s = db.connection().createStatement();
                ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            return rs.next() && rs.getInt(1) == 0;
        } catch (SQLException e) {
            throw Db.io("cannot checkpoint the WAL", e);
        }
    }

    private static int busyTimeout(Db db) throws SQLException {
        try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery("PRAGMA busy_timeout")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
