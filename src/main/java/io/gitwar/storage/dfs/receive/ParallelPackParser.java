package io.gitwar.storage.dfs.receive;

import io.gitwar.storage.file.Chunks;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jgit.internal.JGitText;
import org.eclipse.jgit.internal.storage.dfs.DfsInserter;
import org.eclipse.jgit.internal.storage.dfs.DfsOutputStream;
import org.eclipse.jgit.internal.storage.dfs.DfsPackDescription;
import org.eclipse.jgit.internal.storage.dfs.DfsPackParser;
import org.eclipse.jgit.internal.storage.file.BasePackIndexWriter;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectIdSubclassMap;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.transport.PackLock;
import org.eclipse.jgit.transport.PackParser;
import org.eclipse.jgit.transport.PackedObjectInfo;
import org.eclipse.jgit.transport.ReceivedPackStatistics;
import org.eclipse.jgit.util.io.CountingOutputStream;

/**
 * Indexes a received pack on several threads: JGit's parser hashes and resolves every delta on the
 * receiving thread alone, and SHA-1 with collision detection is most of a push's time. Built from
 * JGit's own parts (its SHA-1, delta applier, object checker and index writer), and it writes what
 * JGit's DFS parser writes: the pack as received and a version 2 index, byte for byte the same
 * (ParallelPackParserTest compares them).
 *
 * <p>The first pass reads the stream on the receiving thread ({@link PackScan}) into a copy under the
 * spool directory; the second resolves the deltas on {@code threads} threads reading that copy
 * ({@link DeltaForest}) while the receiving thread stores the pack, then joins them. Whatever this
 * parser does not do as JGit does is JGit's: a thin pack (its bases are appended), objects the
 * repository already has (JGit compares them byte for byte), and every pack JGit's parser or
 * {@link BoundedPackParser} refuses, so that the client reads their words. JGit then parses the
 * copy and the rest of the stream as if it came first.
 */
public final class ParallelPackParser extends DfsPackParser {

    private static final Logger LOG = Logger.getLogger(ParallelPackParser.class.getName());

    /**
     * JGit's receive statistics (objects by type, deltas, bytes), which gitwar's events and metrics
     * report: only JGit's parser may build them, through its private builder.
     */
    private static final VarHandle STATISTICS = statistics();

    /** Whether this JGit lets the statistics be filled in; if not, JGit parses every pack. */
    static boolean available() {
        return STATISTICS != null;
    }

    private final PackDestination destination;
    private final DfsInserter inserter;
    private final InputStream in;
    private final PackBounds bounds;
    private ObjectChecker checker;
    private long maxObjectBytes;
    private boolean needBaseObjectIds;
    /** JGit's parser, once the pack went to it. */
    private DfsPackParser jgit;
    /** The pack, once parsed here. */
    private ScannedPack pack;
    private DfsPackDescription description;
    private ObjectIdSubclassMap<ObjectId> newObjectIds;

    ParallelPackParser(PackDestination destination, DfsInserter inserter, InputStream in, PackBounds bounds) {
        super(destination.database(), inserter, in);
        this.destination = destination;
        this.inserter = inserter;
        this.in = in;
        this.bounds = bounds;
    }

    // ---- JGit's settings, kept for the checks here and for JGit's parser if it takes over ----

    @Override
    public void setObjectChecker(ObjectChecker oc) {
        super.setObjectChecker(oc);
        checker = oc;
    }

    @Override
    public void setMaxObjectSizeLimit(long limit) {
        super.setMaxObjectSizeLimit(limit);
        maxObjectBytes = limit;
    }

    @Override
    public void setNeedBaseObjectIds(boolean b) {
        super.setNeedBaseObjectIds(b);
        needBaseObjectIds = b;
    }

    // ---- parsing ----

