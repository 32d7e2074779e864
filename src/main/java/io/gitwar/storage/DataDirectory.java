package io.gitwar.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Where repositories live: the layout of the data directory. A repository named {@code team/app}
 * is the file {@code <root>/team/app.git/repository.sqlite}; new repositories are written in
 * {@code <root>/.staging} until their first commit. Names are validated by the caller (segments of
 * {@code [A-Za-z0-9._-]}, none starting with a dot), so no name reaches outside the root or into
 * gitwar's own dot-directories.
 */
public final class DataDirectory {

    private static final Logger LOG = Logger.getLogger(DataDirectory.class.getName());

    private static final String GIT_SUFFIX = ".git";
    private static final String DATABASE_FILE = "repository.sqlite";

    private final Path root;

    public DataDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The store of the repository called {@code name} (a validated repository name). */
    public SqliteStore store(String name) {
        return SqliteStore.at(fileOf(name), staging(), name);
    }

    /**
     * The repository's file: {@code <root>/<segments...>.git/repository.sqlite}.
     *
     * @throws IllegalArgumentException if the name would lead outside the root
     */
    public Path fileOf(String name) {
        Path file = root.resolve(name + GIT_SUFFIX).resolve(DATABASE_FILE).normalize();
        if (!file.startsWith(root) || file.getFileName() == null) {
            throw new IllegalArgumentException("repository name leads outside the data directory: " + name);
        }
        return file;
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
