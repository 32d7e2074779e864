package io.gitwar.service;

/**
 * A failure with a name and a message fit for a client; the HTTP layer maps each kind to a status
 * (or an {@code ERR}/side-band line) in one place. Never carries internals a client should not see.
 */
public abstract class GitwarException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected GitwarException(String message) {
        super(message);
    }

    protected GitwarException(String message, Throwable cause) {
        super(message, cause);
    }
}
