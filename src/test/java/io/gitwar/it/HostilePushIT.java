package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.storage.StoreDigest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
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
            // the handler closes and deletes the spool after the client read the answer (the client may
            // see the end of the answer before that): wait for both, within a deadline
            Await.until(Duration.ofSeconds(20), "no open or left spool files in process " + server.pid(),
                    () -> openFiles(server.pid(), ".spool").isEmpty() && spoolFiles(work.resolve("spool/data")).isEmpty());
        }
    }

    /**
     * A push that outlives {@code gitwar.write-timeout-seconds}: the transaction manager ends it on
     * its own thread, which only marks it; the pushing thread stops, rolls back and says why.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WriteTimeout {

        BootableServer server;
        GitCli git;

        @BeforeAll
        void start() throws Exception {
            server = BootableServer.start(work.resolve("timeout"), "-Dgitwar.write-timeout-seconds=1");
            git = new GitCli(work.resolve("timeout-home"));
        }

        @AfterAll
        void stop() throws Exception {
            if (server != null) {
                server.close();
            }
        }

        @Test
        void aPushOverTheWriteTimeoutIsRefusedStoresNothingAndTheRepositoryStaysUsable() throws Exception {
            String url = server.url() + "slow.git";
            Path file = Deployments.repositoryFile(work.resolve("timeout/data"), "slow");
            WorkRepository src = WorkRepository.init(git, work.resolve("timeout-src"));
            src.commitSmall();
            // a cold server's first pushes load JGit's classes and may take longer than the second
            GitCli.Result first = null;
            for (int attempt = 0; attempt < 10 && (first == null || first.exitCode() != 0); attempt++) {
                first = git.run(src.dir, "push", url, "main");
            }
            first.ok();
            String before = StoreDigest.of(file);

            for (int i = 0; i < 3; i++) {
                src.commitMany(1, 64 << 20, 100 + i); // 192 MiB: far more than a second of work
            }
            long started = System.nanoTime();
            // git stores the random blobs whole and uncompressed: the server's work, not git's, takes the time
            GitCli.Result slow = git.run(src.dir, "-c", "pack.compression=0", "-c", "core.bigFileThreshold=1m",
                    "push", url, "main");
            System.out.printf("push over the write timeout answered in %d ms (git included):%n%s%n",
                    (System.nanoTime() - started) / 1_000_000, slow.stderr());
            assertNotEquals(0, slow.exitCode(), slow.stderr());
            assertTrue(slow.stderr().contains("write timeout"), slow.stderr());
            assertTrue(slow.stderr().contains("[remote rejected]"), slow.stderr());
            assertEquals(before, StoreDigest.of(file), "nothing stored");

            git.ok(src.dir, "reset", "-q", "--hard", "HEAD~3");
            src.commitSmall();
            src.push(url);
            Path clone = work.resolve("timeout-clone");
            git.ok(work, "clone", "-q", url, clone.toString());
            git.ok(clone, "fsck", "--full", "--strict");
            assertEquals(git.ok(src.dir, "rev-parse", "HEAD"), git.ok(clone, "rev-parse", "HEAD"));
            String log = server.log();
            log.lines().filter(l -> l.contains("slow")).forEach(System.out::println);
            for (String symptom : new String[] {"database is locked", "SQLITE_BUSY", "SQLITE_MISUSE",
                "connection closed", "pointer is closed", "not executing", "\tat io.gitwar."}) {
                assertFalse(log.contains(symptom), "server log mentions \"" + symptom + "\":\n" + log);
            }
        }
    }

    /**
     * Hand-built pushes against a small server (-Xmx256m, the size the README recommends for small
     * sites): each is refused quickly with its reason, stores nothing, and the server goes on serving.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class SmallServer {

        BootableServer server;
        GitCli git;

        @BeforeAll
        void start() throws Exception {
            server = BootableServer.start(work.resolve("small"), "-Xmx256m", "-XX:+UseSerialGC",
                    "-Dgitwar.max-refs-per-repository=5");
            git = new GitCli(work.resolve("small-home"));
        }

        @AfterAll
        void stop() throws Exception {
            if (server != null) {
                server.close();
            }
        }

        @Test
        void aGzipBombIsRefusedBeforeItFillsTheDisk() throws Exception {
            String name = "gzip-bomb";
            ByteArrayOutputStream bomb = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(bomb)) {
                z.write(push("refs/heads/bomb", PackBytes.header(1).finish()));
                byte[] zeros = new byte[1 << 20];
                for (int i = 0; i < 512; i++) {
                    z.write(zeros); // 512 MiB decoded
                }
            }
            assertTrue(bomb.size() < 1 << 20, "bomb of " + bomb.size() + " bytes");
            HttpResponse<byte[]> r = Http.post(server.url() + name + ".git/git-receive-pack", TYPE, bomb.toByteArray(),
                    "Content-Encoding", "gzip");
            assertEquals(413, r.statusCode(), Http.text(r));
            assertTrue(Http.text(r).contains("inflates more than 8 times"), Http.text(r));
            assertEquals("absent", StoreDigest.of(Deployments.repositoryFile(work.resolve("small/data"), name)));
        }

        @Test
        void deltaBombsAreRefusedQuicklyWithTheirReasonAndStoreNothing() throws Exception {
            String name = "bombs";
            String url = server.url() + name + ".git";
            Path file = Deployments.repositoryFile(work.resolve("small/data"), name);
            // a stored blob of 100 MiB of zeros (git sends it in about 100 KiB; blobs are streamed)
            Path src = work.resolve("bombs-src");
            git.ok(work, "init", "-q", "-b", "main", src.toString());
            Files.write(src.resolve("zeros.bin"), new byte[100 << 20]);
            git.ok(src, "add", "zeros.bin");
            git.ok(src, "commit", "-qm", "zeros");
            git.ok(src, "push", "-q", url, "main");
            ObjectId stored = ObjectId.fromString(git.ok(src, "rev-parse", "HEAD:zeros.bin"));
            String before = StoreDigest.of(file);

            // a zero blob of 200 MiB in 200 KiB, and a delta on it that claims a base of 64 KiB
            PackBytes lyingBase = PackBytes.header(2);
            long base = lyingBase.position();
            lyingBase.object(PackBytes.BLOB, new byte[200 << 20]).ofsDelta(base, PackBytes.copyDelta(64 << 10, 128 << 10));
            refused(url, lyingBase.finish(), "Object too large (209,715,200 bytes)");

            // a thin delta on the stored 100 MiB blob (JGit would load it whole to apply the delta)
            refused(url, PackBytes.header(1).refDelta(stored, PackBytes.copyDelta(64 << 10, 128 << 10)).finish(),
                    "applies to an object of 104857600 bytes");

            // 33 deltas of about 1 KiB each on a 1 MiB blob, each expanding to 60 MiB or a little less: 2 GiB
            PackBytes expanding = PackBytes.header(34);
            base = expanding.position();
            expanding.object(PackBytes.BLOB, new byte[1 << 20]);
            for (int k = 0; k < 33; k++) {
                expanding.ofsDelta(base, PackBytes.copyDelta(1 << 20, (60L << 20) - k * 65536L));
            }
            byte[] pack = expanding.finish();
            assertTrue(pack.length < 64 << 10, "pack of " + pack.length + " bytes");
            refused(url, pack, "the pack's deltas expand to more than 268435456 bytes"); // the floor: 256 MiB

            assertEquals(before, StoreDigest.of(file), "nothing stored");
            git.ok(src, "commit", "-q", "--allow-empty", "-m", "after the bombs");
            git.ok(src, "push", "-q", url, "main");
            assertTrue(git.ok(work, "ls-remote", url).startsWith(git.ok(src, "rev-parse", "HEAD")));
        }

        @Test
        void objectsPerPushAreBoundedByTheHeap() throws Exception {
            String name = "many-objects";
            // a header declaring 500,000 objects, and bytes enough for that many to be plausible
            byte[] pack = PackBytes.header(500_000).raw(new byte[1_600_000]).finish();
            HttpResponse<byte[]> r = Http.post(server.url() + name + ".git/git-receive-pack", TYPE,
                    push("refs/heads/many", pack));
            String text = Http.text(r);
            Matcher limit = Pattern.compile("pack declares 500000 objects, more than the limit of (\\d+) "
                    + "\\(each takes about 160 bytes of the server's memory").matcher(text);
            assertTrue(limit.find(), text);
            long derived = Long.parseLong(limit.group(1)); // a quarter of a 256 MiB heap, 160 bytes each
            assertTrue(derived > 350_000 && derived < 420_000, "limit " + derived);
            assertEquals("absent", StoreDigest.of(Deployments.repositoryFile(work.resolve("small/data"), name)));
        }

        @Test
        void refsPerRepositoryAndTheLengthOfTheirNamesAreBounded() throws Exception {
            String url = server.url() + "refs.git";
            Path file = Deployments.repositoryFile(work.resolve("small/data"), "refs");
            WorkRepository src = WorkRepository.init(git, work.resolve("refs-src"));
            src.commitSmall();
            for (String b : new String[] {"a", "b", "c", "d"}) {
                git.ok(src.dir, "branch", b);
            }
            git.ok(src.dir, "push", "-q", url, "--all"); // main, a, b, c, d: 5 refs, the limit
            String before = StoreDigest.of(file);

            git.ok(src.dir, "branch", "e");
            GitCli.Result more = git.run(src.dir, "push", url, "e");
            assertNotEquals(0, more.exitCode());
            assertTrue(more.stderr().contains("[remote rejected] e -> e (the repository would have 6 refs, more than "
                    + "its limit of 5)"), more.stderr());

            String longName = "x".repeat(250); // refs/heads/ and 250 bytes: 261
            git.ok(src.dir, "branch", longName);
            GitCli.Result tooLong = git.run(src.dir, "push", url, longName);
            assertNotEquals(0, tooLong.exitCode());
            assertTrue(tooLong.stderr().contains("ref name of 261 bytes, longer than the limit of 255"), tooLong.stderr());
            assertEquals(before, StoreDigest.of(file), "nothing stored");

            git.ok(src.dir, "push", "-q", url, ":a"); // a deletion makes room
            git.ok(src.dir, "push", "-q", url, "e");
        }

        /** Pushes {@code pack} to a new branch: git's report says why it was refused. */
        private void refused(String url, byte[] pack, String reason) throws Exception {
            long started = System.nanoTime();
            HttpResponse<byte[]> r = Http.post(url + "/git-receive-pack", TYPE, push("refs/heads/bomb", pack));
            long ms = (System.nanoTime() - started) / 1_000_000;
            String text = Http.text(r);
            System.out.printf("%d-byte pack refused in %d ms: %s%n", pack.length, ms,
                    text.replaceAll("[\\x00-\\x1f]", " ").trim());
            assertEquals(200, r.statusCode(), text);
            assertTrue(text.contains("unpack error") && text.contains(reason), text);
            assertTrue(text.contains("ng refs/heads/bomb"), text);
        }

        @Test
        void jgitsGzippedPushesAreTaken() throws Exception {
            // JGit's HTTP client gzips every push that fits its http.postBuffer and shrinks (git never does)
            Path dir = work.resolve("jgit-src");
            try (Git jgit = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
                Files.writeString(dir.resolve("a.txt"), "hello from JGit\n".repeat(100));
                jgit.add().addFilepattern(".").call();
                RevCommit c = jgit.commit().setMessage("JGit push").setAuthor("A", "a@example.invalid")
                        .setCommitter("A", "a@example.invalid").call();
                for (PushResult result : jgit.push().setRemote(server.url() + "jgit.git")
                        .setRefSpecs(new RefSpec("main:main")).call()) {
                    assertEquals(RemoteRefUpdate.Status.OK, result.getRemoteUpdate("refs/heads/main").getStatus());
                }
                assertTrue(git.ok(work, "ls-remote", server.url() + "jgit.git").contains(c.name()));
            }
        }
    }

    /** {@code gitwar.min-free-disk-mib} above what the disk has: pushes are refused, reads still work. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class DiskFloor {

        BootableServer server;
        GitCli git;

        @BeforeAll
        void start() throws Exception {
            server = BootableServer.start(work.resolve("floor"), "-Dgitwar.min-free-disk-mib=" + (1L << 40));
            git = new GitCli(work.resolve("floor-home"));
        }

        @AfterAll
        void stop() throws Exception {
            if (server != null) {
                server.close();
            }
        }

        @Test
        void aPushIsRefusedWithAReasonGitPrintsAndNothingIsWritten() throws Exception {
            WorkRepository src = WorkRepository.init(git, work.resolve("floor-src"));
            src.commitSmall();
            String url = server.url() + "full.git";
            GitCli.Result r = git.run(src.dir, "push", url, "main");
            assertNotEquals(0, r.exitCode(), r.stderr());
            assertTrue(r.stderr().contains("remote: the server's disk is nearly full"), r.stderr());
            assertTrue(r.stderr().contains("507"), r.stderr());

            HttpResponse<byte[]> post = Http.post(url + "/git-receive-pack", TYPE,
                    push("refs/heads/x", PackBytes.header(0).finish()));
            assertEquals(507, post.statusCode());
            assertTrue(Http.text(post).contains("pushes are refused"), Http.text(post));
            assertFalse(Files.exists(work.resolve("floor/data/full.git")));
            assertNoSpoolFiles(work.resolve("floor/data"));
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

    static void assertNoSpoolFiles(Path dataDir) throws IOException {
        assertEquals(List.of(), spoolFiles(dataDir), "spool files left");
    }

    static List<Path> spoolFiles(Path dataDir) throws IOException {
        Path spool = dataDir.resolve(".spool");
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(spool)) {
            try (DirectoryStream<Path> left = Files.newDirectoryStream(spool)) {
                left.forEach(files::add);
            }
        }
        return files;
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
