package io.gitwar.storage.dfs;

import static io.gitwar.storage.dfs.ParallelPackParserTest.ALL;
import static io.gitwar.storage.dfs.ParallelPackParserTest.git;
import static io.gitwar.storage.dfs.ParallelPackParserTest.gitPack;
import static io.gitwar.storage.dfs.ParallelPackParserTest.history;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.storage.ReadSnapshot;
import io.gitwar.storage.SqliteStore;
import io.gitwar.storage.WriteTransaction;
import io.gitwar.storage.dfs.receive.ParallelIndexing;
import io.gitwar.storage.file.StoredPack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.jgit.internal.storage.dfs.DfsGarbageCollector;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase.PackSource;
import org.eclipse.jgit.internal.storage.dfs.DfsPackFile;
import org.eclipse.jgit.internal.storage.dfs.DfsPackParser;
import org.eclipse.jgit.internal.storage.dfs.DfsReader;
import org.eclipse.jgit.internal.storage.file.PackBitmapIndex;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.pack.PackConfig;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first push's pack given its bitmap and commit graph in place, against JGit's garbage collector
 * repacking the same push: the same commit graph byte for byte, bitmaps on the same commits naming
 * the same objects; the pushed pack itself untouched. Repositories that are not one complete pack
 * are left to the collector.
 */
class SolePackIndexesTest {

    @TempDir
    static Path tmp;

    /** Branches, a merge, an annotated and a lightweight tag: what the collector's selection sees. */
    static Path repo;

    @BeforeAll
    static void history() throws Exception {
        ParallelPackParserTest.jgit();
        repo = ParallelPackParserTest.history(tmp, "sole", 300, 20, 2_000, 1);
        String fork = rev("main~150");
        String head = rev("main");
        String side = "commit refs/heads/side\ncommitter T <t@example.com> 1700100000 +0000\ndata 5\nside\n"
                + "from " + fork + "\nM 100644 inline side.txt\ndata 5\nside\n\n"
                + "commit refs/heads/main\ncommitter T <t@example.com> 1700200000 +0000\ndata 6\nmerge\n"
                + "from " + head + "\nmerge refs/heads/side\nM 100644 inline side.txt\ndata 5\nside\n\n";
        git(repo, side.getBytes(StandardCharsets.UTF_8), "fast-import", "--quiet");
        git(repo, null, "-c", "user.name=T", "-c", "user.email=t@example.com", "tag", "-a", "-m", "v1", "v1", "main~10");
        git(repo, null, "tag", "v0", "main~200");
    }

    @Test
    void theBitmapAndCommitGraphAreTheCollectors() throws Exception {
        byte[] pack = gitPack(repo, ALL, "--delta-base-offset");
        Map<String, ObjectId> refs = refs();
        SqliteStore inPlace = received(pack, refs);
        SqliteStore collected = received(pack, refs);
        try (WriteTransaction tx = inPlace.beginWrite()) {
            assertTrue(tx.indexSolePack(new PackConfig(tx.repository())));
            tx.commit();
        }
        try (WriteTransaction tx = collected.beginWrite()) {
            assertTrue(new DfsGarbageCollector(tx.repository()).setWriteCommitGraph(true).pack(NullProgressMonitor.INSTANCE));
            tx.commit();
        }
        try (ReadSnapshot a = inPlace.openSnapshot(); ReadSnapshot b = collected.openSnapshot()) {
            StoredPack mine = a.packs().get(0);
            assertEquals(1, a.packsIncludingRetired().size(), "nothing replaced");
            assertEquals(PackSource.GC, mine.source());
            assertArrayEquals(pack, bytes(a, mine, PackExt.PACK), "the pushed pack, as it was");
            StoredPack theirs = b.packs().get(0);
            assertEquals(1, b.packs().size());
            assertArrayEquals(bytes(b, theirs, PackExt.COMMIT_GRAPH), bytes(a, mine, PackExt.COMMIT_GRAPH),
                    "commit graph");
            Map<String, TreeSet<String>> expected = bitmaps(b);
            assertTrue(expected.size() > 5, "the collector chose a few commits: " + expected.size());
            Map<String, TreeSet<String>> actual = bitmaps(a);
            assertEquals(expected.keySet(), actual.keySet(), "commits with a bitmap");
            expected.forEach((commit, objects) -> assertTrue(objects.equals(actual.get(commit)),
                    "objects of " + commit + ": " + objects.size() + " expected, " + actual.get(commit).size()));
        }
    }

    @Test
    void aRefOutsideHeadsAndTagsIsLeftToTheCollector() throws Exception {
        Map<String, ObjectId> refs = refs();
        refs.put("refs/pull/1/head", refs.get("refs/heads/side"));
        assertLeftToTheCollector(received(gitPack(repo, ALL, "--delta-base-offset"), refs));
    }

