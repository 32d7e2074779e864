package io.gitwar.storage.dfs;

import static io.gitwar.it.PackBytes.BLOB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.it.PackBytes;
import io.gitwar.storage.SqliteStore;
import io.gitwar.storage.dfs.receive.PackBounds;
import io.gitwar.storage.dfs.receive.ParallelIndexing;
import io.gitwar.storage.dfs.receive.ParallelPackParser;
import io.gitwar.storage.WriteTransaction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.eclipse.jgit.internal.storage.dfs.DfsPackDescription;
import org.eclipse.jgit.internal.storage.dfs.DfsPackParser;
import org.eclipse.jgit.internal.storage.dfs.ReadableChannel;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.transport.ReceivedPackStatistics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parallel parser against JGit's own, on the same packs made by git (and one by hand): the pack
 * and index stored byte for byte the same, the same new objects, the same statistics; and a pack it
 * leaves to JGit (a thin one) is parsed as JGit parses it.
 */
class ParallelPackParserTest {

    private static final int THREADS = 4; // more than this machine's cores: the threads interleave

    @TempDir
    static Path tmp;

    @BeforeAll
    static void jgit() {
        JGitEnvironment.install(16L << 20, "gitwar/test", true);
    }

    @Test
    void manySmallObjects() throws Exception {
        Path repo = history(tmp, "small", 40, 120, 200, 1);
        assertSameAsJGit(gitPack(repo, ALL, "--delta-base-offset"), null);
    }

    @Test
    void deepDeltaChains() throws Exception {
        Path repo = history(tmp, "deep", 400, 1, 20_000, 1);
        byte[] pack = gitPack(repo, ALL, "--delta-base-offset", "--depth=250", "--window=250", "--no-reuse-delta");
        assertTrue(maxChainDepth(pack) > 200, "chains of " + maxChainDepth(pack));
        assertSameAsJGit(pack, null);
    }

    @Test
    void bigBlobs() throws Exception {
        Path repo = history(tmp, "big", 6, 3, 3 << 20, 3);
        assertSameAsJGit(gitPack(repo, ALL, "--delta-base-offset"), null);
    }

    @Test
    void referenceDeltas() throws Exception {
        Path repo = history(tmp, "refs", 40, 120, 200, 1);
        byte[] pack = gitPack(repo, ALL); // without --delta-base-offset every delta names its base by id
        assertSameAsJGit(pack, null);
    }

    @Test
    void offsetAndReferenceDeltasMixedOnResolvedBases() throws Exception {
        byte[] a = text(7, 50_000);
        byte[] b = a.clone();
        b[100] = 'x';
        byte[] c = b.clone();
        c[200] = 'y';
        PackBytes p = PackBytes.header(4);
        long at = p.position();
        p.object(BLOB, a);
        p.ofsDelta(at, PackBytes.insertDelta(a.length, b.length, b)); // b on a by offset
        p.refDelta(PackBytes.id(BLOB, b), PackBytes.insertDelta(b.length, c.length, c)); // c on a delta's result
        p.refDelta(PackBytes.id(BLOB, a), PackBytes.insertDelta(a.length, 3, "abc".getBytes(StandardCharsets.UTF_8)));
        assertSameAsJGit(p.finish(), null);
    }

    @Test
    void aThinPackIsLeftToJGit() throws Exception {
        Path repo = history(tmp, "thin", 60, 5, 5_000, 1);
        byte[] base = gitPack(repo, "main~20", "--delta-base-offset");
        byte[] thin = gitPack(repo, "main\n^main~20", "--delta-base-offset", "--thin");
        assertSameAsJGit(thin, base);
    }

    @Test
    void aPackOfNewFilesAsksForNoMoreHeapThanItHolds() throws Exception {
        // a MiB of new random bytes: nothing to resolve, so the parse must ask for no more than the 8 MiB
        // a push is admitted with (HeapBudget.forPush), not for the 16 MiB a pack of deltas gets: 16
        // such pushes at once filled a 256 MiB server's budget, then each waited for another's heap
        Path repo = history(tmp, "newfiles", 1, 1, 1 << 20, 3);
        byte[] pack = gitPack(repo, ALL, "--delta-base-offset");
        long[] granted = {0};
        SqliteStore store = SqliteStore.at(tmp.resolve("grant.sqlite"), "grant");
        try (WriteTransaction tx = store.beginWrite()) {
            tx.repository().setPackBounds(new PackBounds(PackBounds.DEFAULT.maxInMemoryBytes(),
                    PackBounds.DEFAULT.deltaBudgetRatio(), PackBounds.DEFAULT.deltaBudgetFloorBytes(), pack.length,
                    bytes -> granted[0] = Math.max(granted[0], bytes), new ParallelIndexing(THREADS, tmp, 0)));
            try (ObjectInserter ins = tx.repository().newObjectInserter()) {
                DfsPackParser p = parser(ins, pack);
                p.parse(NullProgressMonitor.INSTANCE);
                ins.flush();
                assertTrue(p instanceof ParallelPackParser pp && pp.indexedInParallel(), "indexed in parallel");
            }
        }
        assertTrue(granted[0] > 0 && granted[0] <= (8 << 20), "granted " + granted[0]);
    }

