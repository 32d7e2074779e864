package io.gitwar.service;

import io.gitwar.failure.RepositoryNotFound;
import io.gitwar.storage.ReadSnapshot;
import io.gitwar.storage.dfs.JGitEnvironment;
import java.io.IOException;

/**
 * A request's hold on one repository: its actor (kept alive while the lease is held) and the
 * request's read snapshot, opened on first use, so that everything the request reads is consistent.
 * Resolved once per request and closed in {@code finally}. Confined to the request's thread.
 *
 * <p>Closing it also forgets what JGit kept in the thread ({@link JGitEnvironment#releaseThread()}):
 * every use of JGit on a request's thread happens under a lease, and the container's threads outlive
 * this deployment.
 */
public final class Lease implements AutoCloseable {

    private final RepositoryActor actor;
    private ReadSnapshot snapshot;
    private boolean closed;

    Lease(RepositoryActor actor) {
        this.actor = actor;
    }

    public RepositoryName name() {
        return actor.name();
    }

    public RepositoryActor actor() {
        return actor;
    }

    /** True once something was committed to the repository. */
    public boolean exists() {
        return snapshot != null || actor.exists();
    }

    /**
     * The request's snapshot, opened at its first use; valid until {@link #close()}.
     *
     * @throws RepositoryNotFound if the repository does not exist
     */
    public ReadSnapshot snapshot() throws IOException {
        if (snapshot == null) {
            snapshot = actor.openSnapshot();
        }
        return snapshot;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (snapshot != null) {
                snapshot.close();
                snapshot = null;
            }
        } finally {
            actor.release();
            JGitEnvironment.releaseThread();
        }
    }
}
