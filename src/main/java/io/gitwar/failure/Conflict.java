package io.gitwar.failure;

/**
 * The request conflicts with the repository's state: a repository of that name exists already, or
 * the repository was deleted, renamed or replaced while the request waited for its turn (answered
 * 409, or in a push's report; nothing was stored).
 */
public final class Conflict extends GitwarException {

    private static final long serialVersionUID = 1L;

    public Conflict(String message) {
        super(message);
    }
}
