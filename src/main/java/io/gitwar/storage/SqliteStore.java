package io.gitwar.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * One repository's SQLite file: opens read snapshots and write transactions on it.
 *
 * <p>Thread-safe. Any number of {@link ReadSnapshot}s may be open at once, each on its own pooled
 * connection (WAL readers never block each other or the writer). At most one {@link WriteTransaction}
 * is open at a time: callers serialize writes (the repository actor does), and this class enforces it
 * with a single write connection. {@link #closeIdleConnections()} releases pooled connections; the
 * store stays usable and reopens them on demand.
 */
public final class SqliteStore implements AutoCloseable {

    /** Pooled read connections kept open; more may be open while busy. */
    private static final int MAX_IDLE_READERS = 4;

    /** How long a connection waits for a lock held by another process before failing. */
    private static final int BUSY_TIMEOUT_MS = 30_000;

    private final Path file;
    private final String repositoryName;
    private final Deque<Db> idleReaders = new ArrayDeque<>();
    private Db writer;
    private boolean writerInUse;
    private boolean closed;

    private SqliteStore(Path file, String repositoryName) {
        this.file = file;
        this.repositoryName = repositoryName;
    }

    /**
     * A store for {@code file}; nothing is opened or created until a session asks.
     *
     * @param repositoryName the name JGit's caches key this repository's files by
     */
    public static SqliteStore at(Path file, String repositoryName) {
        return new SqliteStore(file, repositoryName);
    }

    public Path file() {
        return file;
    }

    public String repositoryName() {
        return repositoryName;
    }

    /** True once a write transaction created the file. */
    public boolean exists() {
        return Files.isRegularFile(file);
    }

    /**
     * Opens a consistent read-only view of the repository as of its first read.
     *
     * @throws RepositoryMissingException if the file does not exist
     */
    public ReadSnapshot openSnapshot() throws IOException {
        Db db = borrowReader();
        try {
            db.connection().setAutoCommit(false); // deferred BEGIN: the snapshot starts at the first read
            return new ReadSnapshot(this, db);
        } catch (SQLException e) {
            db.close();
            throw Db.io("cannot open a read snapshot of " + repositoryName, e);
        }
    }

    /**
     * Begins the write transaction, creating the file (and its schema) if needed. The caller commits
     * or rolls back and then closes it; until it is closed no other write transaction can begin.
     */
    public WriteTransaction beginWrite() throws IOException {
        Db db;
        synchronized (this) {
            ensureOpen();
            if (writerInUse) {
                throw new IllegalStateException("a write transaction is already open on " + repositoryName);
            }
            writerInUse = true;
            db = writer;
            writer = null;
        }
        boolean begun = false;
        try {
            if (db == null) {
                db = open(true);
            }
            db.execute("BEGIN IMMEDIATE");
            begun = true;
            return new WriteTransaction(this, db);
        } catch (SQLException e) {
            throw Db.io("cannot begin a write on " + repositoryName, e);
        } finally {
            if (!begun) {
                if (db != null) {
                    db.close();
                }
                synchronized (this) {
                    writerInUse = false;
                }
            }
        }
    }

    /** Closes pooled connections that no session is using. */
    public void closeIdleConnections() {
        Deque<Db> toClose;
        synchronized (this) {
            toClose = new ArrayDeque<>(idleReaders);
            idleReaders.clear();
            if (writer != null) {
                toClose.add(writer);
                writer = null;
            }
        }
        toClose.forEach(Db::close);
    }

    /** True while a session holds a connection of this store's pool. */
    public synchronized boolean hasWriteInProgress() {
        return writerInUse;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        closeIdleConnections();
    }

    /**
     * Deletes the repository file and its WAL companions. Only for a repository that holds nothing
     * (a first push that failed); callers make sure no session is open.
     */
    public void deleteFiles() throws IOException {
        closeIdleConnections();
        for (String suffix : new String[] {"-wal", "-shm", ""}) {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
        }
    }

    void returnReader(Db db, boolean healthy) {
        synchronized (this) {
            if (healthy && !closed && idleReaders.size() < MAX_IDLE_READERS) {
                idleReaders.push(db);
                return;
            }
        }
        db.close();
    }

    void returnWriter(Db db, boolean healthy) {
        synchronized (this) {
            writerInUse = false;
            if (healthy && !closed) {
                writer = db;
                return;
            }
        }
        db.close();
    }

    private Db borrowReader() throws IOException {
        synchronized (this) {
            ensureOpen();
            Db db = idleReaders.poll();
            if (db != null) {
                return db;
            }
        }
        if (!exists()) {
            throw new RepositoryMissingException(repositoryName);
        }
        return open(false);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("store closed: " + repositoryName);
        }
    }

    private Db open(boolean forWriting) throws IOException {
        try {
            if (forWriting) {
                Files.createDirectories(file.getParent());
            }
            SQLiteConfig config = new SQLiteConfig();
            // An acknowledged push must survive a power cut: fsync the WAL on every commit.
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(BUSY_TIMEOUT_MS);
            if (!forWriting) {
                // Readers never create the file, and query_only makes a stray write fail loudly.
                config.resetOpenMode(SQLiteOpenMode.CREATE);
            }
            SQLiteDataSource ds = new SQLiteDataSource(config);
            ds.setUrl("jdbc:sqlite:" + file);
            Db db = new Db(ds.getConnection());
            try {
                if (forWriting) {
                    Schema.migrate(db.connection());
                } else {
                    db.execute("PRAGMA query_only = 1");
                    int version = Schema.userVersion(db.connection());
                    if (version != Schema.CURRENT_VERSION) {
                        // An old file is migrated by its first write; until then read it via a writer.
                        db.close();
                        return openMigrated();
                    }
                }
                return db;
            } catch (SQLException | RuntimeException e) {
                db.close();
                throw e;
            }
        } catch (SQLException e) {
            throw Db.io("cannot open " + file, e);
        }
    }

    private Db openMigrated() throws IOException {
        Db db = open(true);
        try {
            db.execute("PRAGMA query_only = 1");
            return db;
        } catch (SQLException e) {
            db.close();
            throw Db.io("cannot open " + file, e);
        }
    }
}
