package io.gitwar.storage.file;

import java.io.IOException;
import java.sql.SQLException;

/**
 * The repository file could not be read or written (SQLite failed: I/O error, full disk, a damaged
 * file). An {@link IOException}, because JGit calls storage through its I/O contracts; callers above
 * storage look for this type to tell the server's faults from a client's bad input, and never see
 * {@link SQLException} themselves.
 */
public final class StorageFailure extends IOException {

    private static final long serialVersionUID = 1L;

    public StorageFailure(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }

    public StorageFailure(String message) {
        super(message);
    }

    /** Whether {@code t} or one of its causes is a storage failure. */
    public static boolean isCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StorageFailure) {
                return true;
            }
        }
        return false;
    }
}
