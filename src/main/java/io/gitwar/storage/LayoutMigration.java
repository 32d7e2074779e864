package io.gitwar.storage;

import io.gitwar.storage.file.Db;
import io.gitwar.storage.file.Schema;
import io.gitwar.storage.file.Wal;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * Moves the repositories of the layout before {@link DataDirectory}'s, where {@code team/app} was
 * {@code <root>/team/app.git/repository.sqlite}, to their places in it. Runs at startup, before any
 * request. For each old file: SQLite checkpoints it (its WAL emptied into it, so the file alone
 * holds the repository), a hard link gives it its new name (link(2) never replaces a file), the
 * directory is synced, then the old name, SQLite's leftovers beside it and the directories left
 * empty are removed. One line in the log per repository moved.
 *
 * <p>Crash-safe and idempotent: a crash before the link leaves the old file, which the next start
 * moves; after it, both names are one file, and the next start, finding the new name to be the same
 * file, removes the old one. If the new name is another file (both exist and differ), that is a
 * conflict: logged, both left alone, and the name refused until a start finds it resolved. Where
 * the file system has no hard links the file is renamed instead (atomic, never replacing).
 *
 * <p>Deepest first: an old repository whose inner segment squats on another's WAL or database
 * ({@code W.git/repository.sqlite-wal/x}) moves out first, its emptied directories with it, so that
 * the other can be opened and moved.
 */
final class LayoutMigration {

    private static final Logger LOG = Logger.getLogger(LayoutMigration.class.getName());

    private static final String OLD_FILE = "repository.sqlite";
    private static final String OLD_SUFFIX = ".git";

    private final DataDirectory data;

    LayoutMigration(DataDirectory data) {
        this.data = data;
    }

    void run() {
        List<Path> old;
        try {
            old = oldFiles();
        } catch (IOException e) {
            LOG.warning(() -> "cannot look for repositories of the old layout in " + data.root() + ": " + e);
            return;
        }
        old.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path file : old) {
            String name = nameOf(file);
            try {
                move(file, name);
            } catch (IOException e) {
                String reason = "left in the old layout at " + file + ": " + e.getMessage();
                LOG.warning(() -> "repository " + name + " could not be moved to the new layout and is not served: "
                        + reason);
                data.damaged().refuseUntilRestart(data.canonicalName(name), reason);
            }
        }
    }

    /** Every {@code <segments>.git/repository.sqlite} under the root, outside gitwar's dot-directories. */
    private List<Path> oldFiles() throws IOException {
        Path root = data.root();
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                // no repository name starts with a dot: .staging, .spool and the like are gitwar's own
                return !dir.equals(root) && dir.getFileName().toString().startsWith(".")
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                Path parent = file.getParent();
                String dir = parent.getFileName().toString();
                if (attrs.isRegularFile() && file.getFileName().toString().equals(OLD_FILE) && !parent.equals(root)
                        && dir.endsWith(OLD_SUFFIX) && dir.length() > OLD_SUFFIX.length()) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                LOG.warning(() -> "cannot look into " + file + ": " + e.getMessage());
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
    }

    /** {@code <root>/team/app.git/repository.sqlite} is {@code team/app}. */
    private String nameOf(Path oldFile) {
        String dir = data.root().relativize(oldFile.getParent()).toString().replace('\\', '/');
        return dir.substring(0, dir.length() - OLD_SUFFIX.length());
    }

    private void move(Path old, String name) throws IOException {
        Path target = data.fileOf(name);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isSameFile(old, target)) {
                throw new IOException("the new layout has another file at " + target + " (remove one of them)");
            }
            removeOld(old); // a start was interrupted after the link: finish it
            LOG.info(() -> "repository " + name + " moved to the new layout (finished): " + target);
            return;
        }
        checkpoint(old);
        for (String suffix : List.of("-wal", "-journal")) {
            Path companion = companion(old, suffix);
            if (Files.isRegularFile(companion) && Files.size(companion) > 0) {
                throw new IOException("its " + suffix.substring(1) + " could not be emptied into it");
            }
        }
        Files.createDirectories(target.getParent());
        try {
            Files.createLink(target, old);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("a file appeared at " + target + " meanwhile");
        } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
            Files.move(old, target); // no REPLACE_EXISTING: fails if a file is there
        }
        SqliteStore.syncDirectory(target.getParent());
        removeOld(old);
        LOG.info(() -> "repository " + name + " moved to the new layout: " + old + " -> " + target);
    }

    /**
     * Lets SQLite empty the old file's WAL into it (a WAL-mode file's last connection also deletes
     * the WAL when it closes). A file that is not a database is moved as it is: the first request
     * for it reports it as damaged.
     */
    private static void checkpoint(Path old) throws IOException {
        SQLiteConfig config = new SQLiteConfig();
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + old);
        try (Db db = new Db(ds.getConnection())) {
            Wal.checkpoint(db);
        } catch (SQLException e) {
            if (!Schema.isNotADatabase(e)) {
                throw Db.io("cannot open " + old, e);
            }
        } catch (IOException e) {
            if (!(e.getCause() instanceof SQLException sql && Schema.isNotADatabase(sql))) {
                throw e;
            }
        }
    }

    /** Removes the old name, SQLite's files beside it, and the directories that leaves empty. */
    private void removeOld(Path old) throws IOException {
        Files.deleteIfExists(old);
        for (String suffix : DataDirectory.COMPANION_SUFFIXES) {
            Files.deleteIfExists(companion(old, suffix));
        }
        Path root = data.root();
        for (Path dir = old.getParent(); dir != null && dir.startsWith(root) && !dir.equals(root); dir = dir.getParent()) {
            try {
                Files.delete(dir);
            } catch (IOException notEmpty) {
                SqliteStore.syncDirectory(dir);
                return; // another repository lives there
            }
        }
        SqliteStore.syncDirectory(root);
    }

    private static Path companion(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }
}
