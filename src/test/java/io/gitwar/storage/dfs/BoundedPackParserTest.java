package io.gitwar.storage.dfs;

import static io.gitwar.it.PackBytes.BLOB;
import static io.gitwar.it.PackBytes.copyDelta;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.failure.LimitExceeded;
import io.gitwar.it.PackBytes;
import io.gitwar.storage.SqliteStore;
import io.gitwar.storage.dfs.receive.MemoryGrant;
import io.gitwar.storage.dfs.receive.PackBounds;
import io.gitwar.storage.dfs.receive.ParallelIndexing;
import io.gitwar.storage.WriteTransaction;
import io.gitwar.storage.file.WriteAbandoned;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.transport.PackParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-built packs against small bounds (1 MiB in memory): what would make JGit allocate or produce
 * more is refused with its reason, before JGit allocates it; honest delta chains of the same sizes pass.
 */
class BoundedPackParserTest {

    private static final int KIB = 1 << 10;
    private static final long MIB = 1 << 20;
    private static final PackBounds SMALL = new PackBounds(MIB, 1, 4 * MIB, -1, MemoryGrant.UNBOUNDED, ParallelIndexing.OFF);

    @TempDir
    Path dir;

    SqliteStore store;

    @BeforeAll
    static void jgit() {
        JGitEnvironment.install(16L << 20, "gitwar/test", true);
    }

    @BeforeEach
    void open() {
        store = SqliteStore.at(dir.resolve("repo.sqlite"), "repo-" + System.nanoTime());
    }

    @Test
    void aDeltaDeclaringAResultOverTheBoundIsRefusedAsItIsRead() throws Exception {
        PackBytes p = PackBytes.header(2);
        long base = p.position();
        p.object(BLOB, new byte[64 * KIB]).ofsDelta(base, copyDelta(64 * KIB, 64 * MIB)); // 1 KiB of delta
        Exception e = parse(p.finish(), SMALL);
        assertInstanceOf(LimitExceeded.class, e);
        assertTrue(e.getMessage().contains("Object too large (67,108,864 bytes)"), e.getMessage());
    }

    @Test
    void aBaseOverTheBoundIsRefusedBeforeItIsInflatedWhateverItsDeltaClaims() throws Exception {
        PackBytes p = PackBytes.header(2);
        long base = p.position();
        // 4 MiB of zeros stream through the first pass; the delta on it lies that its base has 64 KiB
        p.object(BLOB, new byte[(int) (4 * MIB)]).ofsDelta(base, copyDelta(64 * KIB, 128 * KIB));
        Exception e = parse(p.finish(), SMALL);
        assertInstanceOf(LimitExceeded.class, e);
        assertTrue(e.getMessage().contains("Object too large (4,194,304 bytes)"), e.getMessage());
    }

    @Test
    void aThinDeltaOnAStoredObjectOverTheBoundIsRefusedAsItIsRead() throws Exception {
        ObjectId big;
        try (WriteTransaction tx = store.beginWrite(); ObjectInserter ins = tx.repository().newObjectInserter()) {
            big = ins.insert(Constants.OBJ_BLOB, new byte[(int) (4 * MIB)]);
            ins.flush();
            tx.commit();
        }
        byte[] pack = PackBytes.header(1).refDelta(big, copyDelta(64 * KIB, 128 * KIB)).finish();
        Exception e = parse(pack, SMALL);
        assertInstanceOf(LimitExceeded.class, e);
        assertTrue(e.getMessage().contains("applies to an object of 4194304 bytes"), e.getMessage());
    }

