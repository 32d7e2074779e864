package io.gitwar.storage.file;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteJDBCLoader;

/**
 * SQLite's native library as the JDBC driver loads it (sqlite-jdbc unpacks the one for the platform
 * at first use; without it no repository can be opened). For the readiness check.
 */
public final class SqliteLibrary {

    private SqliteLibrary() {
    }

    /**
     * Loads the library if it is not loaded yet and runs one query on an in-memory database: proof
     * that it works here, in about a millisecond.
     *
     * @return SQLite's version, e.g. {@code 3.51.1}
     * @throws StorageFailure if the library cannot be loaded or does not answer
     */
    public static String version() throws StorageFailure {
        boolean loaded;
        try {
            loaded = SQLiteJDBCLoader.initialize();
        } catch (Exception e) { // declared so by the driver: an unpacking or linking failure
            StorageFailure failure = new StorageFailure("SQLite's native library cannot be loaded: " + e);
            failure.initCause(e);
            throw failure;
        }
        if (!loaded) {
            throw new StorageFailure("SQLite's native library is not loaded");
        }
        SQLiteDataSource memory = new SQLiteDataSource();
        memory.setUrl("jdbc:sqlite::memory:");
        try (Connection c = memory.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT sqlite_version()")) {
            r.next();
            return r.getString(1);
        } catch (SQLException e) {
            throw new StorageFailure("SQLite does not answer", e);
        }
    }
}
