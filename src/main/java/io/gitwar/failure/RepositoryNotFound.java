package io.gitwar.failure;

/** The repository does not exist. */
public final class RepositoryNotFound extends GitwarException {

    private static final long serialVersionUID = 1L;

    public RepositoryNotFound(String message) {
        super(message);
    }
}
