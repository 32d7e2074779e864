package io.gitwar.storage.dfs.receive;

import io.gitwar.failure.LimitExceeded;
import io.gitwar.storage.file.WriteAbandoned;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.TooLargeObjectInPackException;
import org.eclipse.jgit.internal.storage.dfs.DfsInserter;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase;
import org.eclipse.jgit.internal.storage.dfs.DfsPackParser;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.transport.PackLock;
import org.eclipse.jgit.transport.PackedObjectInfo;

/**
 * JGit's DFS pack parser with bounds on what a received pack may make it allocate and compute.
 *
 * <p>JGit streams whole blobs, but inflates every commit, tree and tag, and every delta, into one
 * array of the size its header declares; and it resolves each delta in arrays: its base (an object in
 * the pack, or one the repository has, for a thin pack), the delta, and the result, keeping a base
 * while more deltas on it remain. A few KiB of pack can declare gigabytes there (a lying header, a
 * delta of a few copy instructions, a zero blob compressed 1000-fold) and make JGit allocate them,
 * or spend minutes producing them while the push holds its repository. So, with {@link PackBounds}:
 * <ul>
 * <li>no commit, tree, tag or delta may declare more than the in-memory bound;</li>
 * <li>no delta may need more than it at once: its base, its result, the delta itself, and the bases
 * JGit still keeps for other deltas (their sizes are the first bytes of each delta, read here from
 * the compressed bytes as they pass, before JGit allocates anything for it);</li>
 * <li>the bytes resolving produces in all (results, and the bases inflated for them) stay within a
 * budget that grows with the pack's size.</li>
 * </ul>
 * What exceeds a bound is refused as soon as it is known (a delta's sizes while the pack is read,
 * a base's real size before JGit inflates it), and the client reads why. The first pass also stops
 * at once when the write transaction was abandoned (its time ran out).
 */
public final class BoundedPackParser extends DfsPackParser {

    private final DfsObjDatabase db;
    private final PackDestination destination;
    private final PackBounds bounds;
    private final DeltaSizes sizes = new DeltaSizes();
    private final DeltaChildren children = new DeltaChildren();
    private final HeldObjects held = new HeldObjects();
    private ObjectReader reader;

    /** Pack bytes read so far. */
    private long packBytesRead;
    /** Bytes resolving deltas has produced or will produce. */
    private long produced;

    /** The delta whose compressed bytes pass by now (first pass or resolving), else -1. */
    private long deltaPosition = -1;
    private long deltaBytes;
    /** While resolving: what is held besides the current delta and its result (-1: unknown). */
    private long heldBeside;
    /** The last object header read back while resolving (JGit's buffer, copied). */
    private final byte[] header = new byte[64];
    private int headerLength;

    private BoundedPackParser(PackDestination destination, DfsInserter inserter, InputStream in, PackBounds bounds) {
        super(destination.database(), inserter, in);
        this.db = destination.database();
        this.destination = destination;
        this.bounds = bounds;
    }

    /**
     * An inserter whose pack parser is this one, within {@code bounds}; or, for a pack large enough
     * to gain from more threads, {@link ParallelPackParser}, which leaves to this one what it does not do.
     */
    public static ObjectInserter inserter(PackDestination destination, PackBounds bounds) {
        return new DfsInserter(destination.database()) {
            @Override
            public DfsPackParser newPackParser(InputStream in) {
                if (bounds.parallel().suits(bounds.packBytes()) && ParallelPackParser.available()) {
                    return new ParallelPackParser(destination, this, in, bounds);
                }
                return create(destination, this, in, bounds);
            }
        };
    }

    /** This parser, for {@code in}, inserting with {@code inserter}. */
    static DfsPackParser create(PackDestination destination, DfsInserter inserter, InputStream in, PackBounds bounds) {
        return new BoundedPackParser(destination, inserter, in, bounds);
    }

    @Override
    public PackLock parse(ProgressMonitor receiving, ProgressMonitor resolving) throws IOException {
        try {
            return super.parse(receiving, resolving);
        } finally {
            sizes.end();
            if (reader != null) {
                reader.close();
            }
        }
    }

    // ---- the first pass: the pack as it is read ----

    @Override
    protected void onPackHeader(long objectCount) throws IOException {
        packBytesRead = 12;
        super.onPackHeader(objectCount);
    }

