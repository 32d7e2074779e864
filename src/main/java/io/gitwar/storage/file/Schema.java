package io.gitwar.storage.file;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The repository file's schema and its migrations, versioned by SQLite's {@code user_version}.
 *
 * <p>Migrations are append-only: version N is the state after the first N entries of {@link #MIGRATIONS}
 * ran. Only a file gitwar itself just made is given a schema ({@link #create}); an existing file is
 * checked ({@link #problem}) and, if it is a gitwar repository of an older version, migrated. A
 * file written by a newer gitwar (higher version than we know) is refused rather than guessed at.
 */
public final class Schema {

    /** The page size of new files (see {@link #create}); the WAL's limit is counted in these pages. */
    public static final int PAGE_SIZE = 16384;

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
                "CREATE INDEX pack_by_checksum ON pack (checksum)"),
            List.of(
                // The repository's own settings and facts, one row each (SettingRows names the keys):
                // read_only ('true' refuses pushes), last_push_at (epoch millis of the last push that
                // moved a ref). A key without a row has its default.
                "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
            List.of(
                // Webhooks of this repository (HookRows), their delivery log, and the outbox: the
                // deliveries a push owes, written in the push's transaction (OutboxRows).
                HookRows.HOOK_TABLE,
                HookRows.DELIVERY_TABLE,
                HookRows.DELIVERY_INDEX,
                OutboxRows.OUTBOX_TABLE));

    public static final int CURRENT_VERSION = MIGRATIONS.size();

    /** The tables every version has; a file without them is not a gitwar repository. */
    private static final List<String> TABLES = List.of("pack", "pack_file", "chunk", "ref");

    /** SQLite's primary result codes for a file that is not (or no longer) a database. */
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;

    private Schema() {
    }

    /**
     * Why the file on {@code c} is not a gitwar repository this gitwar can serve, or null if it is
     * one (of any version up to {@link #CURRENT_VERSION}). Only reads: a damaged file is reported,
     * never rewritten.
     */
    public static String problem(Connection c) throws SQLException {
        int version;
        Set<String> tables = new HashSet<>();
        try (Statement s = c.createStatement()) {
            version = userVersion(c);
            try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            if (isNotADatabase(e)) {
                return "not an SQLite database (" + e.getMessage() + ")";
            }
            throw e;
        }
        if (version == 0 && tables.isEmpty()) {
            return "an empty database: no gitwar schema (a truncated or never initialised file)";
        }
        if (version == 0 || !tables.containsAll(TABLES)) {
            return "not a gitwar repository: schema version " + version + ", tables " + new TreeSet<>(tables);
        }
        if (version > CURRENT_VERSION) {
            return "written by a newer gitwar: schema version " + version + ", this gitwar knows up to "
                    + CURRENT_VERSION + "; upgrade gitwar";
        }
        return null;
    }

    /** Whether SQLite failed because the file is not a database, or a damaged one. */
    public static boolean isNotADatabase(SQLException e) {
        int code = e.getErrorCode() & 0xff;
        return code == SQLITE_NOTADB || code == SQLITE_CORRUPT;
    }

    /**
     * Gives a new, empty file the current schema. Only for a file gitwar itself just made (a
     * repository being created in the staging directory): an existing file with no schema is
     * damaged, never initialised.
     */
    public static void create(Connection c) throws SQLException {
        if (userVersion(c) != 0) {
            throw new SQLException("a new repository file already has a schema");
        }
        try (Statement s = c.createStatement()) {
            // Only effective before the first table exists. 16 KiB pages read 1 MiB chunks
            // about 3x faster than the default 4 KiB (64 overflow pages instead of 256) while an
            // empty repository still takes only 128 KiB (64 KiB pages: 512 KiB each).
            s.execute("PRAGMA page_size = " + PAGE_SIZE);
            // Deleting a replaced pack frees its pages; with auto_vacuum the commit that deletes it
            // gives them back to the file system, so a repacked repository shrinks. Pages are
            // freed only when packs are deleted (after a repack), never on a push.
            s.execute("PRAGMA auto_vacuum = FULL");
            s.execute("PRAGMA journal_mode = WAL");
        }
        apply(c, 0);
    }

    /**
     * Brings a gitwar repository file of an older version (its {@link #problem} null) to
     * {@link #CURRENT_VERSION}; a no-op on a current one. One pragma read when there is nothing to do.
     */
    public static void migrate(Connection c) throws SQLException {
        int version = userVersion(c);
        if (version < 1 || version > CURRENT_VERSION) {
            throw new SQLException("not a gitwar repository of a known version: " + version);
        }
        if (version < CURRENT_VERSION) {
            apply(c, 1);
        }
    }

    /**
     * Runs the migrations from the file's version on, in an immediate transaction, so that two
     * connections (or processes) never both run one; {@code lowest} is the least version allowed.
     */
    private static void apply(Connection c, int lowest) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                int version = userVersion(c); // another connection may have migrated meanwhile
                if (version < lowest) {
                    throw new SQLException("schema version " + version + " changed under the migration");
                }
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
