package io.gitwar.failure;

/** The request is malformed. */
public final class BadRequest extends GitwarException {

    private static final long serialVersionUID = 1L;

    public BadRequest(String message) {
        super(message);
    }
}
