package io.gitwar.storage;

import io.gitwar.storage.file.Db;
import java.sql.SQLException;

/**
 * A read-only, consistent view of a repository (an open SQLite read transaction). Packs that a
 * concurrent repack deletes stay readable through it until it is closed.
 */
public final class ReadSnapshot extends StoreTransaction {

    ReadSnapshot(SqliteStore store, Db db) {
        super(store, db);
    }

    @Override
    public void close() {
        closeRepository();
        boolean healthy = true;
        synchronized (db) {
            try {
                db.connection().rollback();
                db.connection().setAutoCommit(true);
            } catch (SQLException e) {
                healthy = false;
            }
        }
        store.returnReader(db, healthy);
    }
}
