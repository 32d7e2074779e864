package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.storage.StoreDigest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every push limit, exceeded with the real git CLI against a server configured with small limits:
 * git prints the reason, and nothing is stored (the repository file is unchanged, or never created).
 * A client that stops sending is cut off by the read timeout with 408.
 */
class LimitsIT {

    @TempDir
    static Path work;

    static BootableServer server;

    @TempDir
    Path tmp;

    GitCli git;

    @BeforeAll
    static void start() throws Exception {
        server = BootableServer.start(work, "-Dgitwar.max-pack-bytes=300000", "-Dgitwar.max-object-bytes=100000",
                "-Dgitwar.max-objects-per-push=50", "-Dgitwar.max-ref-updates=3",
                "-Dgitwar.request-read-timeout-seconds=2");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void git() throws Exception {
        git = new GitCli(tmp.resolve("home"));
    }

    @Test
    void aPackOverTheLimitIsRefusedWithTheReason() throws Exception {
        Path src = repoWith(1, 250_000); // two commits of random data: over 300 000 bytes
        addFile(src, "more.bin", 250_000);
        assertRefused(src, "limit-pack", "exceeds the limit of 300000 bytes");
    }

    @Test
    void aBodyFarOverTheLimitIsDrainedAndStillAnsweredWithTheReason() throws Exception {
        Path src = repoWith(1, 5_000_000); // over the limit plus the command allowance: not even spooled
        assertRefused(src, "limit-body", "pack exceeds the limit of 300000 bytes");
    }

    @Test
    void anObjectOverTheLimitIsRefusedWithTheReason() throws Exception {
        assertRefused(repoWith(1, 150_000), "limit-object", "Max object size limit is 100,000 bytes");
    }

    @Test
    void tooManyObjectsAreRefusedWithTheReason() throws Exception {
        assertRefused(repoWith(60, 10), "limit-objects", "objects, more than the limit of 50");
    }

    @Test
    void tooManyRefUpdatesAreRefusedWithTheReason() throws Exception {
        Path src = repoWith(1, 10);
        for (String b : new String[] {"a", "b", "c"}) {
            git.ok(src, "branch", b);
        }
        assertRefused(src, "limit-refs", "push updates 4 refs, more than the limit of 3", "--all");
    }

    @Test
    void withinTheLimitsAPushIsStored() throws Exception {
        Path src = repoWith(3, 1000);
        git.ok(src, "push", server.url() + "limit-ok.git", "main");
        assertTrue(git.ok(src, "ls-remote", server.url() + "limit-ok.git").contains("refs/heads/main"));
    }

    @Test
    void aClientThatStopsSendingIsCutOffWith408() throws Exception {
        Path file = Deployments.repositoryFile(work.resolve("data"), "limit-stall");
        try (Socket s = new Socket("127.0.0.1", BootableServer.HTTP_PORT)) {
            s.setSoTimeout(60_000); // the test's own deadline; the server's timeout is 2 s
            OutputStream out = s.getOutputStream();
            out.write(("POST /git/limit-stall.git/git-receive-pack HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/x-git-receive-pack-request\r\nContent-Length: 100000\r\n\r\n"
                    + "00a4").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1); // Connection: close
            assertTrue(response.startsWith("HTTP/1.1 408"), response);
            assertTrue(response.contains("no data from the client for 2 s"), response);
        }
        assertEquals("absent", StoreDigest.of(file));
    }

    private void assertRefused(Path src, String name, String reason, String... refspec) throws Exception {
        Path file = Deployments.repositoryFile(work.resolve("data"), name);
        String[] args = refspec.length > 0 ? new String[] {"push", server.url() + name + ".git", refspec[0]}
                : new String[] {"push", server.url() + name + ".git", "main"};
        GitCli.Result r = git.run(src, args);
        assertNotEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains(reason), r.stderr());
        assertTrue(r.stderr().contains("[remote rejected]"), r.stderr());
        assertEquals("absent", StoreDigest.of(file));
        assertEquals(List.of(), Deployments.leftovers(work.resolve("data"), name), "nothing created for " + name);
    }

    /** A repository with one commit of {@code files} files of {@code size} random bytes each. */
    private Path repoWith(int files, int size) throws Exception {
        Path src = Files.createTempDirectory(tmp, "src");
        git.ok(src, "init", "-q", "-b", "main");
        for (int i = 0; i < files; i++) {
            addFile(src, "f" + i + ".bin", size);
        }
        return src;
    }

    private void addFile(Path src, String name, int size) throws Exception {
        byte[] data = new byte[size];
        new Random(name.hashCode() + size).nextBytes(data);
        Files.write(src.resolve(name), data);
        git.ok(src, "add", name);
        git.ok(src, "commit", "-qm", "add " + name);
    }
}
