package io.gitwar.service.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.protocol.receive.PushReports;
import io.gitwar.protocol.receive.PushRequest;
import io.gitwar.storage.SqliteStore;
import io.gitwar.storage.WriteTransaction;
import io.gitwar.storage.dfs.JGitEnvironment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.internal.storage.pack.PackWriter;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.pack.PackConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule the project is about, on JGit's in-memory repository: git reads "ok" for a push only
 * after gitwar said it may (the commit), never before; a failed commit replaces the held report by
 * a failure report; what git prints is git's own receive-pack's output.
 */
class GatedReceivePackTest {

    private static final String ZERO = ObjectId.zeroId().name();

    private InMemoryRepository client;
    private InMemoryRepository server;
    private long maxRefs = Long.MAX_VALUE;
    private final List<ObjectId> commits = new ArrayList<>();

    @BeforeEach
    void twoCommits() throws IOException {
        client = new InMemoryRepository(new DfsRepositoryDescription("client"));
        server = new InMemoryRepository(new DfsRepositoryDescription("server"));
        try (ObjectInserter ins = client.newObjectInserter()) {
            ObjectId parent = null;
            for (int i = 0; i < 2; i++) {
                TreeFormatter tree = new TreeFormatter();
                tree.append("f.txt", FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, ("v" + i).getBytes()));
                CommitBuilder c = new CommitBuilder();
                c.setTreeId(ins.insert(tree));
                PersonIdent who = new PersonIdent("A", "a@example.invalid", 1_700_000_000_000L + i, 0);
                c.setAuthor(who);
                c.setCommitter(who);
                c.setMessage("c" + i + "\n");
                if (parent != null) {
                    c.setParentId(parent);
                }
                parent = ins.insert(c);
                commits.add(parent);
            }
            ins.flush();
        }
    }

    @Test
    void theReportIsHeldUntilReleased() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        OutputGate gate = new OutputGate(wire);
        PushOutcome outcome = run(push(ZERO, commits.get(1), "report-status-v2 side-band-64k quiet"), gate);

        assertNull(outcome.failure());
        assertTrue(outcome.storesSomething());
        assertTrue(gate.isHolding());
        assertFalse(text(wire).contains("ok refs/heads/main"), "nothing said before the commit: " + text(wire));
        assertEquals(commits.get(1), server.exactRef("refs/heads/main").getObjectId(), "the ref moved in the transaction");

        gate.release();
        List<String> report = report(wire.toByteArray());
        assertEquals(List.of("unpack ok", "ok refs/heads/main"), report);
    }

    @Test
    void aFailedCommitReplacesTheHeldReportByAFailureReport() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        OutputGate gate = new OutputGate(wire);
        PushRequest request = push(ZERO, commits.get(1), "report-status side-band-64k quiet");
        run(request, gate);

        gate.discard(); // what PushService does when the commit fails
        PushReports.failed(wire, request, "storage failure, nothing was stored");
        assertFalse(text(wire).contains("ok refs/heads/main"), text(wire));
        assertEquals(List.of("unpack storage failure, nothing was stored",
                "ng refs/heads/main storage failure, nothing was stored"), report(wire.toByteArray()));
        assertTrue(text(wire).contains("\u0002error: storage failure, nothing was stored\n"), "shown as remote: error:");
    }

    @Test
    void aRejectedPushStoresNothingAndSaysWhy() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        OutputGate gate = new OutputGate(wire);
        // the client believes main is at commit 0, but it does not exist: a stale view of the ref
        PushOutcome outcome = run(push(commits.get(0).name(), commits.get(1), "report-status side-band-64k"), gate);
        assertFalse(outcome.storesSomething(), "rolled back whole");
        gate.release();
        List<String> report = report(wire.toByteArray());
        assertEquals("unpack ok", report.get(0));
        assertTrue(report.get(1).startsWith("ng refs/heads/main "), report.toString());
    }

    @Test
    void aCreationOverTheRefLimitIsRefusedWithTheCountAndStoresNothing() throws IOException {
        maxRefs = 1;
        RefUpdate existing = server.updateRef("refs/heads/old");
        try (ObjectInserter ins = server.newObjectInserter()) {
            existing.setNewObjectId(ins.insert(Constants.OBJ_BLOB, "x".getBytes()));
            ins.flush();
        }
        existing.update();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        OutputGate gate = new OutputGate(wire);
        PushOutcome outcome = run(push(ZERO, commits.get(1), "report-status side-band-64k"), gate);
        assertFalse(outcome.storesSomething(), "rolled back whole");
        assertNull(server.exactRef("refs/heads/main"));
        gate.release();
        assertEquals(List.of("unpack ok", "ng refs/heads/main the repository would have 2 refs, more than its limit of 1"),
                report(wire.toByteArray()));
    }

    /**
     * On gitwar's own storage, whose ref updates go through JGit's BatchRefUpdate with its progress
     * meter (the in-memory repository's reftable updates show none).
     */
    @Test
    void noProgressMeterOfTheRefUpdatesEvenWithoutQuiet(@TempDir Path dir) throws IOException {
        JGitEnvironment.install(16L << 20, "gitwar/test", true);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        OutputGate gate = new OutputGate(wire);
        SqliteStore store = SqliteStore.at(dir.resolve("r.sqlite"), "meter-" + System.nanoTime());
        try (WriteTransaction tx = store.beginWrite()) {
            PushRequest request = push(ZERO, commits.get(1), "report-status side-band-64k");
            request.validate();
            assertTrue(GatedReceivePack.run(tx.repository(), request, gate, true, Long.MAX_VALUE, Long.MAX_VALUE).storesSomething());
            tx.commit();
        } finally {
            store.close();
        }
        gate.release();
        assertFalse(text(wire).contains("Updating references"), text(wire));
        assertEquals(List.of("unpack ok", "ok refs/heads/main"), report(wire.toByteArray()));
    }

    private PushOutcome run(PushRequest request, OutputGate gate) throws IOException {
        request.validate();
        return GatedReceivePack.run(server, request, gate, true, Long.MAX_VALUE, maxRefs);
    }

    /** A push of main from {@code oldId} to {@code newId}, with a pack of everything up to newId. */
    private PushRequest push(String oldId, ObjectId newId, String capabilities) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        pkt(body, oldId + " " + newId.name() + " refs/heads/main\0" + capabilities + " agent=git/2.39.5\n");
        body.writeBytes("0000".getBytes(StandardCharsets.US_ASCII));
        try (PackWriter pw = new PackWriter(new PackConfig(client), client.newObjectReader())) {
            pw.preparePack(NullProgressMonitor.INSTANCE, Set.of(newId), PackWriter.NONE);
            pw.writePack(NullProgressMonitor.INSTANCE, NullProgressMonitor.INSTANCE, body);
        }
        return PushRequest.read(new ByteArrayInputStream(body.toByteArray()));
    }

    private static void pkt(ByteArrayOutputStream out, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(String.format("%04x", bytes.length + 4).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
    }

    private static String text(ByteArrayOutputStream wire) {
        return wire.toString(StandardCharsets.ISO_8859_1);
    }

    /** The report-status lines nested in side-band channel 1, as git's send-pack reads them. */
    private static List<String> report(byte[] wire) {
        ByteArrayOutputStream band1 = new ByteArrayOutputStream();
        for (byte[] p : pktLines(wire, 0)) {
            if (p.length > 0 && p[0] == 1) {
                band1.write(p, 1, p.length - 1);
            }
        }
        List<String> lines = new ArrayList<>();
        for (byte[] p : pktLines(band1.toByteArray(), 0)) {
            lines.add(new String(p, StandardCharsets.UTF_8).stripTrailing());
        }
        return lines;
    }

    /** The payloads of the pkt-lines in {@code bytes} from {@code at}, flushes left out. */
    private static List<byte[]> pktLines(byte[] bytes, int at) {
        List<byte[]> payloads = new ArrayList<>();
        while (at + 4 <= bytes.length) {
            int length = Integer.parseInt(new String(bytes, at, 4, StandardCharsets.US_ASCII), 16);
            if (length == 0) {
                at += 4;
                continue;
            }
            byte[] payload = new byte[length - 4];
            System.arraycopy(bytes, at + 4, payload, 0, payload.length);
            payloads.add(payload);
            at += length;
        }
        return payloads;
    }
}
