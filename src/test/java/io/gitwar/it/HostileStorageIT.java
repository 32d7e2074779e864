package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What anonymous clients can do to the files under the data directory, tried against the bootable
 * JAR with the real git CLI: names that reach for another repository's files, damaged files that a
 * read must not turn into empty repositories, and a stalled download that grows the WAL.
 */
class HostileStorageIT {

    @TempDir
    Path work;

    GitCli git;

    @BeforeEach
    void git() throws Exception {
        git = new GitCli(work.resolve("home"));
    }

    /**
     * Issue 11 item 1: {@code W.git/repository.sqlite-wal/x} once made a directory where W's WAL
     * lives (W answered 500 after its connections closed) and {@code V.git/repository.sqlite/x} one
     * where V's file must be (V could never be created). Then the old layout, attack included, is
     * moved at startup.
     */
    @Test
    void aNameCannotTakeAnotherRepositorysFilesAndTheOldLayoutIsMoved() throws Exception {
        Path data = work.resolve("data");
        List<String> names = List.of("W", "W.git/repository.sqlite-wal/x", "V.git/repository.sqlite/x", "V");
        WorkRepository src = WorkRepository.init(git, work.resolve("src"));
        String tip = src.commitSmall();
        try (BootableServer server = BootableServer.start(work)) {
            for (String name : names) {
                src.push(server.url() + name + ".git");
            }
        }
        try (BootableServer server = BootableServer.start(work)) { // every connection closed meanwhile
            for (String name : names) {
                assertEquals(tip, mainOf(server.url() + name + ".git"), name + " after a restart");
            }
            tip = src.commitSmall();
            for (String name : names) {
                src.push(server.url() + name + ".git");
            }
        }

        // the layout before: <name>.git/repository.sqlite, with the attack's directories in W's way
        // (V could not exist there beside its squatter: it stays where the new layout put it)
        for (String name : names.subList(0, 3)) {
            Path old = Files.createDirectories(data.resolve(name + ".git")).resolve("repository.sqlite");
            Files.move(Deployments.repositoryFile(data, name), old);
        }
        try (BootableServer server = BootableServer.start(work)) {
            for (String name : names) {
                assertEquals(tip, mainOf(server.url() + name + ".git"), name + " after the move");
            }
            for (String name : names.subList(0, 3)) {
                assertTrue(server.log().contains("repository " + name + " moved to the new layout"), server.log());
            }
            src.commitSmall();
            src.push(server.url() + "W.git");
        }
        assertTrue(!Files.exists(data.resolve("W.git")) && !Files.exists(data.resolve("V.git")), "old directories removed");
    }

