package io.gitwar.service.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.protocol.upload.UploadRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * upload-pack as gitwar configures it, on JGit's in-memory repository, byte for byte at the
 * protocol level (the real clients are driven in the integration tests).
 */
class UploadPackExchangeTest {

    private InMemoryRepository repo;
    /** Commits of main, oldest first, one hour apart from 1700000000. */
    private final List<ObjectId> commits = new ArrayList<>();

    @BeforeEach
    void threeCommits() throws IOException {
        repo = new InMemoryRepository(new DfsRepositoryDescription("test"));
        try (ObjectInserter ins = repo.newObjectInserter()) {
            ObjectId parent = null;
            for (int i = 0; i < 3; i++) {
                TreeFormatter tree = new TreeFormatter();
                tree.append("f.txt", FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, ("v" + i).getBytes()));
                CommitBuilder c = new CommitBuilder();
                c.setTreeId(ins.insert(tree));
                PersonIdent who = new PersonIdent("A", "a@example.invalid", (1_700_000_000L + i * 3600L) * 1000, 0);
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
        RefUpdate main = repo.updateRef("refs/heads/main");
        main.setNewObjectId(commits.get(2));
        main.update();
        repo.updateRef(Constants.HEAD).link("refs/heads/main");
    }

    @AfterEach
    void close() {
        repo.close();
    }

    @Test
    void v0AdvertisementHasEveryCapabilityClientsNeedAndNoDeepenRelative() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new UploadPackExchange(repo, List.of()).advertise(out);
        String adv = out.toString(StandardCharsets.UTF_8);
        assertTrue(adv.startsWith("001e# service=git-upload-pack\n0000"), adv);
        String first = adv.substring("001e# service=git-upload-pack\n0000".length()).split("\n")[0];
        assertTrue(first.contains(commits.get(2).name() + " HEAD\0"), "HEAD first: " + first);
        List<String> caps = List.of(first.substring(first.indexOf('\0') + 1).split(" "));
        for (String cap : List.of("multi_ack_detailed", "no-done", "side-band-64k", "ofs-delta", "thin-pack",
                "include-tag", "no-progress", "shallow", "deepen-since", "deepen-not", "filter",
                "allow-tip-sha1-in-want", "allow-reachable-sha1-in-want", "symref=HEAD:refs/heads/main",
                "object-format=sha1", "deepen-relative")) {
            assertTrue(caps.contains(cap), cap + " in " + caps);
        }
        assertTrue(caps.stream().anyMatch(c -> c.startsWith("agent=")), caps.toString());
    }

