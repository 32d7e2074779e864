package io.gitwar.failure;

/** The request names no valid repository. */
public final class InvalidRepositoryName extends GitwarException {

    private static final long serialVersionUID = 1L;

    public InvalidRepositoryName(String message) {
        super(message);
    }
}
