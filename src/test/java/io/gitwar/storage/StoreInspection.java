package io.gitwar.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/** Reads what a repository file holds, from outside the server (read-only; WAL allows it meanwhile). */
public final class StoreInspection {

    private StoreInspection() {
    }

    /** Live packs that clients may read: neither retired by a repack nor unreachable garbage. */
    public static int livePacks(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pack WHERE retired_at IS NULL "
                        + "AND source <> 'UNREACHABLE_GARBAGE'")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Whether a live pack carries a reachability bitmap. */
    public static boolean hasBitmap(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pack p JOIN pack_file f ON f.pack = p.name "
                        + "WHERE p.retired_at IS NULL AND f.ext = 'bitmap'")) {
            return rs.next() && rs.getInt(1) > 0;
        }
    }

    /** The bytes of the files of the live packs, or of those a repack retired and that are still kept. */
    public static long packBytes(Path file, boolean retired) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT coalesce(sum(f.size), 0) FROM pack p JOIN pack_file f ON f.pack = p.name"
                        + " WHERE p.retired_at IS " + (retired ? "NOT NULL" : "NULL"))) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
