package io.gitwar.event;

import java.time.Instant;
import java.util.List;

/**
 * A push moved refs and was committed. Fired once per push, after its commit (see the package's
 * contract); a push whose ref updates were all rejected, that was refused or rolled back fires
 * nothing. Unlike the service's internal {@code PushCompleted} (every push answered, for metrics),
 * this tells only stored pushes, with what they changed.
 *
 * @param repository the repository's name, e.g. {@code team/app} (without {@code .git})
 * @param refUpdates the refs this push moved, in the order the client sent them (rejected ones left out)
 * @param time when the push's transaction recorded it, just before its commit
 * @param clientAddress the pushing client's address as the container saw it
 * @param bytes the push's request body (commands and pack)
 * @param objects the objects in the received pack (0 for a push of deletions only)
 */
public record PushReceived(String repository, List<RefUpdate> refUpdates, Instant time, String clientAddress,
        long bytes, long objects) {

    public PushReceived {
        refUpdates = List.copyOf(refUpdates);
    }

    /**
     * One ref moved by a push.
     *
     * @param ref the full name, e.g. {@code refs/heads/main}
     * @param oldId the object id before, 40 hex digits; all zeros when the ref was created
     * @param newId the object id after; all zeros when the ref was deleted
     */
    public record RefUpdate(String ref, String oldId, String newId) {

        /** git's id of no object. */
        public static final String ZERO_ID = "0000000000000000000000000000000000000000";

        public boolean created() {
            return ZERO_ID.equals(oldId);
        }

        public boolean deleted() {
            return ZERO_ID.equals(newId);
        }
    }
}
