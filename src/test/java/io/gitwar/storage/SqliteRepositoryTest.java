package io.gitwar.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.storage.dfs.JGitEnvironment;
import io.gitwar.storage.file.Chunks;
import io.gitwar.storage.file.StoredFile;
import io.gitwar.storage.file.StoredPack;
import io.gitwar.storage.file.WriteAbandoned;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.internal.storage.pack.PackWriter;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.pack.PackConfig;
import org.eclipse.jgit.transport.PackParser;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteRepositoryTest {

    private static final PersonIdent WHO = new PersonIdent("T", "t@example.invalid", 1_700_000_000_000L, 0);

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
    void newRepositoryHasHeadOnMainAndNothingElse() throws Exception {
        try (WriteTransaction tx = store.beginWrite()) {
            tx.commit();
        }
        try (ReadSnapshot s = store.openSnapshot()) {
            Ref head = s.repository().exactRef(Constants.HEAD);
            assertTrue(head.isSymbolic());
            assertEquals("refs/heads/main", head.getTarget().getName());
            assertNull(head.getObjectId());
            assertTrue(s.packs().isEmpty());
        }
    }

    @Test
    void readingAMissingRepositoryFailsWithoutCreatingIt() {
        assertThrows(RepositoryMissingException.class, () -> store.openSnapshot());
        assertFalse(store.exists());
    }

    @Test
    void committedObjectsAndRefsAreReadBackInANewSnapshot() throws Exception {
        ObjectId commit;
        ObjectId tag;
        try (WriteTransaction tx = store.beginWrite()) {
            Repository r = tx.repository();
            commit = commit(r, "hello", null);
            tag = annotatedTag(r, commit, "v1");
            assertEquals(RefUpdate.Result.NEW, update(r, "refs/heads/main", commit, ObjectId.zeroId()));
            assertEquals(RefUpdate.Result.NEW, update(r, "refs/tags/v1", tag, ObjectId.zeroId()));
            tx.commit();
        }
        try (ReadSnapshot s = store.openSnapshot()) {
            Repository r = s.repository();
            assertEquals(commit, r.exactRef(Constants.HEAD).getObjectId());
            Ref v1 = r.exactRef("refs/tags/v1");
            assertTrue(v1.isPeeled());
            assertEquals(commit, v1.getPeeledObjectId());
            try (RevWalk rw = new RevWalk(r)) {
                assertEquals("hello", rw.parseCommit(commit).getFullMessage());
            }
            List<StoredPack> packs = s.packs(); // one per inserter flush: the commit's, the tag's
            assertEquals(2, packs.size());
            assertTrue(packs.get(0).publicName().matches("pack-[0-9a-f]{40}"));
        }
    }

    @Test
    void refUpdatesAreCompareAndSwap() throws Exception {
        try (WriteTransaction tx = store.beginWrite()) {
            Repository r = tx.repository();
            ObjectId a = commit(r, "a", null);
            ObjectId b = commit(r, "b", a);
            assertEquals(RefUpdate.Result.NEW, update(r, "refs/heads/main", a, ObjectId.zeroId()));
            // expecting the wrong old value changes nothing
            assertEquals(RefUpdate.Result.LOCK_FAILURE, update(r, "refs/heads/main", b, b));
            assertEquals(a, r.exactRef("refs/heads/main").getObjectId());
            assertEquals(RefUpdate.Result.FAST_FORWARD, update(r, "refs/heads/main", b, a));
            tx.commit();
        }
    }

    @Test
    void rollbackLeavesNoTrace() throws Exception {
        try (WriteTransaction tx = store.beginWrite()) {
            commitOnMain(tx.repository(), "base");
            tx.commit();
        }
        String before = StoreDigest.of(store.file());
        try (WriteTransaction tx = store.beginWrite()) {
            Repository r = tx.repository();
            ObjectId c = commit(r, "doomed", null);
            assertEquals(RefUpdate.Result.NEW, update(r, "refs/heads/doomed", c, ObjectId.zeroId()));
            tx.rollback();
        }
        assertEquals(before, StoreDigest.of(store.file()));
        try (ReadSnapshot s = store.openSnapshot()) {
            assertNull(s.repository().exactRef("refs/heads/doomed"));
            assertEquals(1, s.packs().size());
        }
    }

    @Test
    void anAbandonedTransactionRefusesPackDataAndCommitButRollsBackAndCloses() throws Exception {
        try (WriteTransaction tx = store.beginWrite()) {
            commitOnMain(tx.repository(), "base");
            tx.commit();
        }
        String before = StoreDigest.of(store.file());
        try (WriteTransaction tx = store.beginWrite()) {
            Repository r = tx.repository();
            commit(r, "written before", null);
            Thread other = new Thread(() -> tx.abandon("out of time")); // as the transaction reaper does
            other.start();
            other.join();
            assertEquals("out of time", tx.abandonedReason());
            WriteAbandoned e = assertThrows(WriteAbandoned.class, () -> commit(r, "written after", null));
            assertEquals("out of time", e.getMessage());
            assertThrows(WriteAbandoned.class, tx::commit);
        }
        assertEquals(before, StoreDigest.of(store.file()));
        try (WriteTransaction tx = store.beginWrite()) { // the connection went back healthy
            assertNull(tx.abandonedReason());
            ObjectId next = commit(tx.repository(), "next", null);
            assertEquals(RefUpdate.Result.NEW, update(tx.repository(), "refs/heads/next", next, ObjectId.zeroId()));
            tx.commit();
        }
    }

    @Test
    void aSnapshotSeesNeitherUncommittedNorLaterCommittedWrites() throws Exception {
        try (WriteTransaction tx = store.beginWrite()) {
            commitOnMain(tx.repository(), "base");
            tx.commit();
        }
        try (ReadSnapshot old = store.openSnapshot()) {
            ObjectId base = old.repository().exactRef("refs/heads/main").getObjectId();
            ObjectId next;
            try (WriteTransaction tx = store.beginWrite()) {
                Repository r = tx.repository();
                next = commit(r, "next", base);
                update(r, "refs/heads/main", next, base);
                try (ReadSnapshot during = store.openSnapshot()) {
                    assertEquals(base, during.repository().exactRef("refs/heads/main").getObjectId());
                    assertFalse(during.repository().getObjectDatabase().has(next));
                }
                tx.commit();
            }
            assertEquals(base, old.repository().exactRef("refs/heads/main").getObjectId());
            assertEquals(1, old.packs().size());
            try (ReadSnapshot fresh = store.openSnapshot()) {
                assertEquals(next, fresh.repository().exactRef("refs/heads/main").getObjectId());
                assertTrue(fresh.repository().getObjectDatabase().has(next));
            }
        }
    }

    @Test
    void atomicBatchAppliesAllOrNone() throws Exception {
        ObjectId a;
        ObjectId b;
        try (WriteTransaction tx = store.beginWrite()) {
            Repository r = tx.repository();
            a = commit(r, "a", null);
            b = commit(r, "b", a);
            update(r, "refs/heads/main", a, ObjectId.zeroId());
            update(r, "refs/heads/other", a, ObjectId.zeroId());
            tx.commit();
        }
        try (WriteTransaction tx = store.beginWrite()) {
            Repository r = tx.repository();
            BatchRefUpdate batch = r.getRefDatabase().newBatchUpdate().setAtomic(true);
            ReceiveCommand good = new ReceiveCommand(a, b, "refs/heads/main");
            ReceiveCommand stale = new ReceiveCommand(b, b, "refs/heads/other"); // other is at a, not b
            ReceiveCommand create = new ReceiveCommand(ObjectId.zeroId(), b, "refs/heads/new");
            batch.addCommand(good, stale, create);
            try (RevWalk rw = new RevWalk(r)) {
                batch.execute(rw, NullProgressMonitor.INSTANCE);
            }
            assertEquals(ReceiveCommand.Result.REJECTED_OTHER_REASON, good.getResult());
            assertEquals(ReceiveCommand.Result.REJECTED_OTHER_REASON, create.getResult());
            assertFalse(stale.getResult() == ReceiveCommand.Result.OK);
            assertEquals(a, r.exactRef("refs/heads/main").getObjectId());
            assertNull(r.exactRef("refs/heads/new"));
            tx.commit();
        }
        try (ReadSnapshot s = store.openSnapshot()) {
            assertEquals(a, s.repository().exactRef("refs/heads/main").getObjectId());
            assertNull(s.repository().exactRef("refs/heads/new"));
        }
    }

    @Test
    void parsesAMultiChunkPackWithDeltasAndReadsEveryObjectBack() throws Exception {
        // a source repository whose pack is several chunks long and full of deltas
        InMemoryRepository src = new InMemoryRepository(new DfsRepositoryDescription("src"));
        Random random = new Random(7);
        byte[] text = new byte[1_500_000];
        random.nextBytes(text);
        ObjectId parent = null;
        try (ObjectInserter ins = src.newObjectInserter()) {
            for (int i = 0; i < 6; i++) {
                text[random.nextInt(text.length)] ^= 1; // a small change: the next version deltas well
                ObjectId blob = ins.insert(Constants.OBJ_BLOB, text);
                TreeFormatter tree = new TreeFormatter();
                tree.append("big.bin", org.eclipse.jgit.lib.FileMode.REGULAR_FILE, blob);
                CommitBuilder cb = new CommitBuilder();
                cb.setTreeId(ins.insert(tree));
                cb.setAuthor(WHO);
                cb.setCommitter(WHO);
                cb.setMessage("v" + i);
                if (parent != null) {
                    cb.setParentId(parent);
                }
                parent = ins.insert(cb);
            }
            ins.flush();
        }
        ByteArrayOutputStream pack = new ByteArrayOutputStream();
        PackConfig pc = new PackConfig(src);
        pc.setDeltaCompress(true);
        try (PackWriter pw = new PackWriter(pc, src.newObjectReader())) {
            pw.preparePack(NullProgressMonitor.INSTANCE, java.util.Set.of(parent), PackWriter.NONE);
            pw.writePack(NullProgressMonitor.INSTANCE, NullProgressMonitor.INSTANCE, pack);
        }
        assertTrue(pack.size() > Chunks.SIZE, "pack should span chunks: " + pack.size());

        try (WriteTransaction tx = store.beginWrite()) {
            Repository r = tx.repository();
            try (ObjectInserter ins = r.newObjectInserter()) {
                PackParser parser = ins.newPackParser(new ByteArrayInputStream(pack.toByteArray()));
                parser.parse(NullProgressMonitor.INSTANCE);
                ins.flush();
            }
            update(r, "refs/heads/main", parent, ObjectId.zeroId());
            tx.commit();
        }
        try (ReadSnapshot s = store.openSnapshot(); RevWalk rw = new RevWalk(s.repository())) {
            rw.markStart(rw.parseCommit(parent));
            int commits = 0;
            for (var c : rw) {
                byte[] blob = s.repository().open(c.getTree().getId()).getBytes();
                assertNotNull(blob);
                commits++;
            }
            assertEquals(6, commits);
            assertEquals(18, s.packs().get(0).objectCount());
        }
    }

    @Test
    void aCompletedThinPackIsStoredAsAValidPackFile() throws Exception {
        ObjectId base;
        try (WriteTransaction tx = store.beginWrite()) {
            base = commit(tx.repository(), "base content that the next version deltas against ".repeat(50), null);
            update(tx.repository(), "refs/heads/main", base, ObjectId.zeroId());
            tx.commit();
        }
        // the client's side: a thin pack of the next commit, whose blob is a delta on the stored one
        InMemoryRepository client = new InMemoryRepository(new DfsRepositoryDescription("client"));
        ObjectId next;
        try (ReadSnapshot s = store.openSnapshot()) {
            copyAll(s.repository(), client, base);
        }
        next = commit(client, "base content that the next version deltas against ".repeat(50) + "changed", base);
        ByteArrayOutputStream thin = new ByteArrayOutputStream();
        PackConfig pc = new PackConfig(client);
        try (PackWriter pw = new PackWriter(pc, client.newObjectReader())) {
            pw.setThin(true);
            pw.preparePack(NullProgressMonitor.INSTANCE, java.util.Set.of(next), java.util.Set.of(base));
            pw.writePack(NullProgressMonitor.INSTANCE, NullProgressMonitor.INSTANCE, thin);
        }
        try (WriteTransaction tx = store.beginWrite()) {
            try (ObjectInserter ins = tx.repository().newObjectInserter()) {
                PackParser parser = ins.newPackParser(new ByteArrayInputStream(thin.toByteArray()));
                parser.setAllowThin(true);
                parser.parse(NullProgressMonitor.INSTANCE);
                ins.flush();
            }
            tx.commit();
        }
        try (ReadSnapshot s = store.openSnapshot()) {
            StoredPack received = s.packs().get(0);
            byte[] pack = read(s, received.file(org.eclipse.jgit.internal.storage.pack.PackExt.PACK));
            byte[] idx = read(s, received.file(org.eclipse.jgit.internal.storage.pack.PackExt.INDEX));
            assertEquals(received.objectCount(), org.eclipse.jgit.util.NB.decodeUInt32(pack, 8), "header count");
            byte[] sha = java.security.MessageDigest.getInstance("SHA-1").digest(java.util.Arrays.copyOf(pack, pack.length - 20));
            assertEquals(java.util.HexFormat.of().formatHex(sha), received.checksum());
            assertEquals(received.checksum(), java.util.HexFormat.of().formatHex(
                    java.util.Arrays.copyOfRange(idx, idx.length - 40, idx.length - 20)));
            byte[] idxSha = java.security.MessageDigest.getInstance("SHA-1").digest(java.util.Arrays.copyOf(idx, idx.length - 20));
            assertEquals(java.util.HexFormat.of().formatHex(idxSha),
                    java.util.HexFormat.of().formatHex(java.util.Arrays.copyOfRange(idx, idx.length - 20, idx.length)));
            // and the whole pack parses on its own, as git's index-pack would parse it
            InMemoryRepository fresh = new InMemoryRepository(new DfsRepositoryDescription("fresh"));
            try (ObjectInserter ins = fresh.newObjectInserter()) {
                ins.newPackParser(new ByteArrayInputStream(pack)).parse(NullProgressMonitor.INSTANCE);
                ins.flush();
            }
            assertTrue(fresh.getObjectDatabase().has(next));
        }
    }

    private static byte[] read(ReadSnapshot s, StoredFile f) throws Exception {
        try (var in = s.openFile(f, 0, f.size())) {
            return in.readAllBytes();
        }
    }

    private static void copyAll(Repository from, Repository to, ObjectId tip) throws Exception {
        ByteArrayOutputStream pack = new ByteArrayOutputStream();
        try (PackWriter pw = new PackWriter(new PackConfig(from), from.newObjectReader())) {
            pw.preparePack(NullProgressMonitor.INSTANCE, java.util.Set.of(tip), PackWriter.NONE);
            pw.writePack(NullProgressMonitor.INSTANCE, NullProgressMonitor.INSTANCE, pack);
        }
        try (ObjectInserter ins = to.newObjectInserter()) {
            ins.newPackParser(new ByteArrayInputStream(pack.toByteArray())).parse(NullProgressMonitor.INSTANCE);
            ins.flush();
        }
    }

    private static void commitOnMain(Repository r, String message) throws Exception {
        ObjectId c = commit(r, message, null);
        assertEquals(RefUpdate.Result.NEW, update(r, "refs/heads/main", c, ObjectId.zeroId()));
    }

    static ObjectId commit(Repository r, String message, ObjectId parent) throws Exception {
        try (ObjectInserter ins = r.newObjectInserter()) {
            ObjectId blob = ins.insert(Constants.OBJ_BLOB, message.getBytes(StandardCharsets.UTF_8));
            TreeFormatter tree = new TreeFormatter();
            tree.append("file.txt", org.eclipse.jgit.lib.FileMode.REGULAR_FILE, blob);
            CommitBuilder cb = new CommitBuilder();
            cb.setTreeId(ins.insert(tree));
            cb.setAuthor(WHO);
            cb.setCommitter(WHO);
            cb.setMessage(message);
            if (parent != null) {
                cb.setParentId(parent);
            }
            ObjectId id = ins.insert(cb);
            ins.flush();
            return id;
        }
    }

    private static ObjectId annotatedTag(Repository r, ObjectId target, String name) throws Exception {
        try (ObjectInserter ins = r.newObjectInserter()) {
            TagBuilder tb = new TagBuilder();
            tb.setObjectId(target, Constants.OBJ_COMMIT);
            tb.setTag(name);
            tb.setTagger(WHO);
            tb.setMessage("release " + name);
            ObjectId id = ins.insert(tb);
            ins.flush();
            return id;
        }
    }

    static RefUpdate.Result update(Repository r, String ref, ObjectId to, ObjectId expectedOld) throws Exception {
        RefUpdate u = r.updateRef(ref);
        u.setNewObjectId(to);
        u.setExpectedOldObjectId(expectedOld);
        return u.update();
    }
}
