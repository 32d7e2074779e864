package io.gitwar.storage;

import io.gitwar.storage.file.Db;
import io.gitwar.storage.file.Schema;
import io.gitwar.storage.file.StorageFailure;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

    private final Path file;
    private final Path staging;
    private final String repositoryName;
    private final Deque<Db> idleReaders = new ArrayDeque<>();
    private Db writer;
    private boolean writerInUse;
    private boolean closed;

    private SqliteStore(Path file, Path staging, String repositoryName) {
        this.file = file;
        this.staging = staging;
        this.repositoryName = repositoryName;
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
     */
    public static SqliteStore at(Path file, Path staging, String repositoryName) {
        return new SqliteStore(file, staging, repositoryName);
    }

    /** A store whose new file is staged beside {@code file}'s directory. */
    public static SqliteStore at(Path file, String repositoryName) {
        return at(file, file.toAbsolutePath().getParent(), repositoryName);
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
     * Begins the write transaction, on a new staged file if the repository does not exist yet. The
     * caller commits or rolls back and then closes it; until it is closed no other write transaction
     * can begin.
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
        Path creating = null;
        boolean begun = false;
        try {
            if (db == null) {
                if (exists()) {
                    db = open(file, true);
                } else {
                    Files.createDirectories(staging);
                    creating = staging.resolve("new-" + UUID.randomUUID() + ".sqlite");
                    db = open(creating, true);
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
     * Moves a newly created file, committed and alone (its connection closed), to the repository's
     * place. Everything is in the main file: the WAL was checkpointed before the connection closed.
     *
     * @throws StorageFailure if the repository exists already or the move fails; nothing is published
     */
    void publish(Path created) throws IOException {
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

    /** Empties a committed new file's WAL into it, so that the file alone holds the repository. */
    static void checkpoint(Db db) throws IOException {
        try (Statement s = db.connection().createStatement();
                ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            if (!rs.next() || rs.getInt(1) != 0) {
                throw new StorageFailure("checkpoint of a new repository file did not complete");
            }
        } catch (SQLException e) {
            throw Db.io("cannot checkpoint a new repository file", e);
        }
    }

    static void deleteWithCompanions(Path created) {
        for (String suffix : new String[] {"-wal", "-shm", "-journal", ""}) {
            try {
                Files.deleteIfExists(created.resolveSibling(created.getFileName() + suffix));
            } catch (IOException ignored) {
                // the staging directory is emptied at the next start
            }
        }
    }

    /** A rename is durable only once its directory is synced (fsync of the directory). */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // file systems that cannot open directories (not Linux) sync renames themselves
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

    /** Ends a write transaction; a connection that is null or unhealthy is not kept. */
    void returnWriter(Db db, boolean healthy) {
        synchronized (this) {
            writerInUse = false;
            if (db != null && healthy && !closed) {
                writer = db;
                return;
            }
        }
        if (db != null) {
            db.close();
        }
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
        return open(file, false);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("store closed: " + repositoryName);
        }
    }

    private Db open(Path path, boolean forWriting) throws IOException {
        try {
            SQLiteConfig config = new SQLiteConfig();
            // An acknowledged push must survive a power cut: fsync the WAL on every commit.
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(BUSY_TIMEOUT_MS);
            if (!forWriting) {
                // Readers never create the file, and query_only makes a stray write fail loudly.
                config.resetOpenMode(SQLiteOpenMode.CREATE);
            }
            SQLiteDataSource ds = new SQLiteDataSource(config);
            ds.setUrl("jdbc:sqlite:" + path);
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
                        return openMigrated(path);
                    }
                }
                return db;
            } catch (SQLException | RuntimeException e) {
                db.close();
                throw e;
            }
        } catch (SQLException e) {
            throw Db.io("cannot open " + path, e);
        }
    }

    private Db openMigrated(Path path) throws IOException {
        Db db = open(path, true);
        try {
            db.execute("PRAGMA query_only = 1");
            return db;
        } catch (SQLException e) {
            db.close();
            throw Db.io("cannot open " + path, e);
        }
    }
}
