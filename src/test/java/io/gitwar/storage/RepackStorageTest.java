package io.gitwar.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.storage.dfs.JGitEnvironment;
import io.gitwar.storage.file.StoredFile;
import io.gitwar.storage.file.StoredPack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.internal.storage.dfs.DfsGarbageCollector;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase.PackSource;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.internal.storage.pack.PackWriter;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.pack.PackConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JGit's DFS garbage collector over the SQLite store: replaced packs are retired, then deleted. */
class RepackStorageTest {

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
    void gcRetiresReplacedPacksWritesBitmapAndKeepsOldSnapshotsReadable() throws Exception {
        ObjectId tip = null;
        ObjectId lost;
        try (WriteTransaction tx = store.beginWrite()) {
            Repository r = tx.repository();
            for (int i = 0; i < 5; i++) {
                ObjectId c = SqliteRepositoryTest.commit(r, "commit " + i, tip);
                assertEquals(tip == null ? RefUpdate.Result.NEW : RefUpdate.Result.FAST_FORWARD,
                        SqliteRepositoryTest.update(r, "refs/heads/main", c, tip == null ? ObjectId.zeroId() : tip));
                tip = c;
            }
            lost = SqliteRepositoryTest.commit(r, "never referenced", null);
            tx.commit();
        }
        int before;
        try (ReadSnapshot old = store.openSnapshot()) {
            before = old.packs().size();
            assertTrue(before >= 6, "a pack per commit at least: " + before);

            try (WriteTransaction tx = store.beginWrite()) {
                DfsGarbageCollector gc = new DfsGarbageCollector(tx.repository())
                        .setGarbageTtl(1, TimeUnit.DAYS).setWriteCommitGraph(true);
                assertTrue(gc.pack(NullProgressMonitor.INSTANCE));
                tx.commit();
            }

            // the snapshot taken before still reads every object from the packs it knew
            assertEquals(before, old.packs().size());
            assertTrue(old.repository().getObjectDatabase().has(lost));
            assertTrue(old.repository().getObjectDatabase().has(tip));
        }
        try (ReadSnapshot s = store.openSnapshot()) {
            List<StoredPack> live = s.packs();
            assertEquals(List.of(PackSource.GC, PackSource.UNREACHABLE_GARBAGE), live.stream().map(StoredPack::source).sorted().toList());
            StoredPack gcPack = live.stream().filter(p -> p.source() == PackSource.GC).findFirst().orElseThrow();
            assertNotNull(gcPack.file(PackExt.BITMAP_INDEX), "bitmap");
            assertNotNull(gcPack.file(PackExt.COMMIT_GRAPH), "commit graph");
            for (StoredFile f : gcPack.files().values()) {
                try (var in = s.openFile(f, 0, f.size())) {
                    assertEquals(f.size(), in.readAllBytes().length, "stored size of " + f);
                }
            }
            List<StoredPack> all = s.packsIncludingRetired();
            assertEquals(before + 2, all.size());
            assertEquals(before, all.stream().filter(StoredPack::retired).count());
            assertFalse(all.get(0).retired()); // live first: a name found twice resolves to the live pack
            assertTrue(s.repository().getObjectDatabase().has(lost)); // garbage, not gone
            assertEquals(tip, s.repository().exactRef("refs/heads/main").getObjectId());
        }

        try (WriteTransaction tx = store.beginWrite()) {
            assertEquals(0, tx.deleteRetiredPacks(Instant.now().minusSeconds(3600)));
            assertEquals(before, tx.deleteRetiredPacks(Instant.now().plusSeconds(1)));
            tx.commit();
        }
        try (ReadSnapshot s = store.openSnapshot()) {
            assertEquals(2, s.packsIncludingRetired().size());
            assertTrue(s.repository().getObjectDatabase().has(tip));
        }
    }

    @Test
    void deletingReplacedPacksGivesTheirSpaceBackToTheFileSystem() throws Exception {
        byte[] random = new byte[3 << 20];
        new java.util.Random(3).nextBytes(random);
        try (WriteTransaction tx = store.beginWrite()) {
            Repository r = tx.repository();
            ObjectId blob;
            try (var ins = r.newObjectInserter()) {
                blob = ins.insert(org.eclipse.jgit.lib.Constants.OBJ_BLOB, random);
                org.eclipse.jgit.lib.TreeFormatter tree = new org.eclipse.jgit.lib.TreeFormatter();
                tree.append("random.bin", org.eclipse.jgit.lib.FileMode.REGULAR_FILE, blob);
                org.eclipse.jgit.lib.CommitBuilder cb = new org.eclipse.jgit.lib.CommitBuilder();
                cb.setTreeId(ins.insert(tree));
                org.eclipse.jgit.lib.PersonIdent who = new org.eclipse.jgit.lib.PersonIdent("T", "t@e.invalid");
                cb.setAuthor(who);
                cb.setCommitter(who);
                cb.setMessage("random");
                ObjectId c = ins.insert(cb);
                ins.flush();
                SqliteRepositoryTest.update(r, "refs/heads/main", c, ObjectId.zeroId());
            }
            tx.commit();
        }
        try (WriteTransaction tx = store.beginWrite()) {
            new DfsGarbageCollector(tx.repository()).pack(NullProgressMonitor.INSTANCE);
            tx.commit();
        }
        store.closeIdleConnections(); // the last connection's close checkpoints the WAL into the file
        long withBoth = java.nio.file.Files.size(store.file());
        try (WriteTransaction tx = store.beginWrite()) {
            assertEquals(1, tx.deleteRetiredPacks(Instant.now().plusSeconds(1)));
            tx.commit();
        }
        store.closeIdleConnections();
        long afterDelete = java.nio.file.Files.size(store.file());
        assertTrue(withBoth > 6_000_000, "two copies of 3 MiB: " + withBoth);
        assertTrue(afterDelete < withBoth * 0.6, "shrunk from " + withBoth + " to " + afterDelete);
    }

