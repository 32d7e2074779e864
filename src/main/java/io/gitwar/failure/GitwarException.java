package io.gitwar.failure;

/**
 * A failure with a name and a message fit for a client. The family is sealed, so the one table that
 * turns each kind into what the client sees (an HTTP status, an {@code ERR} line or a push report)
 * can be checked complete by a test. Never carries internals a client should not see.
 */
public abstract sealed class GitwarException extends RuntimeException
        permits BadRequest, ClientFailure, Conflict, InsufficientStorage, InvalidRepositoryName, LimitExceeded,
                NotFound, RepositoryBusy, RepositoryDamaged, RepositoryNotFound, RequestTimeout, ServiceDisabled,
                TooManyRequests, Unprocessable, UnsupportedMediaType {

    private static final long serialVersionUID = 1L;

    protected GitwarException(String message) {
        super(message);
    }
}