    @Test
    void basesJGitKeepsForTheirOtherDeltasCountAgainstTheBound() throws Exception {
        // A (384 KiB) with deltas B (448) and X (128); B with deltas C (320) and Y (192): while C is
        // applied, JGit holds A (X is still to come), B (Y is) and C: 1152 KiB, over 1 MiB
        PackBytes p = PackBytes.header(5);
        long a = p.position();
        p.object(BLOB, new byte[384 * KIB]);
        long b = p.position();
        p.ofsDelta(a, copyDelta(384 * KIB, 448 * KIB)).ofsDelta(a, copyDelta(384 * KIB, 128 * KIB))
                .ofsDelta(b, copyDelta(448 * KIB, 320 * KIB)).ofsDelta(b, copyDelta(448 * KIB, 192 * KIB));
        Exception e = parse(p.finish(), SMALL);
        assertInstanceOf(LimitExceeded.class, e);
        assertTrue(e.getMessage().contains("needs 1179"), e.getMessage()); // 1152 KiB and the delta
        assertTrue(e.getMessage().contains("bytes of memory at once, more than the 1048576 bytes"), e.getMessage());
    }

    @Test
    void aChainOfTheSameSizesPassesJGitDropsEachBaseAfterItsLastDelta() throws Exception {
        PackBytes p = PackBytes.header(5);
        long prev = p.position();
        p.object(BLOB, new byte[384 * KIB]);
        long prevSize = 384 * KIB;
        for (long size : new long[] {448 * KIB, 320 * KIB, 256 * KIB, 512 * KIB}) {
            long at = p.position();
            p.ofsDelta(prev, copyDelta(prevSize, size));
            prev = at;
            prevSize = size;
        }
        assertNull(parse(p.finish(), SMALL)); // on a path: 1920 KiB; held at once: two objects
    }

    @Test
    void deltasProducingMoreThanTheBudgetAreRefusedAsTheyAreRead() throws Exception {
        PackBytes p = PackBytes.header(14);
        long a = p.position();
        p.object(BLOB, new byte[64 * KIB]);
        for (int k = 2; k <= 14; k++) {
            p.ofsDelta(a, copyDelta(64 * KIB, k * 64L * KIB)); // 6.5 MiB in all, from a pack of 2 KiB
        }
        byte[] pack = p.finish();
        Exception e = parse(pack, SMALL);
        assertInstanceOf(LimitExceeded.class, e);
        assertTrue(e.getMessage().contains("the pack's deltas expand to more than 4194304 bytes"), e.getMessage());
        assertNull(parse(pack, new PackBounds(MIB, 1, 8 * MIB, -1, MemoryGrant.UNBOUNDED, ParallelIndexing.OFF)));
    }

    @Test
    void anAbandonedTransactionStopsTheParser() throws Exception {
        try (WriteTransaction tx = store.beginWrite()) {
            tx.abandon("out of time");
            Exception e = parse(tx, PackBytes.header(1).object(BLOB, new byte[10]).finish(), SMALL);
            assertInstanceOf(WriteAbandoned.class, e);
            assertEquals("out of time", e.getMessage());
        }
    }

    /**
     * Parses {@code pack} in a write transaction that is rolled back; the failure, or null. The
     * parallel parser is given it too, and must end the same way (it leaves such packs to JGit's).
     * The pack's size is known beforehand, as in a push (spooled first).
     */
    private Exception parse(byte[] pack, PackBounds bounds) throws Exception {
        Exception serial;
        try (WriteTransaction tx = store.beginWrite()) {
            serial = parse(tx, pack, bounds.forPackOf(pack.length));
        }
        Exception parallel;
        try (WriteTransaction tx = store.beginWrite()) {
            parallel = parse(tx, pack, bounds.forPackOf(pack.length).withParallel(new ParallelIndexing(4, dir, 0)));
        }
        assertEquals(String.valueOf(serial), String.valueOf(parallel), "the parallel parser ends as JGit's");
        return serial;
    }

    private static Exception parse(WriteTransaction tx, byte[] pack, PackBounds bounds) throws Exception {
        SqliteRepository r = tx.repository();
        r.setPackBounds(bounds);
        try (ObjectInserter ins = r.newObjectInserter()) {
            PackParser parser = ins.newPackParser(new ByteArrayInputStream(pack));
            parser.setAllowThin(true);
            parser.parse(NullProgressMonitor.INSTANCE);
            ins.flush();
            return null;
        } catch (Exception e) {
            return e;
        }
    }
}
