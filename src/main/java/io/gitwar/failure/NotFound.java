package io.gitwar.failure;

/**
 * Something a client named inside an existing repository does not exist: a branch, tag or commit, or
 * a path at that revision. (A missing repository is {@link RepositoryNotFound}.)
 */
public final class NotFound extends GitwarException {

    private static final long serialVersionUID = 1L;

    public NotFound(String message) {
        super(message);
    }
}
