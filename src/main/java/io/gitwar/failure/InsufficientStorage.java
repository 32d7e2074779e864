package io.gitwar.failure;

/**
 * The server has too little free disk to take the request (its free-space floor would be crossed):
 * answered 507, or in a push's report.
 */
public final class InsufficientStorage extends GitwarException {

    private static final long serialVersionUID = 1L;

    public InsufficientStorage(String message) {
        super(message);
    }
}
