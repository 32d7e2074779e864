package io.gitwar.service.event;

import io.gitwar.service.RepositoryName;
import java.time.Duration;

/**
 * A push was answered (git's probe before a large push is no push and fires nothing), whatever
 * became of it: gitwar's own telling, for the metrics, on the request's thread. Other code observes
 * the public {@link io.gitwar.event.PushReceived} instead, told only of committed pushes and of what
 * they changed.
 *
 * @param repository the repository pushed to
 * @param result what became of it
 * @param bytes the push's request body (commands and pack); 0 for a body over the limits, which
 *        is refused before it is read whole
 * @param duration from the whole body having arrived to the answer: the queue, JGit, the commit
 */
public record PushCompleted(RepositoryName repository, Result result, long bytes, Duration duration) {

    /** What became of a push. */
    public enum Result {
        /** Committed: at least one ref moved (others may have been rejected, as git's report says). */
        STORED,
        /** JGit took it and stored nothing: every ref update rejected, or a pack that failed its checks. */
        REJECTED,
        /** gitwar refused it before JGit ran: malformed, a limit, a busy repository, the disk, the heap. */
        REFUSED,
        /**
         * The server failed (storage, a commit that failed or timed out; nothing was stored), or the
         * answer could not be sent (the client went away).
         */
        FAILED
    }
}
