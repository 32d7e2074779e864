package io.gitwar.service;

import java.io.IOException;

/**
 * A write did its work but its transaction could not commit (the SQLite commit failed, or the
 * transaction timed out): nothing of it was stored. Callers that held an answer back until the
 * commit answer with a failure instead; anything else is a server fault.
 */
public final class CommitFailed extends IOException {

    private static final long serialVersionUID = 1L;

    CommitFailed(RepositoryName name, Exception cause) {
        super("commit of a write to " + name + " failed: " + cause.getMessage(), cause);
    }
}