    @Test
    void v2AdvertisementAddsObjectFormat() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new UploadPackExchange(repo, UploadPackExchange.protocolParameters("version=2")).advertise(out);
        String adv = out.toString(StandardCharsets.UTF_8);
        assertTrue(adv.startsWith("000dversion 2"), adv);
        assertFalse(adv.contains("# service"), "git's http-backend sends no service line in v2: " + adv);
        assertTrue(adv.contains("object-format=sha1"), adv);
        assertTrue(adv.indexOf("object-format=sha1") < adv.indexOf("agent="), adv);
        assertTrue(adv.contains("fetch=filter wait-for-done shallow"), adv);
        assertTrue(adv.endsWith("0000"), adv);
    }

    /**
     * git's first stateless round of {@code --shallow-since}: wants, deepen-since, flush, nothing
     * more. The answer is the shallow list and a flush, no error (JGit alone would add
     * {@code ERR internal server error}).
     */
    @Test
    void v0DeepenSinceFirstRoundEndsAfterTheShallowList() throws IOException {
        String since = Long.toString(1_700_000_000L + 3600L); // keeps the last two commits
        byte[] body = pkt("want " + commits.get(2).name() + " multi_ack_detailed no-done side-band-64k ofs-delta\n",
                "deepen-since " + since + "\n", null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        upload(List.of(), body, out);
        assertEquals("0035shallow " + commits.get(1).name() + "\n0000", out.toString(StandardCharsets.US_ASCII));
    }

    /**
     * {@code git fetch --deepen 1} on a clone of depth 1 (its shallow commit is the tip): JGit alone
     * fails on deepen-relative; translated, the tip is unshallowed and its parent becomes the boundary.
     */
    @Test
    void deepenRelativeDeepensFromTheClientsShallowCommits() throws IOException {
        String tip = commits.get(2).name();
        byte[] v0 = pkt("want " + tip + " multi_ack_detailed no-done side-band-64k ofs-delta deepen-relative\n",
                "shallow " + tip + "\n", "deepen 1\n", null, "have " + tip + "\n", "done\n");
        byte[] v2 = pkt("command=fetch\n", "object-format=sha1\n", DELIM, "no-progress\n", "shallow " + tip + "\n",
                "deepen 1\n", "deepen-relative\n", "want " + tip + "\n", "have " + tip + "\n", "done\n", null);
        String boundary = "shallow " + commits.get(1).name() + "\n";
        String unshallow = "unshallow " + tip + "\n";
        for (byte[] request : List.of(v0, v2)) {
            boolean isV2 = request == v2;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            upload(isV2 ? List.of("version=2") : List.of(), request, out);
            String answer = out.toString(StandardCharsets.ISO_8859_1);
            assertFalse(answer.contains("ERR"), answer);
            assertTrue(answer.contains(boundary) && answer.contains(unshallow), answer);
            assertTrue(answer.contains("PACK"), answer);
        }
    }

    @Test
    void aWantOfAnUnknownObjectIsAnInBandError() throws IOException {
        byte[] body = pkt("want " + "1".repeat(40) + " multi_ack_detailed side-band-64k\n", null, "done\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        upload(List.of(), body, out);
        String answer = out.toString(StandardCharsets.US_ASCII);
        assertTrue(answer.contains("ERR want " + "1".repeat(40) + " not valid"), answer);
    }

    /**
     * git's lazy fetch in a partial clone: a want of an old blob, by id, v0 and v2 (JGit's own
     * reachability check refuses it without bitmaps).
     */
    @Test
    void anOldBlobIsServedByIdInV0AndV2() throws IOException {
        ObjectId blob;
        try (RevWalk w = new RevWalk(repo)) {
            blob = TreeWalk.forPath(repo, "f.txt", w.parseCommit(commits.get(0)).getTree()).getObjectId(0);
        }
        byte[] v0 = pkt("want " + blob.name() + " multi_ack_detailed side-band-64k ofs-delta no-progress\n",
                "filter blob:none\n", null, "done\n");
        byte[] v2 = pkt("command=fetch\n", DELIM, "want " + blob.name() + "\n", "filter blob:none\n", "no-progress\n",
                "done\n", null);
        for (byte[] request : List.of(v0, v2)) {
            boolean isV2 = request == v2;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            upload(isV2 ? List.of("version=2") : List.of(), request, out);
            String answer = out.toString(StandardCharsets.ISO_8859_1);
            assertFalse(answer.contains("ERR"), answer);
            assertTrue(answer.startsWith(isV2 ? "000dpackfile\n" : "0008NAK\n") && answer.contains("PACK"), answer);
        }
    }

    /** Reads the request as FetchService does, then runs the exchange on it. */
    private void upload(List<String> protocol, byte[] body, ByteArrayOutputStream out) throws IOException {
        UploadRequest request = UploadRequest.read(new ByteArrayInputStream(body), UploadPackExchange.isV2(protocol),
                new UploadRequest.Bounds(1 << 20, 1000, 1000));
        new UploadPackExchange(repo, protocol).upload(request, out);
    }

    /** A pkt-line delimiter (v2), for {@link #pkt}. */
    private static final String DELIM = "\u0000delim";

    /** Lines as pkt-lines; null is a flush, {@link #DELIM} a delimiter. */
    private static byte[] pkt(String... lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String l : lines) {
            if (l == null || l.equals(DELIM)) {
                out.writeBytes((l == null ? "0000" : "0001").getBytes(StandardCharsets.US_ASCII));
                continue;
            }
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(String.format("%04x", b.length + 4).getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(b);
        }
        return out.toByteArray();
    }
}