    @Test
    void thePublicNameOfAPackIsItsChecksumSoTwoPacksUnderOneNameHoldTheSameBytes() throws Exception {
        InMemoryRepository source = new InMemoryRepository(new DfsRepositoryDescription("source"));
        ObjectId tip = SqliteRepositoryTest.commit(source, "one", null);
        tip = SqliteRepositoryTest.commit(source, "two", tip);
        ByteArrayOutputStream pack = new ByteArrayOutputStream();
        try (PackWriter pw = new PackWriter(new PackConfig(source), source.newObjectReader())) {
            pw.preparePack(NullProgressMonitor.INSTANCE, Set.of(tip), PackWriter.NONE);
            pw.writePack(NullProgressMonitor.INSTANCE, NullProgressMonitor.INSTANCE, pack);
        }
        for (int i = 0; i < 2; i++) { // the same bytes received twice (e.g. pushed again after a delete)
            try (WriteTransaction tx = store.beginWrite()) {
                try (ObjectInserter ins = tx.repository().newObjectInserter()) {
                    ins.newPackParser(new ByteArrayInputStream(pack.toByteArray())).parse(NullProgressMonitor.INSTANCE);
                    ins.flush();
                }
                tx.commit();
            }
        }
        try (ReadSnapshot s = store.openSnapshot()) {
            List<StoredPack> packs = s.packs();
            assertEquals(2, packs.size());
            assertNotEquals(packs.get(0).name(), packs.get(1).name(), "block cache keys differ");
            assertEquals(packs.get(0).publicName(), packs.get(1).publicName());
            for (PackExt ext : List.of(PackExt.PACK, PackExt.INDEX)) {
                StoredFile a = packs.get(0).file(ext);
                StoredFile b = packs.get(1).file(ext);
                try (var x = s.openFile(a, 0, a.size()); var y = s.openFile(b, 0, b.size())) {
                    assertArrayEquals(x.readAllBytes(), y.readAllBytes(), ext + " under one name");
                }
            }
        }
    }

    @Test
    void aVersionOneFileIsMigratedWithItsPacksLive() throws Exception {
        Path file = dir.resolve("v1.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            // schema version 1 as released
            s.execute("""
                CREATE TABLE pack (name TEXT PRIMARY KEY, source TEXT NOT NULL, last_modified INTEGER NOT NULL,
                  object_count INTEGER NOT NULL, delta_count INTEGER NOT NULL, index_version INTEGER NOT NULL,
                  checksum TEXT NOT NULL)""");
            s.execute("CREATE TABLE pack_file (id INTEGER PRIMARY KEY, pack TEXT NOT NULL, ext TEXT NOT NULL, "
                    + "size INTEGER NOT NULL, UNIQUE (pack, ext))");
            s.execute("CREATE TABLE chunk (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
            s.execute("CREATE TABLE ref (name TEXT PRIMARY KEY, target TEXT, object_id TEXT, peeled_id TEXT, "
                    + "CHECK ((target IS NULL) <> (object_id IS NULL)))");
            s.execute("INSERT INTO ref (name, target) VALUES ('HEAD', 'refs/heads/main')");
            s.execute("INSERT INTO pack VALUES ('p1', 'RECEIVE', 1700000000000, 3, 0, 2, '" + "a".repeat(40) + "')");
            s.execute("INSERT INTO pack_file (id, pack, ext, size) VALUES (1, 'p1', 'pack', 0)");
            s.execute("PRAGMA user_version = 1");
        }
        SqliteStore v1 = SqliteStore.at(file, "v1-" + System.nanoTime());
        try (WriteTransaction tx = v1.beginWrite()) {
            tx.commit();
        }
        try (ReadSnapshot s = v1.openSnapshot()) {
            List<StoredPack> packs = s.packs();
            assertEquals(1, packs.size());
            assertFalse(packs.get(0).retired());
        } finally {
            v1.close();
        }
    }

    /** A repack's byte bound deletes replaced packs early, one by one; never a live one. */
    @Test
    void deleteRetiredPackDeletesOnlyRetiredPacks() throws Exception {
        ObjectId tip = null;
        try (WriteTransaction tx = store.beginWrite()) {
            for (int i = 0; i < 3; i++) {
                ObjectId c = SqliteRepositoryTest.commit(tx.repository(), "commit " + i, tip);
                SqliteRepositoryTest.update(tx.repository(), "refs/heads/main", c, tip == null ? ObjectId.zeroId() : tip);
                tip = c;
            }
            tx.commit();
        }
        try (WriteTransaction tx = store.beginWrite()) {
            new DfsGarbageCollector(tx.repository()).pack(NullProgressMonitor.INSTANCE);
            tx.commit();
        }
        int before;
        try (WriteTransaction tx = store.beginWrite()) {
            List<StoredPack> all = tx.packsIncludingRetired();
            before = all.size();
            StoredPack live = all.stream().filter(p -> !p.retired()).findFirst().orElseThrow();
            StoredPack retired = all.stream().filter(StoredPack::retired).findFirst().orElseThrow();
            assertFalse(tx.deleteRetiredPack(live.name()), "a live pack stays");
            assertTrue(tx.deleteRetiredPack(retired.name()));
            assertFalse(tx.deleteRetiredPack(retired.name()), "gone");
            tx.commit();
        }
        try (ReadSnapshot s = store.openSnapshot()) {
            assertEquals(before - 1, s.packsIncludingRetired().size());
        }
    }
}
