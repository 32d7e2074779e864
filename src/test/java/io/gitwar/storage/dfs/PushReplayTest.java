package io.gitwar.storage.dfs;

import static io.gitwar.storage.dfs.ParallelPackParserTest.ALL;
import static io.gitwar.storage.dfs.ParallelPackParserTest.git;
import static io.gitwar.storage.dfs.ParallelPackParserTest.gitPack;
import static io.gitwar.storage.dfs.ParallelPackParserTest.history;
import static io.gitwar.storage.dfs.ParallelPackParserTest.inserter;
import static io.gitwar.storage.dfs.ParallelPackParserTest.parser;
import static io.gitwar.storage.dfs.ParallelPackParserTest.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.storage.PushReplay;
import io.gitwar.storage.file.OutboxRows;
import io.gitwar.storage.ReadSnapshot;
import io.gitwar.storage.SqliteStore;
import io.gitwar.storage.WriteTransaction;
import io.gitwar.storage.dfs.receive.ParallelIndexing;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.eclipse.jgit.internal.storage.dfs.DfsPackDescription;
import org.eclipse.jgit.internal.storage.dfs.DfsPackParser;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Ref;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push received by JGit on a primary, replayed on a replica from the primary's stored pack: the
 * same refs and objects (JGit's fsck finds the replica sound), the same generation; a replica that
 * missed a push refuses the next and stores nothing.
 */
class PushReplayTest {

    @TempDir
    static Path tmp;

    @BeforeAll
    static void jgit() {
        JGitEnvironment.install(16L << 20, "gitwar/test", true);
    }

    /** What the primary stored for one push: its pack's files and its ref changes. */
    private record Received(byte[] pack, byte[] index, long objects, List<PushReplay.RefChange> refs) {
    }

    @Test
    void aReplayedPushLeavesTheReplicaAsThePrimary() throws Exception {
        Path repo = history(tmp, "replay", 30, 6, 3_000, 1);
        String main = new String(git(repo, null, "rev-parse", "main"), StandardCharsets.UTF_8).strip();
        String older = new String(git(repo, null, "rev-parse", "main~10"), StandardCharsets.UTF_8).strip();
        SqliteStore primary = SqliteStore.at(tmp.resolve("primary.sqlite"), "primary");
        SqliteStore replica = SqliteStore.at(tmp.resolve("replica.sqlite"), "replica");

        Received first = receive(primary, gitPack(repo, "main~10", "--delta-base-offset"), 0, "refs/heads/main", older);
        Received second = receive(primary, gitPack(repo, "main\n^main~10", "--delta-base-offset"), 1, "refs/heads/main", main);
        for (Received r : List.of(first, second)) {
            try (WriteTransaction tx = replica.beginWrite()) {
                PushReplay.apply(tx, r == first ? 0 : 1, List.of(new ShippedPack(
                        new ByteArrayInputStream(r.pack()), new ByteArrayInputStream(r.index()), r.objects())),
                        r.refs(), Instant.now(), "i1 primary active replicas=replica", r == first ? List.of(
                                new OutboxRows.Pending(0, "d-1", OutboxRows.Scope.REPOSITORY, 1, "push", "{}", 0,
                                        Instant.EPOCH, Instant.EPOCH)) : List.of(
                                new OutboxRows.Pending(0, "d-2", OutboxRows.Scope.GLOBAL, 2, "push", "{\"a\":1}", 1,
                                        Instant.ofEpochMilli(7), Instant.ofEpochMilli(6))));
                tx.commit();
            }
        }
        try (ReadSnapshot p = primary.openSnapshot(); ReadSnapshot r = replica.openSnapshot()) {
            assertEquals(refs(p), refs(r));
            assertEquals(2, p.generation());
            assertEquals(2, r.generation());
            assertEquals("i1 primary active replicas=replica", r.copies(), "the primary's record, kept with the push");
            // the outbox as the primary owes it with the last push: d-1 was delivered meanwhile
            List<OutboxRows.Pending> owed = r.outbox().all();
            assertEquals(1, owed.size());
            assertEquals(List.of("d-2", "{\"a\":1}", 1, Instant.ofEpochMilli(7)), List.of(owed.get(0).deliveryId(),
                    owed.get(0).payload(), owed.get(0).attempts(), owed.get(0).nextAttemptAt()));
            assertTrue(Fsck.check(r.repository()).sound(), Fsck.check(r.repository()).toString());
        }
    }

    @Test
    void aReplicaThatMissedAPushRefusesTheNextAndStoresNothing() throws Exception {
        Path repo = history(tmp, "missed", 10, 3, 1_000, 1);
        String main = new String(git(repo, null, "rev-parse", "main"), StandardCharsets.UTF_8).strip();
        SqliteStore primary = SqliteStore.at(tmp.resolve("p2.sqlite"), "p2");
        SqliteStore replica = SqliteStore.at(tmp.resolve("r2.sqlite"), "r2");
        Received r = receive(primary, gitPack(repo, ALL, "--delta-base-offset"), 0, "refs/heads/main", main);
        try (WriteTransaction tx = replica.beginWrite()) {
            PushReplay.GenerationMismatch refused = assertThrows(PushReplay.GenerationMismatch.class,
                    () -> PushReplay.apply(tx, 1, List.of(new ShippedPack(new ByteArrayInputStream(r.pack()),
                            new ByteArrayInputStream(r.index()), r.objects())), r.refs(), Instant.now(), "i1 p2 active replicas=r2",
                            List.of()));
            assertEquals(0, refused.have());
            tx.rollback();
        }
        // a new replica's file comes into being with its first write: refused, it never did
        assertTrue(java.nio.file.Files.notExists(tmp.resolve("r2.sqlite")), "the replica stored something");
    }

    /** Receives {@code pack} on the primary as a push does, moves {@code ref} to {@code id}. */
    private static Received receive(SqliteStore store, byte[] pack, long generation, String ref, String id)
            throws Exception {
        try (WriteTransaction tx = store.beginWrite(); ObjectInserter ins = inserter(tx, pack, ParallelIndexing.OFF)) {
            assertEquals(generation, tx.generation());
            DfsPackParser p = parser(ins, pack);
            p.parse(NullProgressMonitor.INSTANCE);
            ins.flush();
            DfsPackDescription d = p.getPackDescription();
            SqliteObjDatabase db = (SqliteObjDatabase) tx.repository().getObjectDatabase();
            Ref before = tx.repository().exactRef(ref);
            ObjectId old = before == null ? ObjectId.zeroId() : before.getObjectId();
            List<PushReplay.RefChange> refs = List.of(new PushReplay.RefChange(ref, old, ObjectId.fromString(id)));
            var batch = tx.repository().getRefDatabase().newBatchUpdate();
            batch.addCommand(new org.eclipse.jgit.transport.ReceiveCommand(old, ObjectId.fromString(id), ref));
            try (var walk = new org.eclipse.jgit.revwalk.RevWalk(tx.repository())) {
                batch.execute(walk, NullProgressMonitor.INSTANCE);
            }
            tx.recordPush(Instant.now());
            List<ShippedPack> shipped = tx.receivedPacks(); // what a primary sends its replicas
            assertEquals(1, shipped.size());
            Received r = new Received(shipped.get(0).pack().readAllBytes(), shipped.get(0).index().readAllBytes(),
                    shipped.get(0).objectCount(), refs);
            assertTrue(java.util.Arrays.equals(read(db, d, PackExt.PACK), r.pack()), "the pack as stored");
            assertTrue(java.util.Arrays.equals(read(db, d, PackExt.INDEX), r.index()), "the index as stored");
            tx.commit();
            return r;
        }
    }

    private static TreeMap<String, String> refs(ReadSnapshot s) throws Exception {
        TreeMap<String, String> all = new TreeMap<>();
        for (Ref r : s.repository().getRefDatabase().getRefs()) {
            all.put(r.getName(), r.getObjectId() == null ? r.getTarget().getName() : r.getObjectId().name());
        }
        return all;
    }
}