    /**
     * Issue 11 item 13: a file that is not a gitwar repository (truncated to 0 bytes, another
     * application's SQLite file, not SQLite at all) is reported, never initialised: not by a read,
     * not by a push. Answered 500 with one line, logged once.
     */
    @Test
    void aDamagedFileIsReportedAndNeverRewritten() throws Exception {
        Path data = work.resolve("data");
        Path empty = Deployments.repositoryFile(data, "empty");
        Path foreign = Deployments.repositoryFile(data, "foreign");
        Path garbage = Deployments.repositoryFile(data, "garbage");
        for (Path file : List.of(empty, foreign, garbage)) {
            Files.createDirectories(file.getParent());
        }
        Files.createFile(empty);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + foreign); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (text TEXT)");
            s.execute("INSERT INTO notes VALUES ('not a repository')");
        }
        Files.write(garbage, "this is not SQLite at all, just text in the repository's place\n".repeat(100)
                .getBytes(StandardCharsets.US_ASCII));
        WorkRepository src = WorkRepository.init(git, work.resolve("src"));
        src.commitSmall();
        try (BootableServer server = BootableServer.start(work)) {
            for (Path file : List.of(empty, foreign, garbage)) {
                String name = data.relativize(file).getName(0).toString().replaceAll("\\.git(\\.sqlite)?$", "");
                byte[] before = Files.readAllBytes(file);
                for (String path : List.of("info/refs", "HEAD", "info/refs?service=git-upload-pack",
                        "objects/info/packs", "info/refs?service=git-receive-pack")) {
                    HttpResponse<byte[]> r = Http.get(server.url() + name + ".git/" + path);
                    assertEquals(500, r.statusCode(), name + " " + path);
                    assertEquals("repository " + name + " is damaged and cannot be served; the server's administrator"
                            + " can see why in its log\n", Http.text(r), name + " " + path);
                }
                GitCli.Result push = git.run(src.dir, "push", server.url() + name + ".git", "main");
                assertNotEquals(0, push.exitCode());
                assertTrue(push.stderr().contains("is damaged"), push.stderr());
                assertArrayEquals(before, Files.readAllBytes(file), name + " is left as it was");
                assertTrue(!Files.exists(Path.of(file + "-wal")), name + " got no WAL");
                String log = server.log();
                assertEquals(1, count(log, "repository " + name + " is damaged and is not served"), log);
            }
        }
    }

    /**
     * Issue 11 item 14: a dumb pack download whose client stops reading holds its read transaction
     * open, so pushes meanwhile grow the WAL; once it is gone, the next push gives the space back
     * (down to 16 MiB, SQLite's journal_size_limit as gitwar sets it).
     */
    @Test
    void theWalShrinksAfterAStalledDownloadEnds() throws Exception {
        long limit = 16L << 20;
        String name = "stall";
        Path wal = Path.of(Deployments.repositoryFile(work.resolve("data"), name) + "-wal");
        WorkRepository src = WorkRepository.init(git, work.resolve("src"));
        src.commitMany(1, 24 << 20, 1);
        try (BootableServer server = BootableServer.start(work, "-Dgitwar.receive.unpack-limit=1",
                "-Dgitwar.idle-release-seconds=3600", "-Dgitwar.repack.auto-pack-limit=0",
                "-Dgitwar.repack.listed-pack-limit=0", "-Dgitwar.repack.auto=0")) {
            String url = server.url() + name + ".git";
            src.push(url);
            Matcher pack = Pattern.compile("P (pack-[0-9a-f]{40}\\.pack)").matcher(Http.text(Http.get(url + "/objects/info/packs")));
            assertTrue(pack.find());
            try (Socket stalled = new Socket()) {
                stalled.setReceiveBufferSize(4096); // before connecting: a small window
                stalled.connect(new java.net.InetSocketAddress("127.0.0.1", BootableServer.HTTP_PORT));
                OutputStream out = stalled.getOutputStream();
                out.write(("GET /git/" + name + ".git/objects/pack/" + pack.group(1) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                readHeaders(stalled.getInputStream()); // and then read nothing more
                for (int i = 0; i < 4; i++) {
                    src.commitMany(1, 8 << 20, 100 + i);
                    src.push(url);
                }
                assertTrue(Files.size(wal) > 2 * limit, "the WAL grew behind the stalled reader: " + Files.size(wal));
            }
            // the server notices the closed connection when its next write fails, then ends the read
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int pushes = 0;
            while (Files.exists(wal) && Files.size(wal) > limit) {
                assertTrue(System.nanoTime() < deadline, "the WAL stayed at " + Files.size(wal) + " bytes after "
                        + pushes + " pushes");
                src.commitSmall();
                src.push(url);
                pushes++;
            }
            assertTrue(src.git.ok(src.dir, "ls-remote", url).contains(src.git.ok(src.dir, "rev-parse", "HEAD")));
        }
    }

    /**
     * Issue 11 item 7: on a case-insensitive file system {@code Case/Repo} and {@code case/repo} are
     * one file. They must be one repository to gitwar too (one write turn, one connection pool on one
     * spelling of the path), or writes through one spelling go unseen through the other, and an
     * acknowledged push can be lost. Run on a real exFAT file system.
     */
    @Test
    void namesThatDifferOnlyInCaseAreOneRepositoryWhereTheFileSystemIgnoresCase() throws Exception {
        try (CaseInsensitiveDisk disk = CaseInsensitiveDisk.mount(work, 512)) {
            WorkRepository src = WorkRepository.init(git, work.resolve("src"));
            List<String> spellings = List.of("Case/Repo", "case/repo", "CASE/REPO", "case/Repo");
            // the 512 MiB disk is below the default free-space floor (1024 MiB), which would refuse every push
            try (BootableServer server = BootableServer.start(disk.path().resolve("data"),
                    java.util.Map.of("gitwar.min-free-disk-mib", "16"))) {
                for (int round = 0; round < 3; round++) {
                    for (String pushed : spellings) {
                        String tip = src.commitSmall();
                        src.push(server.url() + pushed + ".git");
                        for (String read : spellings) {
                            assertEquals(tip, mainOf(server.url() + read + ".git"), "pushed as " + pushed + ", read as " + read);
                        }
                    }
                }
                String tip = src.git.ok(src.dir, "rev-parse", "HEAD");
                git.ok(work, "clone", "-q", server.url() + "cAsE/rEpO.git", work.resolve("clone").toString());
                assertEquals(tip, git.ok(work.resolve("clone"), "rev-parse", "HEAD"));
                assertEquals("12", git.ok(work.resolve("clone"), "rev-list", "--count", "HEAD"));
                git.ok(work.resolve("clone"), "fsck", "--strict");
                assertTrue(server.log().contains("ignores case"), server.log());
            }
        }
    }

    private String mainOf(String url) throws Exception {
        String out = git.ok(work, "ls-remote", url, "refs/heads/main");
        return out.isEmpty() ? null : out.split("\\s+")[0];
    }

    private static void readHeaders(InputStream in) throws Exception {
        StringBuilder headers = new StringBuilder();
        while (!headers.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "connection closed in the headers: " + headers);
            headers.append((char) b);
        }
        assertTrue(headers.toString().startsWith("HTTP/1.1 200"), headers.toString());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
