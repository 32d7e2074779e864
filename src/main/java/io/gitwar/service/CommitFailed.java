package io.gitwar.service;

import java.io.IOException;

/**
 * A write did its work but its transaction could not commit (the SQLite commit failed, or the
 * transaction timed out): nothing of it was stored. Callers that held an answer back until the
 * commit answer with a failure instead. A timeout ({@link #timedOut()}) is the write's own doing
 * and its message says so; anything else is a server fault.
 */
public final class CommitFailed extends IOException {

    private static final long serialVersionUID = 1L;

    private final String timeout;

    CommitFailed(RepositoryName name, Exception cause) {
        super("commit of a write to " + name + " failed: " + cause.getMessage(), cause);
        this.timeout = null;
    }

    /** The write outlived its transaction's timeout; {@code reason} says so, fit for a client. */
    CommitFailed(String reason) {
        super(reason);
        this.timeout = reason;
    }

    /** True when the transaction ran out of time, not when storage failed. */
    public boolean timedOut() {
        return timeout != null;
    }
}
