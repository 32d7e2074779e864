package io.gitwar.storage;

import io.gitwar.storage.dfs.Fsck;
import io.gitwar.storage.file.Db;
import io.gitwar.storage.file.HookRows;
import io.gitwar.storage.file.OutboxRows;
import io.gitwar.storage.file.Schema;
import io.gitwar.storage.file.SettingRows;
import io.gitwar.storage.file.StorageFailure;
import io.gitwar.storage.file.WholeFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * A repository file being made outside the repositories' tree, in the staging directory: a copy of
 * a repository (a fork, a rename) or a backup being restored. Nobody serves it until the data
 * directory publishes it under a name ({@link DataDirectory#publish}, {@link DataDirectory#replace});
 * closing an unpublished one deletes it.
 *
 * <p>Confined to one thread.
 */
public final class StagedFile implements AutoCloseable {

    /** Bytes between two asks for disk room while a file is received. */
    static final long ROOM_STEP = 16L << 20;

    private final Path path;
    private boolean published;

    private StagedFile(Path path) {
        this.path = path;
    }

    /** A new staged file (not created yet) under {@code staging}. */
    static StagedFile in(Path staging) throws IOException {
        Files.createDirectories(staging);
        return new StagedFile(staging.resolve("staged-" + UUID.randomUUID() + ".sqlite"));
    }

    Path path() {
        return path;
    }

    /** The file's size in bytes (0 before it exists). */
    public long size() throws IOException {
        return Files.exists(path) ? Files.size(path) : 0;
    }

    /** Reads the file from its beginning; valid until this staged file is closed. */
    public InputStream open() throws IOException {
        return Files.newInputStream(path);
    }

    /** Makes this file a copy of {@code source}, consistent at one instant ({@link SqliteStore#copyTo}). */
    public void copyOf(SqliteStore source) throws IOException {
        source.copyTo(path);
    }

    /**
     * Makes this file the bytes of {@code in}, read to its end, at most {@code maxBytes} (-1: no
     * limit). {@code room} is asked before each {@value #ROOM_STEP} bytes more of disk are taken
     * and throws to refuse them.
     *
     * @throws TooLargeException if {@code in} holds more than {@code maxBytes}
     */
    public void receive(InputStream in, long maxBytes, LongConsumer room) throws IOException {
        long limit = maxBytes < 0 ? Long.MAX_VALUE : maxBytes;
        byte[] buf = new byte[64 * 1024];
        long written = 0;
        long roomUntil = 0;
        try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (written + n > limit) {
                    throw new TooLargeException(limit);
                }
                if (written + n > roomUntil) {
                    room.accept(ROOM_STEP);
                    roomUntil = written + ROOM_STEP;
                }
                out.write(buf, 0, n);
                written += n;
            }
        }
    }

    /** A file larger than allowed was refused. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(long limit) {
            super("the file is larger than the limit of " + limit + " bytes");
        }
    }

    /**
     * Checks that this file is a sound gitwar repository, and brings it to the current schema:
     * an SQLite database whose {@code PRAGMA integrity_check} passes, with gitwar's tables and
     * nothing else that runs code (no triggers, no views), of a schema version this gitwar knows
     * (older ones are migrated here), and that JGit, reading it through gitwar's storage, finds
     * sound ({@link Fsck}: every ref's object present, every pack matching its checksum and index,
     * every object well-formed and every reachable object present). Then its WAL is folded into the
     * file, so that it can be moved alone.
     *
     * @return the problems found, empty if it may be served
     */
    public List<String> validate() throws IOException {
        List<String> databaseProblems = validateDatabase();
        if (!databaseProblems.isEmpty()) {
            return databaseProblems;
        }
        String name = "staged/" + path.getFileName(); // keys JGit's block cache: never a repository's name
        try (SqliteStore store = SqliteStore.at(path, name)) { // migrated by validateDatabase
            Fsck.Report report;
            try (ReadSnapshot s = store.openSnapshot()) {
                report = Fsck.check(s.repository());
            }
            if (!report.sound()) {
                List<String> problems = new ArrayList<>();
                report.brokenRefs().forEach(r -> problems.add("ref without its object: " + r));
                report.missingObjects().forEach(o -> problems.add("missing object " + o));
                report.corruptObjects().forEach(o -> problems.add("corrupt object " + o));
                report.corruptIndices().forEach(i -> problems.add("corrupt pack index " + i));
                report.nonCommitHeads().forEach(h -> problems.add("branch not pointing at a commit: " + h));
                report.unreadable().forEach(u -> problems.add("unreadable: " + u));
                return problems;
            }
        } catch (RepositoryDamagedException e) {
            return List.of(e.reason());
        } catch (IOException | RuntimeException e) {
            // whatever JGit or SQLite could not read is what is wrong with the file
            return List.of("unreadable: " + e.getMessage());
        }
        return List.of();
    }

    /**
     * The checks of {@link #validate} without JGit's: a sound SQLite database of gitwar's schema,
     * migrated and prepared to be served. For a copy another node of the cluster sends of a
     * repository it serves, whose bytes a digest vouches for: walking every object again (seconds
     * for a large repository, in a move's write pause) would only find what the sender's own checks
     * already keep out.
     *
     * @return the problems found, empty if it may be served
     */
    public List<String> validateDatabase() throws IOException {
        if (!Files.isRegularFile(path) || Files.size(path) == 0) {
            return List.of("an empty file");
        }
        List<String> fileProblems = fileProblems();
        if (!fileProblems.isEmpty()) {
            return fileProblems;
        }
        prepare();
        try (SqliteStore store = SqliteStore.at(path, "staged/" + path.getFileName())) {
            store.migrate();
        } catch (RepositoryDamagedException e) {
            return List.of(e.reason());
        } catch (IOException | RuntimeException e) {
            return List.of("unreadable: " + e.getMessage()); // what SQLite could not migrate is what is wrong
        }
        return List.of();
    }

    /** What SQLite finds wrong with the file as a database of gitwar's schema; empty if nothing. */
    private List<String> fileProblems() throws IOException {
        Db db;
        try {
            db = SqliteStore.openUnchecked(path);
        } catch (StorageFailure e) {
            // the driver's pragmas at open read the header: a truncated or foreign file fails here
            return List.of("not an SQLite database (" + e.getCause().getMessage() + ")");
        }
        try (db) {
            String problem;
            try {
                problem = Schema.problem(db.connection());
            } catch (SQLException e) {
                problem = "not an SQLite database (" + e.getMessage() + ")";
            }
            if (problem != null) {
                return List.of(problem);
            }
            List<String> problems = new ArrayList<>(WholeFile.integrityProblems(db));
            problems.addAll(WholeFile.foreignObjects(db));
            return problems;
        }
    }

    /**
     * Gives this copy the settings of a new repository: writable, no push yet (a fork is a new
     * repository, whatever its source was).
     */
    public void resetSettings() throws IOException {
        try (Db db = SqliteStore.openUnchecked(path)) {
            SettingRows settings = new SettingRows(db);
            settings.setReadOnly(false);
            settings.setLastPushAt(null);
            settings.setGeneration(0); // a new repository, whatever its source's history of pushes
            settings.setCopies(null); // and none of its source's copies
            new HookRows(db).deleteAll(); // as on GitHub, a fork has no hooks and owes no deliveries
            new OutboxRows(db).clear();
            WholeFile.prepareToServe(db);
        }
    }

    /**
     * Forgets what the cluster recorded of the copies of the repository this file was taken from (a
     * backup restored is a repository of its own: its placement is the one it gets now).
     */
    public void forgetCopies() throws IOException {
        try (Db db = SqliteStore.openUnchecked(path)) {
            new SettingRows(db).setCopies(null);
            WholeFile.prepareToServe(db);
        }
    }

    /** Folds the WAL of a copy into its file and makes it a WAL database, as served files are. */
    public void prepare() throws IOException {
        try (Db db = SqliteStore.openUnchecked(path)) {
            WholeFile.prepareToServe(db);
        }
    }

    /** Marks the file as moved into the repositories' tree: closing no longer deletes it. */
    void published() {
        published = true;
    }

    @Override
    public void close() {
        if (!published) {
            SqliteStore.deleteWithCompanions(path);
        }
    }
}
