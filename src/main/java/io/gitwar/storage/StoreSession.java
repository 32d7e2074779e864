package io.gitwar.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;

/**
 * A unit of work on one repository file: a read snapshot or the write transaction. It owns one
 * connection until closed and hands out the JGit repository bound to it.
 *
 * <p>Used by one request; JGit's helper threads may call in concurrently, so SQL runs under the
 * connection's monitor. Close it exactly once (the repository becomes unusable afterwards).
 */
public abstract sealed class StoreSession implements AutoCloseable permits ReadSnapshot, WriteTransaction {

    final SqliteStore store;
    final Db db;
    final PackRows packRows;
    final RefRows refRows;
    private final DfsRepositoryDescription description;
    private SqliteRepository repository;

    StoreSession(SqliteStore store, Db db) {
        this.store = store;
        this.db = db;
        this.packRows = new PackRows(db);
        this.refRows = new RefRows(db);
        this.description = new DfsRepositoryDescription(store.repositoryName());
    }

    /** The JGit repository seeing exactly what this session sees. Closed with the session. */
    public synchronized SqliteRepository repository() throws IOException {
        if (repository == null) {
            repository = new SqliteRepository.Builder()
                    .setSession(this)
                    .setRepositoryDescription(description)
                    .build();
        }
        return repository;
    }

    /** The committed, live packs, newest first. */
    public List<StoredPack> packs() throws IOException {
        return packRows.listStoredPacks(false);
    }

    /** The live packs newest first, then those a compaction retired but that are still kept. */
    public List<StoredPack> packsIncludingRetired() throws IOException {
        return packRows.listStoredPacks(true);
    }

    /**
     * Streams {@code length} bytes of a stored file from {@code offset}, reading only the chunks that
     * cover the range. The stream is valid while this session is open.
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

    public String repositoryName() {
        return store.repositoryName();
    }

    DfsRepositoryDescription description() {
        return description;
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
}
