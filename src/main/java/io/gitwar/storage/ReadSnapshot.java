package io.gitwar.storage;

import io.gitwar.storage.file.Db;
import java.sql.SQLException;

/**
 * A read-only, consistent view of a repository (an open SQLite read transaction). Packs that a
 * concurrent repack deletes stay readable through it until it is closed.
 */
public final class ReadSnapshot extends StoreTransaction {

    private final long number;

    ReadSnapshot(SqliteStore store, Db db, long number) {
        super(store, db);
        this.number = number;
    }

    @Override
    public void close() {
        store.snapshotClosed(number);
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
