package io.gitwar.failure;

/** A configured limit was exceeded. */
public final class LimitExceeded extends GitwarException {

    private static final long serialVersionUID = 1L;

    public LimitExceeded(String message) {
        super(message);
    }
}
