package io.gitwar.storage.dfs.receive;

import io.gitwar.storage.file.WriteAbandoned;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.BlobObjectChecker;
import org.eclipse.jgit.lib.ObjectChecker;

/**
 * What {@link ParallelPackParser} checks as it goes, the checks JGit's parser and
 * {@link BoundedPackParser} make, so that what passes here would pass there. What would not is
 * {@link NotForParallel}: the pack goes to them, and they refuse it with their own message.
 */
final class ParseRules {

    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final PackBounds bounds;
    private final long maxObjectBytes;
    private final ObjectChecker checker;
    private final PackDestination destination;

    /**
     * @param maxObjectBytes JGit's object size limit (0: none)
     * @param checker JGit's object checker, or null; it keeps state while it checks, so one object at a time
     */
    ParseRules(PackBounds bounds, long maxObjectBytes, ObjectChecker checker, PackDestination destination) {
        this.bounds = bounds;
        this.maxObjectBytes = maxObjectBytes;
        this.checker = checker;
        this.destination = destination;
    }

    /** Stops as soon as the write transaction was ended from outside (its time ran out). */
    void requireAlive() throws WriteAbandoned {
        String reason = destination.abandonedReason();
        if (reason != null) {
            throw new WriteAbandoned(reason);
        }
    }

    /** JGit's object size limit, on a size a header or a delta declares. */
    void requireNotTooLarge(long size) throws NotForParallel {
        if ((maxObjectBytes > 0 && size > maxObjectBytes) || size > MAX_ARRAY) {
            throw new NotForParallel("an object of " + size + " bytes");
        }
    }

    /**
     * What the receiving thread is about to hold at once: within the in-memory bound, and granted
     * (see {@link MemoryGrant}; only the receiving thread may ask).
     */
    void requireFitsInMemory(long bytes) throws NotForParallel {
        if (bytes > bounds.maxInMemoryBytes() || bytes < 0) {
            throw new NotForParallel(bytes + " bytes in memory at once");
        }
        bounds.memory().atLeast(bytes);
    }

    /** Grants {@code bytes} if they are within the in-memory bound; whether they are. */
    boolean grantIfWithinBound(long bytes) {
        if (bytes > bounds.maxInMemoryBytes()) {
            return false;
        }
        bounds.memory().atLeast(bytes);
        return true;
    }

    /** What resolving produces in all, against the budget of a pack of which {@code bytesRead} are known. */
    void requireWithinBudget(long produced, long bytesRead) throws NotForParallel {
        if (produced > bounds.deltaBudget(Math.max(bounds.packBytes(), bytesRead)) || produced < 0) {
            throw new NotForParallel("deltas expand to more than the pack's budget");
        }
    }

    /** JGit's object check of a commit, tree, tag (or resolved blob), as its parser makes it. */
    void check(AnyObjectId id, int type, byte[] data) throws NotForParallel {
        if (checker == null) {
            return;
        }
        synchronized (checker) {
            try {
                checker.check(id, type, data);
            } catch (CorruptObjectException e) {
                throw new NotForParallel(e.getMessage());
            }
        }
    }

    /** The checker of a whole blob that streams by (JGit's is none unless configured). */
    BlobObjectChecker newBlobChecker() {
        if (checker == null) {
            return BlobObjectChecker.NULL_CHECKER;
        }
        synchronized (checker) {
            BlobObjectChecker c = checker.newBlobObjectChecker();
            return c != null ? c : BlobObjectChecker.NULL_CHECKER;
        }
    }
}
