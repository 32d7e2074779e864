package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 2: a first push that fails must leave nothing that a read can hold on to. Before
 * staged creation, reads during such a push opened the repository's new file, which the failure
 * then deleted; their pooled connections outlived it (a fetch whose body has not arrived yet holds
 * its connection across the failure), so after the real first push reads saw an empty repository. Now reads during a failing first push find no repository (404), and after the
 * real one they see its refs, and a second push works.
 */
class FirstPushIT {

    private static final String TYPE = "application/x-git-receive-pack-request";

    @TempDir
    Path work;

    @Test
    void readsDuringAFailingFirstPushFindNothingAndTheRealFirstPushIsWhole() throws Exception {
        GitCli git = new GitCli(work.resolve("home"));
        byte[] failing = firstPushWithACorruptPack(64 << 20); // JGit reads all of it before it fails
        try (BootableServer server = BootableServer.start(work)) {
            String url = server.url() + "first.git";
            CompletableFuture<HttpResponse<byte[]>> push = CompletableFuture.supplyAsync(() -> {
                try {
                    return Http.post(url + "/git-receive-pack", TYPE, failing);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            Map<String, Integer> reads = new TreeMap<>(); // "status path" -> how often
            // the last 20 fetches, each holding whatever it opened until its body comes: those open
            // when the push fails hold it across the failure
            Deque<Socket> fetches = new ArrayDeque<>();
            while (!push.isDone()) {
                for (String path : new String[] {"info/refs?service=git-upload-pack", "info/refs", "HEAD"}) {
                    reads.merge(Http.get(url + "/" + path).statusCode() + " " + path, 1, Integer::sum);
                }
                fetches.add(fetchWithoutItsBody(server));
                if (fetches.size() > 20) {
                    reads.merge(finish(fetches.poll()) + " fetch", 1, Integer::sum);
                }
            }
            String report = new String(push.get(5, TimeUnit.MINUTES).body(), StandardCharsets.ISO_8859_1);
            for (Socket fetch : fetches) { // these bodies arrive after the push failed
                reads.merge(finish(fetch) + " fetch", 1, Integer::sum);
            }
            assertTrue(report.contains("unpack ") && !report.contains("unpack ok"), report);
            assertTrue(reads.values().stream().mapToInt(Integer::intValue).sum() >= 30,
                    "reads ran while the push did: " + reads);
            assertTrue(reads.keySet().stream().allMatch(k -> k.startsWith("404 ")),
                    "no read found a repository while its first push ran: " + reads);

            Path src = Files.createDirectories(work.resolve("src"));
            git.ok(src, "init", "-q", "-b", "main");
            String first = commit(git, src, "one");
            git.ok(src, "push", "-q", url, "main");
            assertEquals(first + "\trefs/heads/main", git.ok(src, "ls-remote", url, "refs/heads/main"));
            String second = commit(git, src, "two");
            git.ok(src, "push", "-q", url, "main");
            assertEquals(second + "\trefs/heads/main", git.ok(src, "ls-remote", url, "refs/heads/main"));
            git.ok(work, "clone", "-q", url, work.resolve("clone").toString());
            assertEquals("2", git.ok(work.resolve("clone"), "rev-list", "--count", "HEAD"));
        }
    }

    /** A fetch (POST git-upload-pack) whose headers are sent, its 4-byte body not yet. */
    private static Socket fetchWithoutItsBody(BootableServer server) throws IOException {
        Socket s = new Socket("127.0.0.1", BootableServer.HTTP_PORT);
        s.setSoTimeout(60_000);
        s.getOutputStream().write(("POST /git/first.git/git-upload-pack HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-git-upload-pack-request\r\nContent-Length: 4\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** Sends the fetch's body (a flush-pkt) and returns the status of its answer. */
    private static int finish(Socket fetch) throws IOException {
        try (fetch) {
            try {
                fetch.getOutputStream().write("0000".getBytes(StandardCharsets.US_ASCII));
                fetch.getOutputStream().flush();
            } catch (IOException answeredAlready) {
                // the server answered without waiting for the body and closed its side
            }
            String response = new String(fetch.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 "), response);
            return Integer.parseInt(response.substring(9, 12));
        }
    }

    private static String commit(GitCli git, Path dir, String text) throws Exception {
        Files.writeString(dir.resolve("file.txt"), text + "\n");
        git.ok(dir, "add", ".");
        git.ok(dir, "commit", "-q", "-m", text);
        return git.ok(dir, "rev-parse", "HEAD");
    }

    /**
     * A first push of main: a commit, its tree and a blob of {@code size} random bytes (stored, not
     * compressed, so the test builds it fast), in a pack whose trailer is not its checksum.
     */
    private static byte[] firstPushWithACorruptPack(int size) {
        byte[] blob = new byte[size];
        new Random(7).nextBytes(blob);
        ObjectId blobId = PackBytes.id(PackBytes.BLOB, blob);
        byte[] tree = PackBytes.tree("100644", "big.bin", blobId);
        ObjectId treeId = PackBytes.id(PackBytes.TREE, tree);
        byte[] commit = PackBytes.commit(treeId, "big");
        ObjectId commitId = PackBytes.id(PackBytes.COMMIT, commit);
        byte[] pack = PackBytes.header(3).object(PackBytes.COMMIT, commit).object(PackBytes.TREE, tree)
                .object(PackBytes.BLOB, blob.length, stored(blob)).finishWithBadTrailer();
        return Pkt.body().line(ObjectId.zeroId().name() + " " + commitId.name() + " refs/heads/main\0report-status")
                .flush().raw(pack).bytes();
    }

    private static byte[] stored(byte[] content) {
        Deflater d = new Deflater(Deflater.NO_COMPRESSION);
        d.setInput(content);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + (content.length >> 10) + 64);
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }
}