    @Override
    public PackLock parse(ProgressMonitor receiving, ProgressMonitor resolving) throws IOException {
        receiving = receiving != null ? receiving : NullProgressMonitor.INSTANCE;
        resolving = resolving != null ? resolving : NullProgressMonitor.INSTANCE;
        if (!isCheckEofAfterPackFooter() || isExpectDataAfterPackFooter()) {
            return byJGit(in, receiving, resolving); // the pack is not the whole stream
        }
        Path copy = Files.createTempFile(bounds.parallel().spoolDirectory(), "received-", ".pack");
        DfsPackDescription d = destination.newPack();
        boolean committed = false;
        try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            try {
                ParseRules rules = new ParseRules(bounds, maxObjectBytes, checker, destination);
                long started = System.nanoTime();
                ScannedPack scanned = scanAndStore(d, channel, rules, receiving);
                long scannedAt = System.nanoTime();
                resolveAndIndex(d, scanned, channel, rules, resolving);
                committed = true;
                LOG.fine(() -> String.format("pack for %s: %d objects read and stored in %d ms, resolved in %d ms",
                        destination.repositoryName(), scanned.count(), (scannedAt - started) / 1_000_000,
                        (System.nanoTime() - scannedAt) / 1_000_000));
                return null;
            } catch (NotForParallel why) {
                LOG.log(Level.FINE, "pack for {0} parsed by JGit: {1}", new Object[] {destination.repositoryName(), why.getMessage()});
                destination.rollback(d);
                committed = true; // nothing of it left to roll back
                try (InputStream copied = Files.newInputStream(copy)) {
                    return byJGit(new SequenceInputStream(copied, in), receiving, resolving);
                }
            }
        } finally {
            if (!committed) {
                destination.rollback(d);
            }
            Files.deleteIfExists(copy);
        }
    }

    /**
     * The first pass: the pack read from the stream into its copy and, as JGit's DFS parser does,
     * into the repository's new pack file at once (storing it later would wait for a second read).
     */
    private ScannedPack scanAndStore(DfsPackDescription d, FileChannel channel, ParseRules rules,
            ProgressMonitor receiving) throws IOException {
        ScannedPack scanned;
        int blockSize;
        try (DfsOutputStream stored = destination.write(d, PackExt.PACK)) {
            blockSize = blockSize(stored);
            OutputStream both = new BufferedOutputStream(new Tee(Channels.newOutputStream(channel), stored), 64 << 10);
            try {
                scanned = PackScan.scan(in, both, rules, bounds.parallel().threads() > 1, receiving);
            } finally {
                both.flush();
            }
        }
        d.addFileExt(PackExt.PACK);
        d.setFileSize(PackExt.PACK, scanned.length());
        d.setBlockSize(PackExt.PACK, blockSize);
        return scanned;
    }

    /** The second pass on every thread; then the index, and the pack is committed. */
    private void resolveAndIndex(DfsPackDescription d, ScannedPack scanned, FileChannel channel, ParseRules rules,
            ProgressMonitor resolving) throws IOException {
        // room for a path of bases per thread, but never more than the pack could ever hold: a pack of
        // few or no deltas (a MiB of new files) needs no more than the push was admitted with
        long cap = Math.min(Math.min(bounds.maxInMemoryBytes(), scanned.mostHeld()),
                Math.max(16L << 20, 2L * bounds.parallel().threads() * scanned.largestStep()));
        bounds.memory().atLeast(cap);
        DeltaForest forest = new DeltaForest(scanned, channel, rules, cap);
        resolving.beginTask(JGitText.get().resolvingDeltas, scanned.deltaCount());
        forest.finish(forest.start(bounds.parallel().threads() - 1), resolving);
        resolving.endTask();
        if (forest.resolvedCount() < scanned.deltaCount() || scanned.hasUntakenReferenceBases()) {
            throw new NotForParallel("a thin pack: " + (scanned.deltaCount() - forest.resolvedCount())
                    + " deltas on objects it does not hold");
        }
        List<PackedObjectInfo> sorted = sortedObjects(scanned);
        requireNoneStored(sorted);
        writeIndex(d, sorted, scanned.checksum());
        destination.commit(d);
        pack = scanned;
        description = d;
        countStatistics(scanned, forest);
        if (needNewObjectIds()) {
            newObjectIds = new ObjectIdSubclassMap<>();
            sorted.forEach(newObjectIds::add);
        }
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }

    /**
     * As JGit's DFS parser sizes its blocks: the file's own, in whole multiples up to the cache's
     * (which gitwar configures to a chunk).
     */
    private static int blockSize(DfsOutputStream out) {
        int cache = Chunks.SIZE;
        int size = out.blockSize();
        if (size <= 0) {
            return cache;
        }
        return size < cache ? (cache / size) * size : size;
    }

    /** As JGit's DFS inserter writes a received pack's index. */
    private void writeIndex(DfsPackDescription d, List<PackedObjectInfo> sorted, byte[] packChecksum)
            throws IOException {
        d.setIndexVersion(2);
        d.setObjectCount(sorted.size());
        try (DfsOutputStream os = destination.write(d, PackExt.INDEX);
                CountingOutputStream counted = new CountingOutputStream(os)) {
            BasePackIndexWriter.createVersion(counted, 2).write(sorted, packChecksum);
            d.addFileExt(PackExt.INDEX);
            d.setBlockSize(PackExt.INDEX, os.blockSize());
            d.setFileSize(PackExt.INDEX, counted.getCount());
        }
    }

    private static List<PackedObjectInfo> sortedObjects(ScannedPack scanned) throws NotForParallel {
        List<PackedObjectInfo> all = new ArrayList<>(scanned.count());
        for (int i = 0; i < scanned.count(); i++) {
            all.add(scanned.object(i));
        }
        all.sort(Comparator.naturalOrder());
        for (int i = 1; i < all.size(); i++) {
            if (all.get(i - 1).equals(all.get(i))) {
                throw new NotForParallel("object " + all.get(i).name() + " twice in the pack");
            }
        }
        return all;
    }

    /** JGit compares an object the repository has with the pack's copy: that is JGit's to do. */
    private void requireNoneStored(List<PackedObjectInfo> objects) throws IOException {
        try (ObjectReader reader = destination.database().newReader()) {
            for (PackedObjectInfo o : objects) {
                if (reader.has(o)) {
                    throw new NotForParallel("the repository has " + o.name() + " already");
                }
            }
        }
    }

    private void countStatistics(ScannedPack scanned, DeltaForest forest) {
        ReceivedPackStatistics.Builder stats = (ReceivedPackStatistics.Builder) STATISTICS.get((PackParser) this);
        for (int i = 0; i < scanned.count(); i++) {
            switch (scanned.type(i)) {
                case org.eclipse.jgit.lib.Constants.OBJ_OFS_DELTA -> stats.addOffsetDelta();
                case org.eclipse.jgit.lib.Constants.OBJ_REF_DELTA -> stats.addRefDelta();
                default -> stats.addWholeObject(scanned.type(i));
            }
        }
        for (int type = 1; type <= 4; type++) {
            for (int n = forest.trees(type); n > 0; n--) {
                stats.addDeltaObject(type);
            }
        }
        stats.setNumBytesRead(scanned.length());
    }

    /** JGit's own bounded parser over {@code stream}, with the settings JGit gave this one. */
    private PackLock byJGit(InputStream stream, ProgressMonitor receiving, ProgressMonitor resolving)
            throws IOException {
        DfsPackParser p = BoundedPackParser.create(destination, inserter, stream, bounds);
        p.setAllowThin(isAllowThin());
        p.setNeedNewObjectIds(needNewObjectIds());
        p.setNeedBaseObjectIds(needBaseObjectIds);
        p.setCheckEofAfterPackFooter(isCheckEofAfterPackFooter());
        p.setExpectDataAfterPackFooter(isExpectDataAfterPackFooter());
        p.setObjectChecker(checker);
        p.setMaxObjectSizeLimit(maxObjectBytes);
        p.setLockMessage(getLockMessage());
        jgit = p;
        return p.parse(receiving, resolving);
    }

    /** Whether the pack was indexed here (not left to JGit). */
    public boolean indexedInParallel() {
        return pack != null;
    }

    // ---- what JGit's receive-pack asks afterwards ----

    @Override
    public ObjectIdSubclassMap<ObjectId> getNewObjectIds() {
        if (jgit != null) {
            return jgit.getNewObjectIds();
        }
        return newObjectIds != null ? newObjectIds : new ObjectIdSubclassMap<>();
    }

    @Override
    public ObjectIdSubclassMap<ObjectId> getBaseObjectIds() {
        return jgit != null ? jgit.getBaseObjectIds() : super.getBaseObjectIds();
    }

    @Override
    public ReceivedPackStatistics getReceivedPackStatistics() {
        return jgit != null ? jgit.getReceivedPackStatistics() : super.getReceivedPackStatistics();
    }

    @Override
    public int getObjectCount() {
        return jgit != null ? jgit.getObjectCount() : pack != null ? pack.count() : 0;
    }

    @Override
    public PackedObjectInfo getObject(int nth) {
        return jgit != null ? jgit.getObject(nth) : pack.object(nth);
    }

    @Override
    public List<PackedObjectInfo> getSortedObjectList(Comparator<PackedObjectInfo> cmp) {
        if (jgit != null) {
            return jgit.getSortedObjectList(cmp);
        }
        List<PackedObjectInfo> all = new ArrayList<>(getObjectCount());
        for (int i = 0; i < getObjectCount(); i++) {
            all.add(pack.object(i));
        }
        all.sort(cmp != null ? cmp : Comparator.naturalOrder());
        return all;
    }

    @Override
    public DfsPackDescription getPackDescription() {
        return jgit != null ? jgit.getPackDescription() : description;
    }

    private static VarHandle statistics() {
        try {
            return MethodHandles.privateLookupIn(PackParser.class, MethodHandles.lookup())
                    .findVarHandle(PackParser.class, "stats", ReceivedPackStatistics.Builder.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "JGit's pack parser has no statistics builder to fill in: packs are indexed on one thread", e);
            return null;
        }
    }
}
