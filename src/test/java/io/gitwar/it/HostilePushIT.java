package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes that cost the server more than they should: what they cost is bounded, they are refused
 * with a reason git prints, nothing is stored, and the server stays healthy for the next client.
 * Each group runs against its own bootable JAR (one at a time: they share its ports).
 */
class HostilePushIT {

    private static final String TYPE = "application/x-git-receive-pack-request";
    private static final String ZERO = ObjectId.zeroId().name();

    @TempDir
    static Path work;

    /** Bodies over 1 MiB are spooled to a file that is deleted at once: nothing of it stays open. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class SpooledBodies {

        BootableServer server;
        GitCli git;

        @BeforeAll
        void start() throws Exception {
            server = BootableServer.start(work.resolve("spool"));
            git = new GitCli(work.resolve("spool-home"));
        }

        @AfterAll
        void stop() throws Exception {
            if (server != null) {
                server.close();
            }
        }

        @Test
        void noDescriptorOrFileOfASpooledPushStaysBehind() throws Exception {
            WorkRepository src = WorkRepository.init(git, work.resolve("spool-src"));
            String url = server.url() + "spooled.git";
            src.commitMany(1, 3 << 20, 1); // 3 MiB of random bytes: a body spooled to a file
            src.push(url);
            // refused before JGit read the body to its end (an end of stream closes it anyway)
            byte[] junk = random(3 << 20, 2);
            for (int i = 0; i < 3; i++) {
                assertEquals(200, Http.post(url + "/git-receive-pack", TYPE, push("refs/heads/a..b",
                        PackBytes.header(1).object(PackBytes.BLOB, junk).finish())).statusCode());
                assertEquals(200, Http.post(url + "/git-receive-pack", TYPE, push("refs/heads/corrupt",
                        PackBytes.header(2).object(PackBytes.BLOB, 6, PackBytes.utf8("not zlib")).raw(junk).finish()))
                        .statusCode());
            }
            // the handler closes the spool after the client read the answer: wait for it, within a deadline
            Await.until(Duration.ofSeconds(20), "no open spool files in process " + server.pid(),
                    () -> openFiles(server.pid(), ".spool").isEmpty());
            try (DirectoryStream<Path> left = Files.newDirectoryStream(work.resolve("spool/data/.spool"))) {
                assertFalse(left.iterator().hasNext(), "spool files left behind");
            }
        }
    }

    /** Targets of the open file descriptors of process {@code pid} whose path contains {@code part}. */
    static List<String> openFiles(long pid, String part) throws IOException {
        List<String> open = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.contains(part)) {
                        open.add(target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor was closed while the directory was listed
                }
            }
        }
        return open;
    }

    /** A push request creating {@code ref} (at an id no pack holds) with {@code pack}. */
    static byte[] push(String ref, byte[] pack) {
        return Pkt.body().line(ZERO + " " + "1".repeat(40) + " " + ref + "\0report-status\n").flush().raw(pack).bytes();
    }

    static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
