package io.gitwar.storage;

import io.gitwar.storage.dfs.ShippedPack;
import io.gitwar.storage.dfs.SolePackIndexes;
import io.gitwar.storage.file.Db;
import io.gitwar.storage.file.Wal;
import io.gitwar.storage.file.WriteAbandoned;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jgit.storage.pack.PackConfig;

/**
 * The repository's single open write transaction (SQLite {@code BEGIN IMMEDIATE}). Everything written
 * through {@link #repository()} (packs, refs) becomes visible to other transactions at
 * {@link #commit()} and not before; {@link #rollback()} or a crash leaves no trace. Close it after
 * commit or rollback (closing an unfinished transaction rolls it back), on the thread that began it.
 */
public final class WriteTransaction extends StoreTransaction {

    private static final Logger LOG = Logger.getLogger(WriteTransaction.class.getName());

    /** The staged new file this transaction creates the repository in, or null. */
    private final Path creating;
    private boolean finished;
    private boolean committed;
    private boolean rollbackOnly;

    WriteTransaction(SqliteStore store, Db db, Path creating) {
        super(store, db);
        this.creating = creating;
    }

    @Override
    public boolean isWritable() {
        return !finished;
    }

    /**
     * Makes the transaction durable (fsync of the WAL with synchronous=FULL); a transaction that
     * creates the repository also moves its file into place.
     */
    public void commit() throws IOException {
        synchronized (db) {
            requireOpen();
            if (rollbackOnly) {
                throw new IllegalStateException("transaction marked for rollback");
            }
            if (abandonedReason() != null) {
                throw new WriteAbandoned(abandonedReason());
            }
            try {
                db.execute("COMMIT");
            } catch (SQLException e) {
                throw Db.io("commit failed on " + repositoryName(), e);
            }
            finished = true;
            if (creating == null) {
                trimWal();
            } else {
                Wal.checkpoint(db);
                closeRepository();
                db.close(); // the last connection: SQLite removes the (empty) WAL
                store.publish(creating);
            }
            committed = true;
        }
    }

    /** The commit is durable; a WAL left over its limit is only space, given back if it can be now. */
    private void trimWal() {
        try {
            Wal.trim(db, store.file().resolveSibling(store.file().getFileName() + "-wal"));
        } catch (IOException e) {
            LOG.log(Level.FINE, "WAL of " + repositoryName() + " not trimmed", e);
        }
    }

    /** Whether this transaction creates the repository (it did not exist when the transaction began). */
    public boolean isCreating() {
        return creating != null;
    }

    /** Makes the repository read-only (pushes refused) or writable again, at commit. */
    public void setReadOnly(boolean readOnly) throws IOException {
        requireOpen();
        settingRows.setReadOnly(readOnly);
    }

    /**
     * Records that a push moved refs at {@code at} (the repository's {@code last_push_at}), one more
     * in its generation.
     *
     * @return the repository's generation with this push
     */
    public long recordPush(Instant at) throws IOException {
        requireOpen();
        settingRows.setLastPushAt(at);
        long generation = settingRows.generation() + 1;
        settingRows.setGeneration(generation);
        return generation;
    }

    /**
     * Records, with this push, what the cluster says of the repository's copies (kept as given; read
     * back after a restart of the whole cluster).
     */
    public void recordCopies(String copies) throws IOException {
        requireOpen();
        settingRows.setCopies(copies);
    }

    /**
     * The packs a push received in this transaction, as stored: pack and index streams, readable until
     * the transaction ends (what its replicas are sent, see {@link PushReplay}).
     */
    public List<ShippedPack> receivedPacks() throws IOException {
        requireOpen();
        return repository().receivedPacks();
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

    /**
     * Marks this transaction dead from another thread (the transaction manager ended it: its time
     * ran out) without touching its connection: the owner's next read or write of pack data fails
     * with {@link WriteAbandoned} carrying {@code reason}, and it cannot
     * commit. The owning thread still rolls back and closes, as always.
     */
    public void abandon(String reason) {
        packRows.abandon(reason);
    }

    /** Why this transaction was {@linkplain #abandon abandoned}, or null. */
    public String abandonedReason() {
        return packRows.abandonedReason();
    }

    /** From now on this transaction can only be rolled back: what it wrote is not to be kept. */
    public void setRollbackOnly() {
        rollbackOnly = true;
    }

    public boolean isRollbackOnly() {
        return rollbackOnly;
    }

    /** True when something was committed or rolled back. */
    public boolean isFinished() {
        synchronized (db) {
            return finished;
        }
    }

    /**
     * Deletes the packs that a repack retired before {@code cutoff}, with their files and chunks.
     * Readers whose snapshot began earlier still read them; later ones no longer see them.
     *
     * @return how many packs were deleted
     */
    public int deleteRetiredPacks(Instant cutoff) throws IOException {
        requireOpen();
        return packRows.deleteRetiredBefore(cutoff);
    }

    /**
     * Gives the repository's only pack, if it is its first push and holds nothing unreachable, the
     * bitmap and commit graph a repack would write, without rewriting it ({@link SolePackIndexes}).
     *
     * @return whether it did; if not, a repack is what the repository needs
     */
    public boolean indexSolePack(PackConfig config) throws IOException {
        requireOpen();
        return SolePackIndexes.write(repository(), packRows, config);
    }

    /**
     * Deletes one pack a repack retired, before its grace period is over, with its files and
     * chunks; a live pack is never deleted here.
     *
     * @return whether a retired pack of that name was deleted
     */
    public boolean deleteRetiredPack(String name) throws IOException {
        requireOpen();
        return packRows.deleteRetired(name);
    }

    @Override
    public void close() {
        closeRepository();
        boolean healthy;
        synchronized (db) {
            if (!finished) {
                rollback();
            }
            if (creating != null) {
                db.close();
                if (!committed) {
                    SqliteStore.deleteWithCompanions(creating);
                }
                store.returnWriter(null, false);
                return;
            }
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