    @Test
    void objectsNoRefReachesAreLeftToTheCollector() throws Exception {
        Map<String, ObjectId> refs = refs();
        refs.remove("refs/heads/side"); // its commit, the merge's parent, stays reachable: drop the merge too
        refs.put("refs/heads/main", ObjectId.fromString(rev("main^1")));
        assertLeftToTheCollector(received(gitPack(repo, ALL, "--delta-base-offset"), refs));
    }

    @Test
    void aSecondPackIsLeftToTheCollector() throws Exception {
        Map<String, ObjectId> refs = refs();
        SqliteStore store = received(gitPack(repo, "main~1", "--delta-base-offset"), Map.of());
        receive(store, gitPack(repo, ALL, "--delta-base-offset"), refs);
        assertLeftToTheCollector(store);
    }

    private static void assertLeftToTheCollector(SqliteStore store) throws Exception {
        try (WriteTransaction tx = store.beginWrite()) {
            assertFalse(tx.indexSolePack(new PackConfig(tx.repository())));
            tx.commit();
        }
        try (ReadSnapshot s = store.openSnapshot()) {
            for (StoredPack p : s.packs()) {
                assertEquals(PackSource.RECEIVE, p.source());
                assertEquals(null, p.file(PackExt.BITMAP_INDEX));
            }
        }
    }

    /** For each commit with a bitmap: the objects it names. */
    private static Map<String, TreeSet<String>> bitmaps(ReadSnapshot s) throws Exception {
        Map<String, TreeSet<String>> all = new TreeMap<>();
        var odb = s.repository().getObjectDatabase();
        try (DfsReader reader = (DfsReader) odb.newReader(); RevWalk walk = new RevWalk(reader)) {
            DfsPackFile pack = odb.getPacks()[0];
            PackBitmapIndex index = pack.getBitmapIndex(reader);
            assertNotNull(index, "bitmap");
            for (ObjectId tip : refs().values()) {
                walk.markStart(walk.parseCommit(tip));
            }
            for (RevCommit c; (c = walk.next()) != null;) {
                var bitmap = index.getBitmap(c);
                if (bitmap != null) {
                    TreeSet<String> ids = new TreeSet<>();
                    for (var i = bitmap.intIterator(); i.hasNext();) {
                        ids.add(index.getObject(i.next()).name());
                    }
                    all.put(c.name(), ids);
                }
            }
        }
        return all;
    }

    private static byte[] bytes(ReadSnapshot s, StoredPack p, PackExt ext) throws Exception {
        var f = p.file(ext);
        assertNotNull(f, ext.toString());
        try (var in = s.openFile(f, 0, f.size())) {
            return in.readAllBytes();
        }
    }

    /** A new repository that received {@code pack} with {@code refs}, as a first push stores it. */
    private static SqliteStore received(byte[] pack, Map<String, ObjectId> refs) throws Exception {
        SqliteStore store = SqliteStore.at(tmp.resolve("s" + System.nanoTime() + ".sqlite"), "r" + System.nanoTime());
        receive(store, pack, refs);
        return store;
    }

    private static void receive(SqliteStore store, byte[] pack, Map<String, ObjectId> refs) throws Exception {
        try (WriteTransaction tx = store.beginWrite();
                ObjectInserter ins = ParallelPackParserTest.inserter(tx, pack, ParallelIndexing.OFF)) {
            DfsPackParser p = ParallelPackParserTest.parser(ins, pack);
            p.parse(NullProgressMonitor.INSTANCE);
            ins.flush();
            BatchRefUpdate update = tx.repository().getRefDatabase().newBatchUpdate();
            refs.forEach((name, id) -> update.addCommand(new ReceiveCommand(ObjectId.zeroId(), id, name)));
            try (RevWalk walk = new RevWalk(tx.repository())) {
                update.execute(walk, NullProgressMonitor.INSTANCE);
            }
            for (ReceiveCommand c : update.getCommands()) {
                assertEquals(ReceiveCommand.Result.OK, c.getResult(), c.getRefName());
            }
            tx.commit();
        }
    }

    private static Map<String, ObjectId> refs() throws Exception {
        Map<String, ObjectId> refs = new LinkedHashMap<>();
        String out = new String(git(repo, null, "for-each-ref", "--format=%(objectname) %(refname)"),
                StandardCharsets.UTF_8);
        out.lines().forEach(l -> refs.put(l.substring(41), ObjectId.fromString(l.substring(0, 40))));
        return refs;
    }

    private static String rev(String rev) throws Exception {
        return new String(git(repo, null, "rev-parse", rev), StandardCharsets.UTF_8).trim();
    }
}
