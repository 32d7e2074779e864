package io.gitwar.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * A digest of everything a repository file holds (every row of every table), to assert that a
 * rejected request stored nothing. "absent" when the file does not exist.
 */
public final class StoreDigest {

    private StoreDigest() {
    }

    public static String of(Path file) throws Exception {
        if (!Files.exists(file)) {
            return "absent";
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
                Statement s = c.createStatement()) {
            for (String q : new String[] {
                "SELECT * FROM pack ORDER BY name",
                "SELECT * FROM pack_file ORDER BY id",
                "SELECT id, data FROM chunk ORDER BY id",
                "SELECT * FROM ref ORDER BY name"}) {
                md.update(q.getBytes());
                try (ResultSet rs = s.executeQuery(q)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            byte[] v = rs.getBytes(i);
                            md.update(v == null ? new byte[] {0} : v);
                            md.update((byte) 0x1f);
                        }
                    }
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
