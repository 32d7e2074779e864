package io.gitwar.storage.dfs;

import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jgit.errors.TooLargeObjectInPackException;
import org.eclipse.jgit.internal.storage.dfs.DfsInserter;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase;
import org.eclipse.jgit.internal.storage.dfs.DfsPackParser;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectInserter;

/**
 * JGit's DFS pack parser with a bound on what it inflates into memory. JGit streams blobs, but
 * inflates every commit, tree and tag, and every delta, into one array of the size the pack's
 * object header declares, before reading a byte of it: a header that lies (a "tree" of 1.9 GiB in
 * a 100-byte pack) would make it allocate that much. Such objects are refused here, as they are
 * announced, with the same exception JGit uses for its own size limit (the client reads the reason).
 * Blobs are bounded by JGit's max object size limit only (they never live in one array on this path).
 */
final class BoundedPackParser extends DfsPackParser {

    /**
     * The most a single object may take in memory while a pack is parsed: a quarter of the heap, so
     * that a few concurrent pushes cannot exhaust it with honest objects either.
     */
    static final long MAX_IN_MEMORY = Runtime.getRuntime().maxMemory() / 4;

    private BoundedPackParser(DfsObjDatabase db, DfsInserter inserter, InputStream in) {
        super(db, inserter, in);
    }

    /** An inserter whose pack parser is this one. */
    static ObjectInserter inserter(DfsObjDatabase db) {
        return new DfsInserter(db) {
            @Override
            public DfsPackParser newPackParser(InputStream in) {
                return new BoundedPackParser(db, this, in);
            }
        };
    }

    @Override
    protected void onBeginWholeObject(long streamPosition, int type, long inflatedSize) throws IOException {
        if (type != Constants.OBJ_BLOB) {
            requireFits(inflatedSize);
        }
        super.onBeginWholeObject(streamPosition, type, inflatedSize);
    }

    @Override
    protected void onBeginOfsDelta(long streamPosition, long baseStreamPosition, long inflatedSize) throws IOException {
        requireFits(inflatedSize);
        super.onBeginOfsDelta(streamPosition, baseStreamPosition, inflatedSize);
    }

    @Override
    protected void onBeginRefDelta(long streamPosition, AnyObjectId baseId, long inflatedSize) throws IOException {
        requireFits(inflatedSize);
        super.onBeginRefDelta(streamPosition, baseId, inflatedSize);
    }

    private static void requireFits(long inflatedSize) throws TooLargeObjectInPackException {
        if (inflatedSize > MAX_IN_MEMORY) {
            throw new TooLargeObjectInPackException(inflatedSize, MAX_IN_MEMORY);
        }
    }
}
