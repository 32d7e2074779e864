package io.gitwar.storage;

import io.gitwar.storage.file.Db;
import io.gitwar.storage.file.HookRows;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The webhooks that apply to every repository, and their delivery log, in their own SQLite file
 * in the data directory ({@code DATA/.hooks.sqlite}: a dot-name, so never taken for a repository by
 * the listing, the layout migration or the damage check). The same tables as a repository's own
 * hooks ({@link HookRows}); a repository's deliveries to global hooks are owed in that repository's
 * outbox, so a push still commits them with its refs. Not part of any repository's backup.
 *
 * <p>One connection, opened at first use, every change in autocommit; thread-safe (calls are
 * serialized on the connection). Close it when the application stops.
 */
public final class GlobalHooksFile implements AutoCloseable {

    /** The file's name in the data directory. */
    public static final String FILE_NAME = ".hooks.sqlite";

    /** What runs on the file's rows. */
    @FunctionalInterface
    public interface Work<T> {
        T run(HookRows rows) throws IOException;
    }

    private final Path file;
    private Db db;

    public GlobalHooksFile(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    /** Runs {@code work} on the global hooks' rows, each statement committed on its own. */
    public synchronized <T> T run(Work<T> work) throws IOException {
        if (db == null) {
            Db opened = SqliteStore.openUnchecked(file);
            try {
                HookRows.prepareGlobalFile(opened);
            } catch (IOException | RuntimeException e) {
                opened.close();
                throw e;
            }
            db = opened;
        }
        return work.run(new HookRows(db));
    }

    @Override
    public synchronized void close() {
        if (db != null) {
            db.close();
            db = null;
        }
    }
}
