package io.gitwar.storage.file;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The repository file's schema and its migrations, versioned by SQLite's {@code user_version}.
 *
 * <p>Migrations are append-only: version N is the state after the first N entries of {@link #MIGRATIONS}
 * ran. A file written by a newer gitwar (higher version than we know) is refused rather than guessed at.
 */
public final class Schema {

    /**
     * One entry per schema version; never edit a released entry, add a new one.
     */
    private static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                // A committed pack. Its files are in pack_file; only packs listed here are visible.
                """
                CREATE TABLE pack (
                  name          TEXT PRIMARY KEY,   -- JGit DFS pack name, unique forever, never reused
                  source        TEXT NOT NULL,      -- DfsObjDatabase.PackSource
                  last_modified INTEGER NOT NULL,   -- epoch millis; JGit's GC ages garbage packs by it
                  object_count  INTEGER NOT NULL,
                  delta_count   INTEGER NOT NULL,
                  index_version INTEGER NOT NULL,
                  checksum      TEXT NOT NULL       -- hex trailer of the .pack: its name for dumb clients
                )""",
                // A file of a pack (pack, idx, bitmap, ...). Rows exist before their pack row while a
                // pack is being written; they die with the transaction if it never commits.
                """
                CREATE TABLE pack_file (
                  id   INTEGER PRIMARY KEY,         -- chunk row ids derive from it, see Chunks
                  pack TEXT NOT NULL,
                  ext  TEXT NOT NULL,
                  size INTEGER NOT NULL,
                  UNIQUE (pack, ext)
                )""",
                // File contents in pieces of at most Chunks.SIZE bytes; id = file id << 24 | sequence.
                "CREATE TABLE chunk (id INTEGER PRIMARY KEY, data BLOB NOT NULL)",
                // Refs: either symbolic (target) or direct (object_id, and peeled_id for annotated tags).
                """
                CREATE TABLE ref (
                  name      TEXT PRIMARY KEY,
                  target    TEXT,
                  object_id TEXT,
                  peeled_id TEXT,
                  CHECK ((target IS NULL) <> (object_id IS NULL))
                )""",
                "INSERT INTO ref (name, target) VALUES ('HEAD', 'refs/heads/main')"),
            List.of(
                // A pack that a repack replaced is retired, not deleted: JGit no longer sees it, but
                // a dumb client that read objects/info/packs before the repack can still download
                // it for a grace period. NULL while the pack is live.
                "ALTER TABLE pack ADD COLUMN retired_at INTEGER",
                // Packs are found by the name clients know, pack-<checksum> (PackRows.findByChecksum).
                "CREATE INDEX pack_by_checksum ON pack (checksum)"));

    public static final int CURRENT_VERSION = MIGRATIONS.size();

    private Schema() {
    }

    /**
     * Brings a connection's database to {@link #CURRENT_VERSION}. Safe to call on every open: the
     * version check is one pragma read, and migrations run in an immediate transaction so two
     * processes opening the same new file do not both create it.
     */
    public static void migrate(Connection c) throws SQLException {
        int version = userVersion(c);
        if (version == CURRENT_VERSION) {
            return;
        }
        if (version > CURRENT_VERSION) {
            throw new SQLException("repository file has schema version " + version
                    + " but this gitwar knows only up to " + CURRENT_VERSION + "; upgrade gitwar");
        }
        try (Statement s = c.createStatement()) {
            if (version == 0) {
                // Only effective before the first table exists. 16 KiB pages read 1 MiB chunks
                // about 3x faster than the default 4 KiB (64 overflow pages instead of 256) while an
                // empty repository still takes only 128 KiB (64 KiB pages: 512 KiB each).
                s.execute("PRAGMA page_size = 16384");
                // Deleting a replaced pack frees its pages; with auto_vacuum the commit that deletes it
                // gives them back to the file system, so a repacked repository shrinks. Pages are
                // freed only when packs are deleted (after a repack), never on a push.
                s.execute("PRAGMA auto_vacuum = FULL");
                s.execute("PRAGMA journal_mode = WAL");
            }
            s.execute("BEGIN IMMEDIATE");
            try {
                version = userVersion(c); // another connection may have migrated meanwhile
                for (int v = version; v < CURRENT_VERSION; v++) {
                    for (String sql : MIGRATIONS.get(v)) {
                        s.execute(sql);
                    }
                }
                s.execute("PRAGMA user_version = " + CURRENT_VERSION);
                s.execute("COMMIT");
            } catch (SQLException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }

    public static int userVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
