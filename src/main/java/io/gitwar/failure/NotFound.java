package io.gitwar.failure;

/**
 * Something a client named does not exist: a branch, tag, commit or path inside a repository, a webhook
 * or one of its deliveries. (A missing repository is {@link RepositoryNotFound}: git clients and the
 * first push treat it apart.)
 */
public final class NotFound extends GitwarException {

    private static final long serialVersionUID = 1L;

    public NotFound(String message) {
        super(message);
    }
}
