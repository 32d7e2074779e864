package io.gitwar.storage.dfs.receive;

import java.util.Arrays;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectIdOwnerMap;

/**
 * How many deltas of a received pack apply to each base: offset deltas by their base's position in
 * the pack, reference deltas by their base's id. Recorded as the pack is read, asked while its deltas
 * are resolved (JGit keeps a base in memory until its last delta is applied). Eight bytes per offset
 * delta, one entry per distinct reference base; JGit's own record of the deltas is larger.
 */
final class DeltaChildren {

    private long[] ofsBases = new long[64];
    private int ofsCount;
    private boolean sorted = true;
    private final ObjectIdOwnerMap<RefBase> refBases = new ObjectIdOwnerMap<>();

    private static final class RefBase extends ObjectIdOwnerMap.Entry {
        int count;

        RefBase(AnyObjectId id) {
            super(id);
        }
    }

    void addOffsetDelta(long basePosition) {
        if (ofsCount == ofsBases.length) {
            ofsBases = Arrays.copyOf(ofsBases, ofsCount * 2);
        }
        sorted &= ofsCount == 0 || ofsBases[ofsCount - 1] <= basePosition;
        ofsBases[ofsCount++] = basePosition;
    }

    /** Counts a reference delta on {@code base}; true if no delta named that base before. */
    boolean addRefDelta(AnyObjectId base) {
        RefBase b = refBases.get(base);
        boolean first = b == null;
        if (first) {
            b = new RefBase(base);
            refBases.add(b);
        }
        b.count++;
        return first;
    }

    /** The number of deltas on the object at {@code position} in the pack, named {@code id} (may be null). */
    int of(long position, AnyObjectId id) {
        return ofOffset(position) + (id == null ? 0 : ofId(id));
    }

    int ofId(AnyObjectId id) {
        RefBase b = refBases.get(id);
        return b == null ? 0 : b.count;
    }

    int ofOffset(long position) {
        if (position < 0 || ofsCount == 0) {
            return 0;
        }
        if (!sorted) {
            Arrays.sort(ofsBases, 0, ofsCount);
            sorted = true;
        }
        int i = Arrays.binarySearch(ofsBases, 0, ofsCount, position);
        if (i < 0) {
            return 0;
        }
        int from = i;
        int to = i;
        while (from > 0 && ofsBases[from - 1] == position) {
            from--;
        }
        while (to + 1 < ofsCount && ofsBases[to + 1] == position) {
            to++;
        }
        return to - from + 1;
    }
}
