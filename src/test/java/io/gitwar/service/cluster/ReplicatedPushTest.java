package io.gitwar.service.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gitwar.storage.PushReplay.RefChange;
import io.gitwar.storage.dfs.ShippedPack;
import io.gitwar.storage.file.OutboxRows;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;

/** A push as a primary sends it to its replicas reads back as sent: refs, generation, every file's bytes. */
class ReplicatedPushTest {

    @Test
    void aPushReadsBackAsSent() throws IOException {
        byte[] pack1 = bytes(1, 200_000); // more than one block
        byte[] index1 = bytes(2, 1_100);
        byte[] pack2 = bytes(3, 0);
        byte[] index2 = bytes(4, 65_536); // exactly one block
        List<RefChange> refs = List.of(
                new RefChange("refs/heads/main", ObjectId.zeroId(), id(5)),
                new RefChange("refs/tags/v1 é", id(6), ObjectId.zeroId()));
        Instant at = Instant.ofEpochMilli(1_700_000_000_123L);
        List<OutboxRows.Pending> owed = List.of(
                new OutboxRows.Pending(0, "d-1", OutboxRows.Scope.REPOSITORY, 3, "push", "{\"é\":\"" + "x".repeat(70_000) + "\"}", 2,
                        Instant.ofEpochMilli(5), Instant.ofEpochMilli(4)),
                new OutboxRows.Pending(0, "d-2", OutboxRows.Scope.GLOBAL, 1, "push", "{}", 0, at, at));
        ReplicatedPush sent = new ReplicatedPush("node-2", "i1 node-2 active replicas=node-3", 41, at, refs, owed, List.of(
                new ShippedPack(new ByteArrayInputStream(pack1), new ByteArrayInputStream(index1), 7),
                new ShippedPack(new ByteArrayInputStream(pack2), new ByteArrayInputStream(index2), 0)));

        ReplicatedPush read = ReplicatedPush.read(new ByteArrayInputStream(sent.body().readAllBytes()));
        assertEquals("node-2", read.primary());
        assertEquals("i1 node-2 active replicas=node-3", read.copies());
        assertEquals(41, read.follows());
        assertEquals(at, read.at());
        assertEquals(refs, read.refs());
        assertEquals(owed, read.outbox(), "a payload beyond writeUTF's 64 KiB too");
        assertEquals(2, read.packs().size());
        // read in the order a replica stores them: each pack, then its index
        assertArrayEquals(pack1, read.packs().get(0).pack().readAllBytes());
        assertArrayEquals(index1, read.packs().get(0).index().readAllBytes());
        assertEquals(7, read.packs().get(0).objectCount());
        assertArrayEquals(pack2, read.packs().get(1).pack().readAllBytes());
        assertArrayEquals(index2, read.packs().get(1).index().readAllBytes());
    }

    @Test
    void aBodyCutShortOrOfAnotherKindIsRefused() throws IOException {
        ReplicatedPush sent = new ReplicatedPush("node-1", "", 0, Instant.EPOCH, List.of(), List.of(), List.of(new ShippedPack(
                new ByteArrayInputStream(bytes(1, 5_000)), new ByteArrayInputStream(bytes(2, 10)), 1)));
        byte[] body = sent.body().readAllBytes();
        ReplicatedPush cut = ReplicatedPush.read(new ByteArrayInputStream(body, 0, body.length - 100));
        assertThrows(IOException.class, () -> {
            cut.packs().get(0).pack().readAllBytes();
            cut.packs().get(0).index().readAllBytes();
        });
        assertThrows(IOException.class, () -> ReplicatedPush.read(new ByteArrayInputStream("0000".getBytes())));
    }

    private static byte[] bytes(int seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static ObjectId id(int seed) {
        return ObjectId.fromRaw(bytes(seed, 20));
    }
}
