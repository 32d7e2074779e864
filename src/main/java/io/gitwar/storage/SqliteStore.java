package io.gitwar.storage;

import io.gitwar.storage.file.Db;
import io.gitwar.storage.file.Schema;
import io.gitwar.storage.file.StorageFailure;
import io.gitwar.storage.file.Wal;
import io.gitwar.storage.file.WholeFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * One repository's SQLite file: opens read snapshots and write transactions on it.
 *
 * <p>Thread-safe. Any number of {@link ReadSnapshot}s may be open at once, each on its own pooled
 * connection (WAL readers never block each other or the writer). At most one {@link WriteTransaction}
 * is open at a time: callers serialize writes (the repository actor does), and this class enforces it
 * with a single write connection. {@link #close()} releases pooled connections.
 *
 * <p>A repository comes into being whole: the first write transaction works on a new file in the
 * staging directory, and its commit moves that file to its place (a hard link, which never replaces
 * an existing file, then a directory sync). A first push that fails leaves no file and no
 * directory behind, and no reader ever sees a repository that is about to disappear.
 */
public final class SqliteStore implements AutoCloseable {

    /** Pooled read connections kept open; more may be open while busy. */
    private static final int MAX_IDLE_READERS = 4;

    /** How long a connection waits for a lock held by another process before failing. */
    private static final int BUSY_TIMEOUT_MS = 30_000;

    /** How a connection is opened: on an existing file to read or write it, or on a new file gitwar made. */
    private enum Mode { READ, WRITE, CREATE }

    private final Path file;
    private final Path staging;
    private final String repositoryName;
    private final DamagedRepositories damaged;
    private final NameHolds holds;
    private final Deque<Db> idleReaders = new ArrayDeque<>();
    private Db writer;
    private boolean writerInUse;
    /** Read connections lent out (snapshots, copies), counted before they are opened. */
    private int borrowed;
    private boolean closed;
    /** Snapshots opened so far: each one's number, in the order they were opened. */
    private long snapshotsOpened;
    /** The numbers of the snapshots still open. */
    private final java.util.TreeSet<Long> openSnapshots = new java.util.TreeSet<>();

    private SqliteStore(Path file, Path staging, String repositoryName, DamagedRepositories damaged,
            NameHolds holds) {
        this.file = file;
        this.staging = staging;
        this.repositoryName = repositoryName;
        this.damaged = damaged;
        this.holds = holds;
    }

    /**
     * Deregisters the JDBC drivers this deployment's class loader registered: sqlite-jdbc's driver
     * registers itself with the JVM-wide {@link DriverManager} when its class loads, which would keep
     * this deployment's class loader (and its copy of the native library) after an undeploy. gitwar
     * opens connections through {@link SQLiteDataSource} and never through the registration. Call
     * it when the application stops, after every store is closed.
     */
    public static void deregisterDrivers() {
        ClassLoader own = SqliteStore.class.getClassLoader();
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == own) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException | SecurityException e) {
                    Logger.getLogger(SqliteStore.class.getName()).log(Level.WARNING,
                            "cannot deregister the JDBC driver " + driver.getClass().getName(), e);
                }
            }
        }
    }

    /**
     * A store for {@code file}; nothing is opened or created until a transaction asks.
     *
     * @param staging where a new repository's file is written until its first commit (on the same
     *        file system as {@code file})
     * @param repositoryName the name JGit's caches key this repository's files by
     * @param damaged where a file found not to be a gitwar repository is reported
     * @param holds the names whose files are being swapped or may still be open (see {@link NameHolds})
     */
    static SqliteStore at(Path file, Path staging, String repositoryName, DamagedRepositories damaged,
            NameHolds holds) {
        return new SqliteStore(file, staging, repositoryName, damaged, holds);
    }

    /** A store whose new file is staged beside {@code file}'s directory. */
    public static SqliteStore at(Path file, String repositoryName) {
        return at(file, file.toAbsolutePath().getParent(), repositoryName, new DamagedRepositories(), new NameHolds());
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
     * Opens a consistent read-only view of the repository as of its first read. A read never
     * creates, initialises or migrates the file.
     *
     * @throws RepositoryMissingException if the file does not exist
     * @throws RepositoryDamagedException if the file is not a gitwar repository
     * @throws OutdatedSchemaException if the file must be {@link #migrate() migrated} first
     */
    public ReadSnapshot openSnapshot() throws IOException {
        refuseIfDamaged();
        Db db = borrowReader();
        try {
            db.connection().setAutoCommit(false); // deferred BEGIN: the snapshot starts at the first read
            long number;
            synchronized (this) {
                number = ++snapshotsOpened;
                openSnapshots.add(number);
            }
            return new ReadSnapshot(this, db, number);
        } catch (SQLException e) {
            db.close();
            throw Db.io("cannot open a read snapshot of " + repositoryName, e);
        }
    }

    /**
     * Begins the write transaction, on a new staged file if the repository does not exist yet; an
     * existing file of an older schema version is migrated first. The caller commits or rolls back
     * and then closes it; until it is closed no other write transaction can begin.
     *
     * @throws RepositoryDamagedException if the file is not a gitwar repository (it is left as it is)
     */
    public WriteTransaction beginWrite() throws IOException {
        refuseIfDamaged();
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
        Path creating = null;
        boolean begun = false;
        try {
            if (holds.state(repositoryName) != null) {
                throw new RepositoryHeldException(repositoryName);
            }
            if (db == null) {
                if (exists()) {
                    db = open(file, Mode.WRITE);
                } else {
                    Files.createDirectories(staging);
                    creating = staging.resolve("new-" + UUID.randomUUID() + ".sqlite");
                    db = open(creating, Mode.CREATE);
                }
            }
            db.execute("BEGIN IMMEDIATE");
            begun = true;
            return new WriteTransaction(this, db, creating);
        } catch (SQLException e) {
            throw Db.io("cannot begin a write on " + repositoryName, e);
        } finally {
            if (!begun) {
                if (db != null) {
                    db.close();
                }
                if (creating != null) {
                    deleteWithCompanions(creating);
                }
                synchronized (this) {
                    writerInUse = false;
                }
            }
        }
    }

    /**
     * Migrates an existing file of an older schema version to the current one (a write: call it in
     * the repository's write turn). A no-op on a missing or current file.
     */
    public void migrate() throws IOException {
        if (exists()) {
            try (WriteTransaction tx = beginWrite()) {
                tx.rollback(); // opening the write connection migrated the file; nothing else to write
            }
        }
    }

    /** Closes the pooled connections; the store stays usable and reopens them on demand. */
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

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        closeIdleConnections();
    }

    /**
     * Whether a connection of this store is open outside its pool: a read snapshot or a copy in
     * progress, or the write transaction. A {@linkplain #close() closed} store not in use has no
     * connection open at all.
     */
    public synchronized boolean inUse() {
        return borrowed > 0 || writerInUse;
    }

    /**
     * Waits until this store is not {@linkplain #inUse() in use}, at most {@code wait}.
     *
     * @return whether it is not in use
     */
    public synchronized boolean awaitNotInUse(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (inUse()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /**
     * Writes a copy of the repository, consistent at one instant, to {@code target} (a new file;
     * SQLite's {@code VACUUM INTO}, so the copy holds no free pages). Runs in a read transaction of
     * its own: writers go on meanwhile, and it takes no write turn.
     *
     * @throws OutdatedSchemaException if the file must be {@link #migrate() migrated} first
     */
    public void copyTo(Path target) throws IOException {
        refuseIfDamaged();
        Db db = borrowReader();
        boolean healthy = true;
        try {
            WholeFile.copyInto(db, target);
        } catch (IOException | RuntimeException e) {
            healthy = false;
            throw e;
        } finally {
            returnReader(db, healthy);
        }
    }

    /**
     * Moves a newly created file, committed and alone (its connection closed), to the repository's
     * place. Everything is in the main file: the WAL was checkpointed before the connection closed.
     *
     * @throws StorageFailure if the repository exists already or the move fails; nothing is published
     */
    void publish(Path created) throws IOException {
        if (holds.state(repositoryName) != null) {
            throw new RepositoryHeldException(repositoryName);
        }
        Files.createDirectories(file.getParent());
        try {
            Files.createLink(file, created); // link(2): atomic, and never replaces an existing file
        } catch (FileAlreadyExistsException e) {
            throw new StorageFailure("repository " + repositoryName + " was created by someone else meanwhile");
        } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
            Files.move(created, file); // no REPLACE_EXISTING: fails if the file appeared
        }
        syncDirectory(file.getParent());
        deleteWithCompanions(created);
    }

    static void deleteWithCompanions(Path created) {
        for (String suffix : DataDirectory.COMPANION_SUFFIXES) {
            deleteQuietly(created.resolveSibling(created.getFileName() + suffix));
        }
        deleteQuietly(created);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the staging directory is emptied at the next start
        }
    }

    /** A rename is durable only once its directory is synced (fsync of the directory). */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // file systems that cannot open directories (not Linux) sync renames themselves
        }
    }

    /**
     * A mark of this moment among snapshots: those opened later start after it (a write committed
     * before the mark is taken is in all of them). See {@link #snapshotOpenFrom}.
     */
    public synchronized long snapshotMark() {
        return snapshotsOpened;
    }

    /**
     * Whether a snapshot opened up to {@code mark} is still open: it may still read what a write
     * committed before the mark removed (SQLite keeps it for its read transaction).
     */
    public synchronized boolean snapshotOpenFrom(long mark) {
        return !openSnapshots.isEmpty() && openSnapshots.first() <= mark;
    }

    synchronized void snapshotClosed(long number) {
        openSnapshots.remove(number);
    }

    void returnReader(Db db, boolean healthy) {
        boolean pooled = false;
        synchronized (this) {
            if (healthy && !closed && idleReaders.size() < MAX_IDLE_READERS) {
                idleReaders.push(db);
                pooled = true;
            }
        }
        if (!pooled) {
            db.close();
        }
        synchronized (this) {
            borrowed--; // after the close: a store not in use has nothing open
            notifyAll();
        }
    }

    /** Ends a write transaction; a connection that is null or unhealthy is not kept. */
    void returnWriter(Db db, boolean healthy) {
        boolean pooled = false;
        synchronized (this) {
            if (db != null && healthy && !closed) {
                writer = db;
                pooled = true;
            }
        }
        if (db != null && !pooled) {
            db.close();
        }
        synchronized (this) {
            writerInUse = false; // after the close, as for readers
            notifyAll();
        }
    }

    /**
     * A read connection, counted as lent out before it is opened, so that whoever holds the name
     * and then finds the store not {@linkplain #inUse() in use} knows that no connection can open
     * on the file any more (see {@link NameHolds}).
     */
    private Db borrowReader() throws IOException {
        synchronized (this) {
            ensureOpen();
            borrowed++;
            Db db = idleReaders.poll();
            if (db != null) {
                return db;
            }
        }
        boolean opened = false;
        try {
            NameHolds.State held = holds.state(repositoryName);
            if (held == NameHolds.State.SWAPPING) {
                throw new RepositoryHeldException(repositoryName);
            }
            if (!exists()) {
                throw new RepositoryMissingException(repositoryName);
            }
            if (held != null) {
                throw new RepositoryHeldException(repositoryName);
            }
            Db db = open(file, Mode.READ);
            opened = true;
            return db;
        } finally {
            if (!opened) {
                synchronized (this) {
                    borrowed--;
                    notifyAll();
                }
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("store closed: " + repositoryName);
        }
    }

    private void refuseIfDamaged() throws RepositoryDamagedException {
        String refusal = damaged.refusal(repositoryName);
        if (refusal != null) {
            throw new RepositoryDamagedException(repositoryName, refusal);
        }
    }

    /**
     * A connection on {@code path}: an existing file is first checked to be a gitwar repository
     * (and left untouched if not); only a new file gets a schema; only a write migrates one.
     */
    private Db open(Path path, Mode mode) throws IOException {
        Db db;
        try {
            db = new Db(dataSource(path, mode).getConnection());
        } catch (SQLException e) {
            if (mode != Mode.CREATE && Schema.isNotADatabase(e)) {
                throw damaged("not an SQLite database (" + e.getMessage() + ")");
            }
            throw Db.io("cannot open " + path, e);
        }
        try {
            if (mode == Mode.CREATE) {
                Schema.create(db.connection());
                return db;
            }
            if (mode == Mode.READ) {
                db.execute("PRAGMA query_only = 1"); // a stray write fails loudly
            }
            String problem = Schema.problem(db.connection());
            if (problem != null) {
                db.close();
                throw damaged(problem);
            }
            if (mode == Mode.WRITE) {
                Schema.migrate(db.connection());
            } else {
                int version = Schema.userVersion(db.connection());
                if (version != Schema.CURRENT_VERSION) {
                    db.close();
                    throw new OutdatedSchemaException(repositoryName, version);
                }
            }
            damaged.healthy(repositoryName);
            return db;
        } catch (SQLException e) {
            db.close();
            throw Db.io("cannot open " + path, e);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * A connection on a file that is not served (yet): no check of what it holds, no migration. For
     * examining and preparing a staged file ({@link StagedFile}).
     */
    static Db openUnchecked(Path path) throws IOException {
        try {
            return new Db(dataSource(path, Mode.WRITE).getConnection());
        } catch (SQLException e) {
            throw Db.io("cannot open " + path.getFileName(), e);
        }
    }

    private RepositoryDamagedException damaged(String reason) {
        damaged.report(repositoryName, file, reason);
        return new RepositoryDamagedException(repositoryName, reason);
    }

    private static SQLiteDataSource dataSource(Path path, Mode mode) {
        SQLiteConfig config = new SQLiteConfig();
        // An acknowledged push must survive a power cut: fsync the WAL on every commit.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        // What a checkpoint leaves of the WAL (see Wal): SQLite's default keeps its largest size forever.
        config.setJournalSizeLimit((int) Wal.LIMIT_BYTES);
        if (mode == Mode.READ) {
            config.resetOpenMode(SQLiteOpenMode.CREATE); // readers never create the file
        }
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + path);
        return ds;
    }
}
