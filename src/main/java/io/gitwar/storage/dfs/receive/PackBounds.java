package io.gitwar.storage.dfs.receive;

/**
 * What parsing one received pack may cost, beyond what JGit bounds itself: the memory that resolving
 * its deltas holds at once, and the bytes that resolving them produces in all.
 *
 * @param maxInMemoryBytes the most one object, or one delta with the objects JGit holds while it
 *        applies it (its base, the ancestors it keeps for their other deltas, the result), may take in
 *        memory
 * @param deltaBudgetRatio how many bytes resolving deltas may produce per byte of pack
 * @param deltaBudgetFloorBytes what resolving deltas may produce in any pack, however small
 * @param packBytes the pack's length if known before it is parsed (the push was spooled), else -1
 * @param memory the heap the parse is granted as it needs it (see {@link MemoryGrant})
 * @param parallel whether the pack is indexed on several threads
 */
public record PackBounds(long maxInMemoryBytes, long deltaBudgetRatio, long deltaBudgetFloorBytes, long packBytes,
        MemoryGrant memory, ParallelIndexing parallel) {

    /**
     * A quarter of the heap: JGit resolves each delta in arrays (base, delta, result), and a few
     * pushes to different repositories run at once.
     */
    public static final long QUARTER_OF_THE_HEAP = Runtime.getRuntime().maxMemory() / 4;

    /** The bounds of a pack nobody set any for (parsed outside a push): the defaults, size unknown. */
    public static final PackBounds DEFAULT = new PackBounds(QUARTER_OF_THE_HEAP, 100,
            Math.max(256L << 20, 2 * QUARTER_OF_THE_HEAP), -1, MemoryGrant.UNBOUNDED, ParallelIndexing.OFF);

    /** These bounds for a pack of {@code bytes} (as spooled). */
    public PackBounds forPackOf(long bytes) {
        return new PackBounds(maxInMemoryBytes, deltaBudgetRatio, deltaBudgetFloorBytes, bytes, memory, parallel);
    }

    /** These bounds, the pack indexed as {@code p} says. */
    public PackBounds withParallel(ParallelIndexing p) {
        return new PackBounds(maxInMemoryBytes, deltaBudgetRatio, deltaBudgetFloorBytes, packBytes, memory, p);
    }

    /** What resolving the deltas of a pack of {@code bytes} may produce. */
    long deltaBudget(long bytes) {
        long scaled = bytes > Long.MAX_VALUE / Math.max(1, deltaBudgetRatio) ? Long.MAX_VALUE : bytes * deltaBudgetRatio;
        return Math.max(deltaBudgetFloorBytes, scaled);
    }
}