    @Override
    protected void onBeginWholeObject(long streamPosition, int type, long inflatedSize) throws IOException {
        requireAlive();
        if (type != Constants.OBJ_BLOB) {
            requireFits(inflatedSize); // inflated into one array; blobs stream
        }
        super.onBeginWholeObject(streamPosition, type, inflatedSize);
    }

    @Override
    protected void onBeginOfsDelta(long streamPosition, long baseStreamPosition, long inflatedSize) throws IOException {
        beginDelta(streamPosition, inflatedSize);
        children.addOffsetDelta(baseStreamPosition);
        super.onBeginOfsDelta(streamPosition, baseStreamPosition, inflatedSize);
    }

    @Override
    protected void onBeginRefDelta(long streamPosition, AnyObjectId baseId, long inflatedSize) throws IOException {
        beginDelta(streamPosition, inflatedSize);
        if (children.addRefDelta(baseId)) {
            requireStoredBaseFits(baseId);
        }
        super.onBeginRefDelta(streamPosition, baseId, inflatedSize);
    }

    @Override
    protected UnresolvedDelta onEndDelta() throws IOException {
        deltaPosition = -1; // its bytes have passed (a delta too short for its sizes is JGit's to refuse)
        return super.onEndDelta();
    }

    private void beginDelta(long streamPosition, long inflatedSize) throws IOException {
        requireAlive();
        requireFits(inflatedSize); // the delta itself is inflated into one array
        deltaPosition = streamPosition;
        deltaBytes = inflatedSize;
        sizes.reset();
    }

    @Override
    protected void onObjectHeader(Source src, byte[] raw, int pos, int len) throws IOException {
        super.onObjectHeader(src, raw, pos, len);
        if (src == Source.INPUT) {
            packBytesRead += len;
        } else if (len <= header.length) {
            System.arraycopy(raw, pos, header, 0, len);
            headerLength = len;
        }
    }

    @Override
    protected void onObjectData(Source src, byte[] raw, int pos, int len) throws IOException {
        super.onObjectData(src, raw, pos, len);
        if (src == Source.INPUT) {
            packBytesRead += len;
        }
        if (deltaPosition >= 0 && sizes.feed(raw, pos, len)) {
            long at = deltaPosition;
            deltaPosition = -1;
            if (src == Source.INPUT) {
                checkDeltaAsRead(at);
            } else {
                checkDeltaAsApplied(at);
            }
        }
    }

    /** The sizes of a delta just read: each within the in-memory bound, its result within the budget. */
    private void checkDeltaAsRead(long at) {
        long base = sizes.baseSize();
        long result = sizes.resultSize();
        if (base < 0 || result < 0) {
            return; // too short to be a delta: JGit refuses it when it applies it
        }
        requireFits(Math.max(base, result));
        requireAtOnce(at, saturatedSum(base, deltaBytes, result));
        produce(result);
    }

    @Override
    protected void onPackFooter(byte[] hash) throws IOException {
        packBytesRead += hash.length;
        super.onPackFooter(hash);
        produce(0); // the budget of the whole pack, now that its size is known
    }

    // ---- resolving: the deltas applied to their bases ----

    /** A whole object read back: the base of a tree of deltas (or one compared with a stored copy). */
    @Override
    protected ObjectTypeAndSize seekDatabase(PackedObjectInfo obj, ObjectTypeAndSize info) throws IOException {
        requireAlive();
        deltaPosition = -1;
        ObjectTypeAndSize result = super.seekDatabase(obj, info);
        int deltas = children.of(obj.getOffset(), obj);
        if (deltas > 0) {
            // JGit inflates it into one array next, whatever the deltas on it declared
            requireFits(info.size);
            produce(info.size);
        }
        held.base(obj.getOffset(), obj, info.size, deltas);
        return result;
    }

    /** A delta read back to be applied: what is held meanwhile is known once its sizes pass by. */
    @Override
    protected ObjectTypeAndSize seekDatabase(UnresolvedDelta delta, ObjectTypeAndSize info) throws IOException {
        requireAlive();
        ObjectTypeAndSize result = super.seekDatabase(delta, info); // reads the header: onObjectHeader
        heldBeside = applyingBase(delta.getOffset());
        deltaPosition = delta.getOffset();
        deltaBytes = info.size;
        sizes.reset();
        return result;
    }

    private void checkDeltaAsApplied(long at) {
        long base = sizes.baseSize();
        long result = sizes.resultSize();
        if (base < 0 || result < 0) {
            return;
        }
        long holding = heldBeside >= 0 ? heldBeside : base; // unknown path: its base at least
        requireAtOnce(at, saturatedSum(holding, deltaBytes, result));
        held.applied(at, result, children.ofOffset(at));
    }

