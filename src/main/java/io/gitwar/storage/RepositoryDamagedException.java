package io.gitwar.storage;

import java.io.IOException;

/**
 * A repository's file is not a gitwar repository this gitwar can serve (see
 * {@link DamagedRepositories}); nothing was written to it.
 */
public final class RepositoryDamagedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public RepositoryDamagedException(String repositoryName, String reason) {
        super("repository " + repositoryName + " is damaged: " + reason);
        this.reason = reason;
    }

    /** Why, for the server's log and its health check (it may name files: not for clients). */
    public String reason() {
        return reason;
    }
}
