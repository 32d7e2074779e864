package io.gitwar.storage;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The repository's single open write transaction (SQLite {@code BEGIN IMMEDIATE}). Everything written
 * through {@link #repository()} (packs, refs) becomes visible to other sessions at {@link #commit()}
 * and not before; {@link #rollback()} or a crash leaves no trace. Close it after commit or rollback
 * (closing an unfinished transaction rolls it back).
 */
public final class WriteTransaction extends StoreSession {

    private boolean finished;

    WriteTransaction(SqliteStore store, Db db) {
        super(store, db);
    }

    @Override
    public boolean isWritable() {
        return !finished;
    }

    /** Makes the transaction durable (fsync of the WAL with synchronous=FULL). */
    public void commit() throws IOException {
        synchronized (db) {
            requireOpen();
            try {
                db.execute("COMMIT");
                finished = true;
            } catch (SQLException e) {
                throw Db.io("commit failed on " + repositoryName(), e);
            }
        }
    }

    /** Discards everything written in this transaction. Idempotent. */
    public void rollback() {
        synchronized (db) {
            if (finished) {
                return;
            }
            finished = true;
            try {
                db.execute("ROLLBACK");
            } catch (SQLException e) {
                // SQLite already rolled back (e.g. after an I/O error); nothing is committed either way
            }
        }
    }

    /** True when something was committed or rolled back. */
    public boolean isFinished() {
        synchronized (db) {
            return finished;
        }
    }

    /** True when the repository holds no refs except HEAD and no packs (a brand-new, empty file). */
    public boolean isEmptyRepository() throws IOException {
        return refRows.countDirectRefs() == 0 && packRows.countPacks() == 0;
    }

    /**
     * Deletes the packs that a compaction retired before {@code cutoff}, with their files and chunks.
     * Readers whose snapshot began earlier still read them; later ones no longer see them.
     *
     * @return how many packs were deleted
     */
    public int deleteRetiredPacks(Instant cutoff) throws IOException {
        requireOpen();
        return packRows.deleteRetiredBefore(cutoff.toEpochMilli());
    }

    @Override
    public void close() {
        closeRepository();
        boolean healthy;
        synchronized (db) {
            if (!finished) {
                rollback();
            }
            healthy = true;
            try {
                healthy = db.connection().getAutoCommit();
            } catch (SQLException e) {
                healthy = false;
            }
        }
        store.returnWriter(db, healthy);
    }

    private void requireOpen() {
        if (finished) {
            throw new IllegalStateException("transaction already finished");
        }
    }
}
