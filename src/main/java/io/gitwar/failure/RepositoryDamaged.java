package io.gitwar.failure;

/**
 * The repository's file is not a gitwar repository (damaged, foreign, or of a newer gitwar): it is
 * neither served nor written to, and the server's log and health check say why (answered 500).
 */
public final class RepositoryDamaged extends GitwarException {

    private static final long serialVersionUID = 1L;

    public RepositoryDamaged(String message) {
        super(message);
    }
}
