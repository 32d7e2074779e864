package io.gitwar.storage.dfs.receive;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.PackedObjectInfo;

/**
 * What the first pass learnt of a pack ({@link PackScan}): per object, in pack order, where it starts,
 * what it is, its CRC-32, and for a whole object its id; per delta, its base (an earlier object of
 * the pack, or an id); the children of every object, which the second pass resolves ({@link DeltaForest}).
 * About 40 bytes per object beside JGit's own entry.
 */
final class ScannedPack {

    private static final int NONE = -1;
    private static final int[] EMPTY = {};

    private final int count;
    private final long[] offset;
    private final long[] inflatedSize;
    private final byte[] type;
    private final byte[] headerLength;
    private final int[] crc;
    /** A delta's base in this pack (offset deltas), else {@link #NONE}. */
    private final int[] base;
    /** The first reference delta on each base id; the next ones in {@link #nextOnSameBase}. */
    private final Map<ObjectId, Integer> firstOnBase = new ConcurrentHashMap<>();
    private final int[] nextOnSameBase;
    /** The objects, ids and all; a delta's is set once it is resolved. */
    private final PackedObjectInfo[] objects;
    private int deltas;
    private long trailerAt;
    private byte[] checksum;
    private long produced;
    /** The most one object, or one delta with its base and result, takes in memory. */
    private long largestStep;
    /** What every object and delta takes inflated, as their headers declare. */
    private long inflated;
    /** Offset deltas by base, as lists in one array: children of i are childList[childStart[i]..childStart[i+1]). */
    private int[] childStart;
    private int[] childList;

    ScannedPack(int count) {
        this.count = count;
        this.offset = new long[count];
        this.inflatedSize = new long[count];
        this.type = new byte[count];
        this.headerLength = new byte[count];
        this.crc = new int[count];
        this.base = new int[count];
        this.objects = new PackedObjectInfo[count];
        this.nextOnSameBase = new int[count];
    }

    /** A whole object; its entry may come later ({@link #resolved}), from the thread that hashes it. */
    void whole(int i, long at, int header, int objectType, long size, int objectCrc, PackedObjectInfo info) {
        set(i, at, header, objectType, size, NONE);
        crc[i] = objectCrc;
        if (info != null) {
            objects[i] = info;
        }
    }

    void ofsDelta(int i, long at, int header, long size, int baseIndex, int deltaCrc) {
        set(i, at, header, Constants.OBJ_OFS_DELTA, size, baseIndex);
        crc[i] = deltaCrc;
        deltas++;
    }

    void refDelta(int i, long at, int header, long size, ObjectId baseId, int deltaCrc) {
        set(i, at, header, Constants.OBJ_REF_DELTA, size, NONE);
        crc[i] = deltaCrc;
        Integer first = firstOnBase.put(baseId.copy(), i);
        nextOnSameBase[i] = first == null ? NONE : first;
        deltas++;
    }

    private void set(int i, long at, int header, int objectType, long size, int baseIndex) {
        inflated += size;
        offset[i] = at;
        headerLength[i] = (byte) header;
        type[i] = (byte) objectType;
        inflatedSize[i] = size;
        base[i] = baseIndex;
    }

    /** One object, or one delta's base, delta and result, that will be in memory at once. */
    void step(long bytes) {
        largestStep = Math.max(largestStep, bytes);
    }

    long largestStep() {
        return largestStep;
    }

    /** The object of {@code [0, before)} that starts at {@code at}, or -1. */
    int indexAt(long at, int before) {
        int i = Arrays.binarySearch(offset, 0, before, at);
        return i >= 0 ? i : NONE;
    }

    /** The pack is read: where its trailer starts, the trailer, what its deltas will produce. */
    void finish(long trailer, byte[] packChecksum, long deltasProduce) {
        this.trailerAt = trailer;
        this.checksum = packChecksum;
        this.produced = deltasProduce;
        childStart = new int[count + 1];
        for (int i = 0; i < count; i++) {
            if (base[i] != NONE) {
                childStart[base[i] + 1]++;
            }
        }
        for (int i = 0; i < count; i++) {
            childStart[i + 1] += childStart[i];
        }
        childList = new int[childStart[count]];
        int[] next = Arrays.copyOf(childStart, count);
        for (int i = 0; i < count; i++) {
            if (base[i] != NONE) {
                childList[next[base[i]]++] = i;
            }
        }
    }

    int count() {
        return count;
    }

    int deltaCount() {
        return deltas;
    }

    boolean isWhole(int i) {
        return base[i] == NONE && type[i] != Constants.OBJ_REF_DELTA;
    }

    int type(int i) {
        return type[i];
    }

    long offset(int i) {
        return offset[i];
    }

    /** Where object {@code i}'s compressed data starts, after its header. */
    long dataStart(int i) {
        return offset[i] + headerLength[i];
    }

    /** Where object {@code i}'s bytes end: the next object, or the trailer. */
    long end(int i) {
        return i + 1 < count ? offset[i + 1] : trailerAt;
    }

    long inflatedSize(int i) {
        return inflatedSize[i];
    }

    int crc(int i) {
        return crc[i];
    }

    PackedObjectInfo object(int i) {
        return objects[i];
    }

    void resolved(int i, PackedObjectInfo info) {
        objects[i] = info; // each object is hashed by one thread; the end of the threads publishes it
    }

    /** The offset deltas whose base is object {@code i}. */
    int[] offsetChildren(int i) {
        return Arrays.copyOfRange(childList, childStart[i], childStart[i + 1]);
    }

    /**
     * Takes the reference deltas whose base has {@code id}: the first to ask gets them, as JGit's
     * parser does (a pack may hold one object twice).
     */
    int[] takeReferenceChildren(ObjectId id) {
        Integer first = firstOnBase.isEmpty() ? null : firstOnBase.remove(id);
        if (first == null) {
            return EMPTY;
        }
        int n = 0;
        for (int i = first; i != NONE; i = nextOnSameBase[i]) {
            n++;
        }
        int[] children = new int[n];
        for (int i = first, k = 0; i != NONE; i = nextOnSameBase[i]) {
            children[k++] = i;
        }
        return children;
    }

    /** Whether some reference delta's base was never found (a thin pack, or a missing object). */
    boolean hasUntakenReferenceBases() {
        return !firstOnBase.isEmpty();
    }

    /** The pack's length, trailer included. */
    long length() {
        return trailerAt + checksum.length;
    }

    byte[] checksum() {
        return checksum.clone();
    }

    /**
     * The most resolving could ever hold at once: every object and delta inflated, and every delta's
     * result, as their headers declare.
     */
    long mostHeld() {
        return inflated + produced;
    }

    /** What the deltas produce when resolved, as their headers declare. */
    long produced() {
        return produced;
    }
}