    // ---- the comparison ----

    /** What a parse stored and said. */
    private record Parsed(byte[] pack, byte[] index, TreeSet<String> newIds, String stats, boolean parallel) {
    }

    private static void assertSameAsJGit(byte[] pack, byte[] before) throws Exception {
        Parsed jgit = parse(pack, before, ParallelIndexing.OFF);
        Parsed parallel = parse(pack, before, new ParallelIndexing(THREADS, tmp, 0));
        assertEquals(before == null, parallel.parallel(), "indexed in parallel");
        assertFalse(jgit.parallel());
        assertArrayEquals(jgit.pack(), parallel.pack(), "pack");
        assertArrayEquals(jgit.index(), parallel.index(), "index");
        assertEquals(jgit.newIds(), parallel.newIds());
        assertEquals(jgit.stats(), parallel.stats());
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.filter(f -> f.getFileName().toString().startsWith("received-")).toList());
        }
    }

    private static Parsed parse(byte[] pack, byte[] before, ParallelIndexing parallel) throws Exception {
        SqliteStore store = SqliteStore.at(tmp.resolve("s" + System.nanoTime() + ".sqlite"), "r" + System.nanoTime());
        if (before != null) {
            try (WriteTransaction tx = store.beginWrite(); ObjectInserter ins = inserter(tx, before, ParallelIndexing.OFF)) {
                parser(ins, before).parse(NullProgressMonitor.INSTANCE);
                ins.flush();
                tx.commit();
            }
        }
        try (WriteTransaction tx = store.beginWrite(); ObjectInserter ins = inserter(tx, pack, parallel)) {
            DfsPackParser p = parser(ins, pack);
            p.parse(NullProgressMonitor.INSTANCE);
            ins.flush();
            DfsPackDescription d = p.getPackDescription();
            SqliteObjDatabase db = (SqliteObjDatabase) tx.repository().getObjectDatabase();
            TreeSet<String> ids = new TreeSet<>();
            p.getNewObjectIds().forEach(id -> ids.add(id.name()));
            return new Parsed(read(db, d, PackExt.PACK), read(db, d, PackExt.INDEX), ids,
                    describe(p.getReceivedPackStatistics()),
                    p instanceof ParallelPackParser pp && pp.indexedInParallel());
        }
    }

    /** The inserter receive-pack gets, with the bounds of a push of {@code pack}. */
    static ObjectInserter inserter(WriteTransaction tx, byte[] pack, ParallelIndexing parallel)
            throws IOException {
        tx.repository().setPackBounds(PackBounds.DEFAULT.forPackOf(pack.length).withParallel(parallel));
        return tx.repository().newObjectInserter();
    }

    /** The parser receive-pack gets, set up as gitwar's receive-pack sets it up. */
    static DfsPackParser parser(ObjectInserter ins, byte[] pack) throws IOException {
        DfsPackParser p = (DfsPackParser) ins.newPackParser(new ByteArrayInputStream(pack));
        p.setAllowThin(true);
        p.setNeedNewObjectIds(true);
        p.setNeedBaseObjectIds(true);
        p.setCheckEofAfterPackFooter(true);
        p.setObjectChecker(new ObjectChecker());
        p.setMaxObjectSizeLimit(2L << 30);
        return p;
    }

    static byte[] read(SqliteObjDatabase db, DfsPackDescription d, PackExt ext) throws IOException {
        try (ReadableChannel c = db.openFile(d, ext)) {
            ByteBuffer b = ByteBuffer.allocate((int) d.getFileSize(ext));
            while (b.hasRemaining() && c.read(b) > 0) {
                // a chunk at a time
            }
            return b.array();
        }
    }

    private static String describe(ReceivedPackStatistics s) {
        return String.format("read %d whole %d/%d/%d/%d ofs %d ref %d trees %d/%d/%d/%d", s.getNumBytesRead(),
                s.getNumWholeCommit(), s.getNumWholeTree(), s.getNumWholeBlob(), s.getNumWholeTag(), s.getNumOfsDelta(),
                s.getNumRefDelta(), s.getNumDeltaCommit(), s.getNumDeltaTree(), s.getNumDeltaBlob(), s.getNumDeltaTag());
    }

    // ---- packs made by git ----

    /**
     * A repository of {@code commits} commits, each rewriting {@code files} files of {@code size}
     * bytes a little ({@code randomness} 1: text; more: random bytes, which only deltas compress).
     */
    static Path history(Path dir, String name, int commits, int files, int size, int randomness)
            throws Exception {
        Path repo = dir.resolve(name + ".git");
        git(dir, null, "init", "-q", "--bare", repo.toString());
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        Random random = new Random(name.hashCode());
        byte[][] content = new byte[files][];
        for (int f = 0; f < files; f++) {
            content[f] = randomness > 1 ? bytes(random, size) : text(f, size);
        }
        for (int c = 1; c <= commits; c++) {
            StringBuilder head = new StringBuilder();
            head.append("commit refs/heads/main\ncommitter T <t@example.com> ").append(1_700_000_000L + c * 60L)
                    .append(" +0000\n");
            String message = "commit " + c + "\n";
            head.append("data ").append(message.length()).append('\n').append(message);
            stream.write(head.toString().getBytes(StandardCharsets.UTF_8));
            for (int f = 0; f < files; f++) {
                byte[] b = content[f];
                int at = random.nextInt(b.length - 8);
                for (int k = 0; k < 8; k++) {
                    b[at + k] = (byte) ('a' + random.nextInt(26));
                }
                stream.write(("M 100644 inline dir" + (f % 7) + "/file" + f + "\ndata " + b.length + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                stream.write(b);
                stream.write('\n');
            }
            stream.write('\n');
        }
        git(repo, stream.toByteArray(), "fast-import", "--quiet");
        return repo;
    }

    /** Every object of the repository, for {@link #gitPack}. */
    static final String ALL = "--all";

    /** {@code git pack-objects} of {@code revs} (as its standard input lists them, or {@link #ALL}). */
    static byte[] gitPack(Path repo, String revs, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("pack-objects", "--revs", "--stdout", "-q"));
        args.addAll(List.of(options));
        if (revs.equals(ALL)) {
            args.add(ALL);
        }
        byte[] input = revs.equals(ALL) ? new byte[0] : (revs + "\n").getBytes(StandardCharsets.UTF_8);
        return git(repo, input, args.toArray(String[]::new));
    }

    /** The longest delta chain in {@code pack}, as git's verify-pack counts it. */
    private static int maxChainDepth(byte[] pack) throws Exception {
        Path file = Files.write(tmp.resolve("chains-" + System.nanoTime() + ".pack"), pack);
        git(tmp, null, "index-pack", file.toString());
        String out = new String(git(tmp, null, "verify-pack", "-v", file.toString().replace(".pack", ".idx")),
                StandardCharsets.UTF_8);
        return out.lines().filter(l -> l.startsWith("chain length = "))
                .mapToInt(l -> Integer.parseInt(l.substring("chain length = ".length(), l.indexOf(':')))).max().orElse(0);
    }

    static byte[] git(Path dir, byte[] input, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread feeder = new Thread(() -> {
            try (OutputStream o = p.getOutputStream()) {
                if (input != null) {
                    o.write(input);
                }
            } catch (IOException e) {
                // git stopped reading: its exit code tells
            }
        });
        feeder.start();
        byte[] out;
        try (InputStream i = p.getInputStream()) {
            out = i.readAllBytes();
        }
        feeder.join();
        assertEquals(0, p.waitFor(), "git " + String.join(" ", args));
        return out;
    }

    private static byte[] text(int seed, int size) {
        byte[] b = new byte[size];
        Random r = new Random(seed);
        for (int i = 0; i < size; i++) {
            b[i] = (i % 60 == 59) ? (byte) '\n' : (byte) ('a' + r.nextInt(26));
        }
        return b;
    }

    private static byte[] bytes(Random r, int size) {
        byte[] b = new byte[size];
        r.nextBytes(b);
        return b;
    }
}
