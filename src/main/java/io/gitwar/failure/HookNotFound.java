package io.gitwar.failure;

/** The webhook (or its delivery) does not exist: never created, deleted, or no longer in the log. */
public final class HookNotFound extends GitwarException {

    private static final long serialVersionUID = 1L;

    public HookNotFound(String message) {
        super(message);
    }
}
