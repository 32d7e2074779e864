package io.gitwar.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Where repositories live: the layout of the data directory, the one place that maps repository
 * names to paths. Repository {@code a/b/c} is the file {@code <root>/a.d/b.d/c.git.sqlite}; SQLite
 * keeps {@code c.git.sqlite-wal}, {@code -shm} (and a {@code -journal}) beside it. New repositories
 * are written in {@code <root>/.staging} until their first commit.
 *
 * <p><b>No name can take another's place, by construction.</b> Names are validated by the caller:
 * segments of {@code [A-Za-z0-9._-]}, none empty or starting with a dot. For any name,
 * <ul>
 * <li>every directory made for it is one of its inner segments plus {@code .d};</li>
 * <li>every file made for it is its last segment plus {@code .git.sqlite}, or that plus one of
 * SQLite's suffixes {@code -wal}, {@code -shm}, {@code -journal}.</li>
 * </ul>
 * A directory's name ends in {@code .d}; a file's ends in {@code sqlite}, {@code -wal},
 * {@code -shm} or {@code -journal}, never in {@code .d}. So no path that one name needs as a
 * directory is a path another name needs as a file, at any depth and under any spelling of the
 * suffixes (they differ even ignoring case). Two names never share a file either: stripping
 * {@code .d} from each directory and {@code .git.sqlite} from the file gives the name back. And
 * since no name starts with a dot, {@code .staging}, {@code .spool} and every other dot-entry of the
 * root stay gitwar's own.
 *
 * <p>Before this layout a repository was {@code <root>/<segments>.git/repository.sqlite}, and an
 * inner segment such as {@code W.git/repository.sqlite-wal} could squat on another repository's
 * WAL; {@link #migrateOldLayout()} moves such files at startup.
 *
 * <p>On a file system that ignores case (macOS, Windows, casefold ext4) two spellings of a name are
 * one file: {@link #open} detects it, and {@link #canonicalName} then folds names to lower case,
 * so that callers key one owner per file.
 */
public final class DataDirectory {

    private static final Logger LOG = Logger.getLogger(DataDirectory.class.getName());

    /** Ends every directory made for a repository name's inner segments. */
    static final String DIRECTORY_SUFFIX = ".d";
    /** Ends every repository file. */
    static final String FILE_SUFFIX = ".git.sqlite";
    /** SQLite's files beside a database: its WAL, the WAL's shared-memory index, a rollback journal. */
    static final List<String> COMPANION_SUFFIXES = List.of("-wal", "-shm", "-journal");

    private final Path root;
    private final boolean caseInsensitive;
    private final DamagedRepositories damaged = new DamagedRepositories();
    private final NameHolds holds = new NameHolds();

    /** The layout under {@code root}, for mapping names to paths; touches nothing on disk. */
    public DataDirectory(Path root) {
        this(root, false);
    }

    private DataDirectory(Path root, boolean caseInsensitive) {
        this.root = root.toAbsolutePath().normalize();
        this.caseInsensitive = caseInsensitive;
    }

    /**
     * The data directory a server serves from: created if missing, and probed (a scratch file of
     * gitwar's own) for whether its file system tells names apart by case.
     */
    public static DataDirectory open(Path root) throws IOException {
        Path dir = Files.createDirectories(root.toAbsolutePath().normalize());
        boolean ignoresCase = ignoresCase(dir);
        if (ignoresCase) {
            LOG.info(() -> "the data directory " + dir + " ignores case: repository names that differ only in case"
                    + " are one repository");
        }
        return new DataDirectory(dir, ignoresCase);
    }

    /** Whether the file system of {@code dir} finds a file under another spelling of its name. */
    static boolean ignoresCase(Path dir) throws IOException {
        String probe = ".case-probe-" + UUID.randomUUID(); // lower-case hex: a dot-name, gitwar's own
        Path lower = dir.resolve(probe);
        Files.createFile(lower);
        try {
            return Files.exists(dir.resolve(probe.toUpperCase(Locale.ROOT)));
        } finally {
            Files.deleteIfExists(lower);
        }
    }

    public Path root() {
        return root;
    }

    /** Whether this data directory's file system ignores case (see {@link #open}). */
    public boolean caseInsensitive() {
        return caseInsensitive;
    }

    /**
     * The spelling that identifies a repository here: the name itself, or in lower case where the
     * file system ignores case (names are ASCII, so folding is unambiguous). Names with one
     * canonical spelling are one repository: one file, so they must have one owner.
     */
    public String canonicalName(String name) {
        return caseInsensitive ? name.toLowerCase(Locale.ROOT) : name;
    }

    /** The store of the repository called {@code name} (a validated, canonical repository name). */
    public SqliteStore store(String name) {
        return SqliteStore.at(fileOf(name), staging(), name, damaged, holds);
    }

    /** The names held while their files are swapped, moved or removed (see {@link NameHolds}). */
    public NameHolds holds() {
        return holds;
    }

    /**
     * The repository names under the root, sorted (by {@link String#compareTo}), that start with
     * {@code prefix} and come after {@code after} (null: from the first), at most {@code limit}.
     * Memory is bounded by {@code limit}, whatever the number of repositories. A name that exists
     * throughout a listing in pages (each page's {@code after} the last name of the one before) is
     * listed exactly once, whatever is created or deleted meanwhile.
     */
    public List<String> names(String prefix, String after, int limit) throws IOException {
        return NameWalk.names(root, prefix, after, limit);
    }

    /** A new file in the staging directory, to become a repository by {@link #publish} or {@link #replace}. */
    public StagedFile stage() throws IOException {
        return StagedFile.in(staging());
    }

    /** A new scratch repository file in {@code dir} (a copy to be sent, never published), deleted when closed. */
    public StagedFile scratch(Path dir) throws IOException {
        return StagedFile.in(dir);
    }

    /**
     * Makes {@code staged} the repository {@code hold} names, which must not exist: it appears whole
     * or not at all (a hard link, then a directory sync).
     *
     * @throws FileAlreadyExistsException if the repository exists
     */
    public void publish(StagedFile staged, NameHolds.Hold hold) throws IOException {
        Path file = fileOf(hold.name());
        Files.createDirectories(file.getParent());
        try {
            Files.createLink(file, staged.path()); // link(2): atomic, and never replaces an existing file
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
            Files.move(staged.path(), file); // no REPLACE_EXISTING: fails if the file appeared
        }
        SqliteStore.syncDirectory(file.getParent());
        staged.published();
        SqliteStore.deleteWithCompanions(staged.path());
    }

    /**
     * Makes {@code staged} the repository {@code hold} names in place of the file there, which no
     * connection may have open any more (its store closed and not in use): the old file goes as
     * {@link #remove} does, then the new one is moved in (a rename).
     */
    public void replace(StagedFile staged, NameHolds.Hold hold, Duration keepInTrash) throws IOException {
        remove(hold.name(), keepInTrash);
        Path file = fileOf(hold.name());
        Files.createDirectories(file.getParent());
        Files.move(staged.path(), file, StandardCopyOption.ATOMIC_MOVE);
        SqliteStore.syncDirectory(file.getParent());
        staged.published();
    }

    /**
     * Removes the repository's file and SQLite's files beside it, in one of two ways: moved into
     * the trash directory {@code <root>/.trash/<millis>-<id>/} (with a file {@code name} saying
     * whose they were), where {@link #emptyTrash} deletes them once {@code keepInTrash} is over, or
     * deleted at once when it is zero. Connections still open on the file go on reading it; the
     * caller holds the name until they are closed ({@link NameHolds}).
     *
     * @return whether there was a file
     */
    public boolean remove(String name, Duration keepInTrash) throws IOException {
        Path file = fileOf(name);
        if (!Files.exists(file)) {
            return false;
        }
        if (keepInTrash.isZero() || keepInTrash.isNegative()) {
            for (String suffix : COMPANION_SUFFIXES) {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            }
            Files.delete(file);
        } else {
            Trash.keep(trash(), name, file, COMPANION_SUFFIXES);
        }
        SqliteStore.syncDirectory(file.getParent());
        return true;
    }

    /** Where removed repositories are kept for a while; no repository name starts with a dot. */
    public Path trash() {
        return root.resolve(".trash");
    }

    /** Deletes what was moved to the trash longer than {@code keepInTrash} ago. */
    public void emptyTrash(Duration keepInTrash) {
        Trash.empty(trash(), keepInTrash);
    }

    /** The bytes the repository's file and its WAL take on disk; 0 if it does not exist. */
    public long fileBytes(String name) {
        Path file = fileOf(name);
        long n = 0;
        for (Path p : List.of(file, file.resolveSibling(file.getFileName() + "-wal"))) {
            try {
                n += Files.size(p);
            } catch (NoSuchFileException e) {
                // no WAL: everything is in the file
            } catch (IOException e) {
                LOG.fine(() -> "cannot tell the size of " + p + ": " + e.getMessage());
            }
        }
        return n;
    }

    /**
     * The repository's file: {@code <root>/<inner segments + .d...>/<last segment>.git.sqlite}.
     *
     * @throws IllegalArgumentException if the name would lead outside the root
     */
    public Path fileOf(String name) {
        String[] segments = name.split("/", -1);
        Path file = root;
        for (int i = 0; i < segments.length - 1; i++) {
            file = file.resolve(segments[i] + DIRECTORY_SUFFIX);
        }
        file = file.resolve(segments[segments.length - 1] + FILE_SUFFIX).normalize();
        if (!file.startsWith(root) || file.getParent() == null || !file.getParent().startsWith(root)) {
            throw new IllegalArgumentException("repository name leads outside the data directory: " + name);
        }
        return file;
    }

    /**
     * Writes and deletes a scratch file of gitwar's own in the root: what every push and new
     * repository needs the directory to take. For the readiness check, which anyone may ask for: a
     * few system calls, and no sync (a flood of probes must not become a flood of disk flushes; a
     * full disk is told by the free space, which the readiness check reads as well).
     *
     * @throws IOException why the directory does not take a file (read-only, no permission, gone)
     */
    public void checkWritable() throws IOException {
        Path probe = root.resolve(".write-probe-" + UUID.randomUUID()); // a dot-name: gitwar's own
        try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** The repositories found not to be gitwar repositories, for the health check and the API. */
    public DamagedRepositories damaged() {
        return damaged;
    }

    /**
     * Moves repositories of the layout before this one to their places in it; run at startup,
     * before any request. Idempotent: a start interrupted at any point is finished by the next.
     */
    public void migrateOldLayout() {
        new LayoutMigration(this).run();
    }

    /** Where new repositories are written until their first commit; no repository name starts with a dot. */
    public Path staging() {
        return root.resolve(".staging");
    }

    /**
     * Deletes the files in a scratch directory: what a crash left there (repositories whose creation
     * never committed, spooled request bodies) is garbage at startup.
     */
    public static void empty(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    LOG.warning(() -> "cannot remove leftover " + f + ": " + e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warning(() -> "cannot list " + dir + ": " + e.getMessage());
        }
    }
}
