package io.gitwar.storage;

import io.gitwar.storage.dfs.SqliteRepository;
import io.gitwar.storage.dfs.TransactionRows;
import io.gitwar.storage.file.ChunkInputStream;
import io.gitwar.storage.file.Db;
import io.gitwar.storage.file.HookRows;
import io.gitwar.storage.file.OutboxRows;
import io.gitwar.storage.file.PackRows;
import io.gitwar.storage.file.RefRows;
import io.gitwar.storage.file.SettingRows;
import io.gitwar.storage.file.StoredFile;
import io.gitwar.storage.file.StoredPack;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jgit.internal.storage.file.PackIndex;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.AnyObjectId;

/**
 * A transaction on one repository file: a {@link ReadSnapshot} or the {@link WriteTransaction}. It
 * owns one connection until closed and hands out the JGit repository bound to it.
 *
 * <p>Used by one request; JGit's helper threads may call in concurrently, so SQL runs under the
 * connection's monitor. Close it exactly once (the repository becomes unusable afterwards).
 */
public abstract sealed class StoreTransaction implements AutoCloseable permits ReadSnapshot, WriteTransaction {

    final SqliteStore store;
    final Db db;
    final PackRows packRows;
    final RefRows refRows;
    final SettingRows settingRows;
    private final HookRows hookRows;
    private final OutboxRows outboxRows;
    private SqliteRepository repository;

    StoreTransaction(SqliteStore store, Db db) {
        this.store = store;
        this.db = db;
        this.packRows = new PackRows(db);
        this.refRows = new RefRows(db);
        this.settingRows = new SettingRows(db);
        this.hookRows = new HookRows(db);
        this.outboxRows = new OutboxRows(db);
    }

    /** The repository's webhooks and their delivery log; changed only through a {@link WriteTransaction}. */
    public HookRows hooks() {
        return hookRows;
    }

    /** The webhook deliveries the repository owes; changed only through a {@link WriteTransaction}. */
    public OutboxRows outbox() {
        return outboxRows;
    }

    /** The JGit repository seeing exactly what this transaction sees. Closed with the transaction. */
    public synchronized SqliteRepository repository() throws IOException {
        if (repository == null) {
            repository = SqliteRepository.open(new Rows());
        }
        return repository;
    }

    /** The committed, live packs, newest first. */
    public List<StoredPack> packs() throws IOException {
        return packRows.list(false);
    }

    /** The live packs newest first, then those a repack retired but that are still kept. */
    public List<StoredPack> packsIncludingRetired() throws IOException {
        return packRows.list(true);
    }

    /**
     * The pack clients know as {@code pack-<checksum>}, live or retired (still kept for its grace
     * period). The name is the checksum of the pack's bytes, so any pack found under it holds the
     * same bytes and the same v2 index.
     */
    public Optional<StoredPack> packByChecksum(String checksum) throws IOException {
        return packRows.findByChecksum(checksum).stream().findFirst();
    }

    /**
     * The first retired pack among those {@code among} accepts whose index lists {@code id}. Reads
     * each candidate's whole index, so callers pass only packs with small ones.
     */
    public Optional<StoredPack> retiredPackHolding(AnyObjectId id, Predicate<StoredPack> among) throws IOException {
        for (StoredPack p : packRows.list(true)) {
            StoredFile index = p.file(PackExt.INDEX);
            if (p.retired() && index != null && among.test(p)) {
                try (InputStream in = openFile(index, 0, index.size())) {
                    if (PackIndex.read(in).hasObject(id)) {
                        return Optional.of(p);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Streams {@code length} bytes of a stored file from {@code offset}, reading only the chunks that
     * cover the range. The stream is valid while this transaction is open.
     */
    public InputStream openFile(StoredFile file, long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || offset + length > file.size()) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside " + file);
        }
        return new ChunkInputStream(packRows, file.id(), offset, length);
    }

    public boolean isWritable() {
        return false;
    }

    /** Whether an operator made this repository read-only: pushes are refused. */
    public boolean readOnly() throws IOException {
        return settingRows.readOnly();
    }

    /** When a push last moved a ref of this repository, or null. */
    public Instant lastPushAt() throws IOException {
        return settingRows.lastPushAt();
    }

    /** How many pushes that moved refs this repository has had (see {@link SettingRows#generation}). */
    public long generation() throws IOException {
        return settingRows.generation();
    }

    /** What the cluster recorded of this repository's copies with its last push, or null (not replicated). */
    public String copies() throws IOException {
        return settingRows.copies();
    }

    /** How many refs point at objects (symbolic refs such as HEAD not counted). */
    public long refCount() throws IOException {
        return refRows.countDirect();
    }

    public String repositoryName() {
        return store.repositoryName();
    }

    void closeRepository() {
        SqliteRepository r;
        synchronized (this) {
            r = repository;
            repository = null;
        }
        if (r != null) {
            r.close();
        }
    }

    @Override
    public abstract void close();

    /** This transaction's rows as JGit's DFS adapter reads and writes them; not handed to anyone else. */
    private final class Rows implements TransactionRows {
        @Override
        public PackRows packRows() {
            return packRows;
        }

        @Override
        public RefRows refRows() {
            return refRows;
        }

        @Override
        public boolean isWritable() {
            return StoreTransaction.this.isWritable();
        }

        @Override
        public String repositoryName() {
            return store.repositoryName();
        }
    }
}