    @Override
    protected void onInflatedObjectData(PackedObjectInfo obj, int typeCode, byte[] data) throws IOException {
        super.onInflatedObjectData(obj, typeCode, data);
        held.named(obj.getOffset(), obj, children.ofId(obj));
    }

    /** A base the repository had (a thin pack's): JGit loaded it; the deltas on it follow. */
    @Override
    protected boolean onAppendBase(int typeCode, byte[] data, PackedObjectInfo info) throws IOException {
        boolean appended = super.onAppendBase(typeCode, data, info);
        produce(data.length);
        held.base(-1, info, data.length, children.ofId(info));
        return appended;
    }

    /** The base the delta at {@code at} names in its header: held bytes as {@link HeldObjects#applying}. */
    private long applyingBase(long at) {
        int type = (header[0] >> 4) & 7;
        int p = 1;
        for (int c = header[0]; (c & 0x80) != 0 && p < headerLength; p++) {
            c = header[p]; // the size, not needed here
        }
        if (type == Constants.OBJ_OFS_DELTA) {
            int c = header[p++] & 0xff;
            long ofs = c & 127;
            while ((c & 128) != 0 && p < headerLength) {
                ofs += 1;
                c = header[p++] & 0xff;
                ofs <<= 7;
                ofs += c & 127;
            }
            return held.applying(at - ofs, null);
        }
        if (type == Constants.OBJ_REF_DELTA && p + Constants.OBJECT_ID_LENGTH <= headerLength) {
            return held.applying(-1, ObjectId.fromRaw(header, p));
        }
        return -1;
    }

    // ---- the bounds ----

    /** An object JGit would load whole: one the repository has that a reference delta names. */
    private void requireStoredBaseFits(AnyObjectId baseId) throws IOException {
        if (reader == null) {
            reader = db.newReader();
        }
        try {
            long size = reader.getObjectSize(baseId, ObjectReader.OBJ_ANY);
            if (size > bounds.maxInMemoryBytes()) {
                throw new LimitExceeded("a delta in the pack applies to an object of " + size
                        + " bytes, more than the " + bounds.maxInMemoryBytes()
                        + " bytes one object may take in the server's memory");
            }
        } catch (MissingObjectException inThePackOrNowhere) {
            // an object of this pack (bounded when it is read back), or missing (JGit says so)
        }
    }

    private void requireFits(long inflatedSize) {
        if (inflatedSize > bounds.maxInMemoryBytes()) {
            throw tooLarge(inflatedSize);
        }
        bounds.memory().atLeast(inflatedSize);
    }

    private void requireAtOnce(long at, long bytes) {
        if (bytes > bounds.maxInMemoryBytes()) {
            throw new LimitExceeded("resolving the delta at offset " + at + " of the pack needs " + bytes
                    + " bytes of memory at once, more than the " + bounds.maxInMemoryBytes()
                    + " bytes a push may take (a quarter of the server's heap)");
        }
        bounds.memory().atLeast(bytes);
    }

    /** Counts {@code bytes} more of resolving's output against the pack's budget. */
    private void produce(long bytes) {
        produced = saturatedSum(produced, bytes, 0);
        long known = Math.max(bounds.packBytes(), packBytesRead);
        long budget = bounds.deltaBudget(known);
        if (produced > budget) {
            throw new LimitExceeded("the pack's deltas expand to more than " + budget + " bytes, the most a pack of "
                    + known + " bytes may produce (" + bounds.deltaBudgetRatio() + " times its size, at least "
                    + (bounds.deltaBudgetFloorBytes() >> 20) + " MiB)");
        }
    }

    private LimitExceeded tooLarge(long size) {
        // JGit's own words for its object size limit, which git users know
        return new LimitExceeded(new TooLargeObjectInPackException(size, bounds.maxInMemoryBytes()).getMessage());
    }

    /** Stops the first pass and resolving as soon as the transaction was ended from outside. */
    private void requireAlive() throws WriteAbandoned {
        String reason = destination.abandonedReason();
        if (reason != null) {
            throw new WriteAbandoned(reason);
        }
    }

    private static long saturatedSum(long a, long b, long c) {
        long s = a + b;
        s = ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
        long t = s + c;
        return ((s ^ t) & (c ^ t)) < 0 ? Long.MAX_VALUE : t;
    }
}
