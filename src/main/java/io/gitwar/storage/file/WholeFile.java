package io.gitwar.storage.file;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL on a repository file as a whole, not on its rows: copying it consistently and checking a
 * copy that came from elsewhere before it is served.
 */
public final class WholeFile {

    /** At most this many problems of {@code PRAGMA integrity_check} are listed (SQLite's default is 100). */
    private static final int MAX_INTEGRITY_PROBLEMS = 10;

    private WholeFile() {
    }

    /**
     * Writes a copy of the database on {@code db} to the new file {@code target}: SQLite's
     * {@code VACUUM INTO}, which reads in one read transaction of its own, so the copy is consistent
     * at one instant while writers go on (WAL). {@code db} must not be in a transaction; a read-only
     * connection ({@code query_only}) is allowed to write the copy for the duration.
     */
    public static void copyInto(Db db, Path target) throws IOException {
        synchronized (db) {
            try {
                db.execute("PRAGMA query_only = 0"); // VACUUM INTO writes another file, never this one
                try (PreparedStatement ps = db.connection().prepareStatement("VACUUM INTO ?")) {
                    ps.setString(1, target.toString());
                    ps.execute();
                } finally {
                    db.execute("PRAGMA query_only = 1");
                }
            } catch (SQLException e) {
                throw Db.io("cannot copy the repository to " + target.getFileName(), e);
            }
        }
    }

    /**
     * What SQLite's {@code PRAGMA integrity_check} finds wrong with the file (b-trees, pages,
     * indexes, constraints; not the bytes stored in blobs), empty if nothing.
     */
    public static List<String> integrityProblems(Db db) throws IOException {
        synchronized (db) {
            List<String> problems = new ArrayList<>();
            try (Statement st = db.connection().createStatement();
                    ResultSet rs = st.executeQuery("PRAGMA integrity_check(" + MAX_INTEGRITY_PROBLEMS + ")")) {
                while (rs.next()) {
                    String line = rs.getString(1);
                    if (!"ok".equals(line)) {
                        problems.add(line);
                    }
                }
            } catch (SQLException e) {
                problems.add(e.getMessage());
            }
            return problems;
        }
    }

    /**
     * What a gitwar repository never has but a file from elsewhere might: triggers and views, which
     * would run code or change what gitwar's own statements do. One line per such object.
     */
    public static List<String> foreignObjects(Db db) throws IOException {
        synchronized (db) {
            List<String> found = new ArrayList<>();
            try (Statement st = db.connection().createStatement();
                    ResultSet rs = st.executeQuery("SELECT type, name FROM sqlite_master WHERE type NOT IN ('table', 'index')")) {
                while (rs.next()) {
                    found.add("not a gitwar repository: it has a " + rs.getString(1) + " " + rs.getString(2));
                }
            } catch (SQLException e) {
                found.add(e.getMessage());
            }
            return found;
        }
    }

    /**
     * Makes the file a WAL database as gitwar's are (a {@code VACUUM INTO} copy is in rollback
     * mode) and ends with everything in the main file, so it can be moved without its companions.
     */
    public static void prepareToServe(Db db) throws IOException {
        synchronized (db) {
            try {
                db.execute("PRAGMA journal_mode = WAL");
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException e) {
                throw Db.io("cannot prepare the repository file", e);
            }
        }
    }
}
