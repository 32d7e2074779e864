package io.gitwar.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
        return SqliteStore.at(fileOf(name), staging(), name, damaged);
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
