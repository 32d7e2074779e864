package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hostile and broken fetch requests (issue 11, items 3, 5 and 12) against a bootable JAR at
 * {@code -Xmx256m} with small fetch bounds ({@code gitwar.fetch.max-wants=4},
 * {@code gitwar.fetch.max-haves=16}): the server stays up and keeps its heap, every refusal is a
 * reason git prints (or a 400), logged as one line without a stack trace, and git's own fetches
 * still work.
 */
class HostileFetchIT {

    private static final String REQUEST = "application/x-git-upload-pack-request";
    private static final String NAME = "hostile";

    @TempDir
    static Path work;

    static BootableServer server;
    static GitCli git;
    static Path src;
    static String main;

    @BeforeAll
    static void start() throws Exception {
        server = BootableServer.start(work, "-Xmx256m", "-XX:+UseSerialGC", "-Dgitwar.fetch.max-wants=4",
                "-Dgitwar.fetch.max-haves=16");
        git = new GitCli(work.resolve("home"));
        src = Files.createDirectories(work.resolve("src"));
        git.ok(src, "init", "-q", "-b", "main");
        for (int i = 0; i < 3; i++) {
            commit(src, "main " + i);
        }
        main = git.ok(src, "rev-parse", "HEAD");
        for (int b = 1; b <= 4; b++) { // five branches at five commits: a clone of all wants five
            git.ok(src, "checkout", "-q", "-b", "b" + b, "main");
            commit(src, "branch " + b);
        }
        git.ok(src, "checkout", "-q", "main");
        git.ok(src, "push", "-q", url(), "--all");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String url() {
        return server.url() + NAME + ".git";
    }

    private static void commit(Path dir, String message) throws Exception {
        Files.writeString(dir.resolve("file.txt"), message + "\n");
        git.ok(dir, "add", "-A");
        git.ok(dir, "commit", "-q", "-m", message);
    }

    /**
     * 1.7 MiB of gzip on the wire that decodes to 12 million haves: JGit used to keep them all and
     * ran out of heap (500). Now the request is refused at the 17th have, the rest drained as it
     * came (not inflated), and the server serves the next clone.
     */
    @Test
    void aGzipBombOfHavesIsRefusedAndTheServerStaysUp() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz, 1 << 16)) {
            out.write(Pkt.body().line("want " + main + " multi_ack_detailed side-band-64k ofs-delta\n").flush().bytes());
            byte[] have = Pkt.body().line("have " + "1".repeat(40) + "\n").bytes();
            byte[] block = new byte[have.length * 10_000];
            for (int i = 0; i < 10_000; i++) {
                System.arraycopy(have, 0, block, i * have.length, have.length);
            }
            for (int i = 0; i < 1_200; i++) {
                out.write(block);
            }
            out.write(Pkt.body().line("done\n").bytes());
        }
        int logged = server.log().length();
        HttpResponse<byte[]> r = Http.post(url() + "/git-upload-pack", REQUEST, gz.toByteArray(),
                "Content-Encoding", "gzip");
        assertEquals(200, r.statusCode(), Http.text(r));
        assertEquals(errLine("more than 16 haves in one request, the limit of this server"), Http.text(r));
        assertOneLineWithoutStack(logged, "refused: more than 16 haves");
        assertFalse(server.log().contains("OutOfMemoryError"), "no OutOfMemoryError in the log");
        cloneWorks();
    }

    /** A v2 fetch of 320 000 haves, 16 MiB decoded, used to cost JGit about 80 MiB of heap. */
    @Test
    void aLargeV2RequestIsRefusedBeforeJGitSeesIt() throws Exception {
        Pkt body = Pkt.body().line("command=fetch\n").raw("0001").line("want " + main + "\n");
        for (int i = 0; i < 320_000; i++) {
            body.line("have " + "2".repeat(40) + "\n");
        }
        HttpResponse<byte[]> r = Http.post(url() + "/git-upload-pack", REQUEST, body.line("done\n").flush().bytes(),
                "Git-Protocol", "version=2");
        assertEquals(200, r.statusCode());
        assertEquals(errLine("more than 16 haves in one request, the limit of this server"), Http.text(r));
    }

    /** The client's mistakes, in v0 and v2: an ERR line with the reason, one INFO line in the log. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "deepen 99999999999  | invalid deepen \"99999999999\": expected a number of commits from 1 to 2147483647",
        "shallow zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz | invalid object id in \"shallow zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\": expected 40 hex digits",
        "deepen-since 99999999999 | invalid deepen-since \"99999999999\": expected seconds since 1970 from 1 to 2147483647",
        "filter blob:limit=lots | invalid filter \"blob:limit=lots\": this server filters by blob:none, blob:limit=<bytes> and tree:<depth>",
    })
    void malformedArgumentsAreTheClientsErrorsInV0AndV2(String argument, String reason) throws Exception {
        byte[] v0 = Pkt.body().line("want " + main + " multi_ack_detailed side-band-64k\n").line(argument + "\n").flush()
                .line("done\n").bytes();
        byte[] v2 = Pkt.body().line("command=fetch\n").raw("0001").line("want " + main + "\n").line(argument + "\n")
                .line("done\n").flush().bytes();
        for (byte[] body : List.of(v0, v2)) {
            int logged = server.log().length();
            HttpResponse<byte[]> r = body == v2
                    ? Http.post(url() + "/git-upload-pack", REQUEST, body, "Git-Protocol", "version=2")
                    : Http.post(url() + "/git-upload-pack", REQUEST, body);
            assertEquals(200, r.statusCode());
            assertEquals(errLine(reason), Http.text(r));
            assertOneLineWithoutStack(logged, "refused: " + reason);
        }
    }

    /** Content-Encoding: gzip on a plain body: 400 with the reason, one line in the log. */
    @Test
    void aGzipBodyThatIsNotGzipIsABadRequest() throws Exception {
        byte[] plain = Pkt.body().line("want " + main + " side-band-64k\n").flush().line("done\n").bytes();
        int logged = server.log().length();
        HttpResponse<byte[]> r = Http.post(url() + "/git-upload-pack", REQUEST, plain, "Content-Encoding", "gzip");
        assertEquals(400, r.statusCode(), Http.text(r));
        assertTrue(Http.text(r).startsWith("the body is not valid gzip (Content-Encoding: gzip)"), Http.text(r));
        assertOneLineWithoutStack(logged, "400 the body is not valid gzip");
    }

    /** git prints the reason of a refused clone, in protocol v2 and v0. */
    @ParameterizedTest
    @CsvSource({"2", "0"})
    void gitPrintsWhyACloneOfTooManyWantsWasRefused(String version) throws Exception {
        Path clone = work.resolve("wants-v" + version);
        GitCli.Result r = git.run(work, "-c", "protocol.version=" + version, "clone", "-q", "--bare", url(),
                clone.toString());
        assertNotEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("remote error: more than 4 wants in one request, the limit of this server"),
                r.stderr());
    }

    /**
     * A fetch from a clone with 60 commits the server does not have: git offers them as haves in
     * rounds of 16, 32, ... and the second round is over the bound; git prints why.
     */
    @ParameterizedTest
    @CsvSource({"2", "0"})
    void gitPrintsWhyAFetchOfTooManyHavesWasRefused(String version) throws Exception {
        Path clone = work.resolve("haves-v" + version);
        git.ok(work, "clone", "-q", "--single-branch", "-b", "main", url(), clone.toString());
        for (int i = 0; i < 60; i++) {
            git.ok(clone, "commit", "-q", "--allow-empty", "-m", "local " + i);
        }
        GitCli.Result r = git.run(clone, "-c", "protocol.version=" + version, "fetch", "-q", "origin",
                "refs/heads/b1:refs/remotes/origin/b1");
        assertNotEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("remote error: more than 16 haves in one request, the limit of this server"),
                r.stderr());
    }

    /**
     * The request is read before the repository (item 5): fetches whose bodies have not arrived
     * hold no connection to the repository's file. Each client waits for "100 Continue", which the
     * container sends when gitwar first reads the body; gitwar used to take the request's read
     * connection before that, so eight slow clients held eight connections (SQLite keeps at most four
     * idle ones per repository, and the writer one).
     */
    @Test
    void slowFetchesHoldNoConnectionUntilTheirRequestIsIn() throws Exception {
        byte[] body = Pkt.body().line("want " + main + " multi_ack_detailed side-band-64k ofs-delta no-progress\n")
                .flush().line("done\n").bytes();
        Path file = Deployments.repositoryFile(work.resolve("data"), NAME);
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket("127.0.0.1", BootableServer.HTTP_PORT);
                slow.add(s);
                s.setSoTimeout(60_000);
                s.getOutputStream().write(("POST /git/" + NAME + ".git/git-upload-pack HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: " + REQUEST + "\r\nContent-Length: " + body.length + "\r\n"
                        + "Expect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                String interim = readHead(s.getInputStream());
                assertTrue(interim.startsWith("HTTP/1.1 100"), interim);
            }
            long held = server.openDescriptors(file);
            assertTrue(held <= 5, held + " descriptors of " + file + " held by 8 fetches whose requests are not in");
            for (Socket s : slow) {
                s.getOutputStream().write(body);
                s.getOutputStream().flush();
            }
            for (Socket s : slow) {
                String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(response.startsWith("HTTP/1.1 200") && response.contains("PACK"),
                        response.substring(0, Math.min(300, response.length())));
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    /** git's shallow, deepen and partial fetches, v2 and v0, pass the checks. */
    @ParameterizedTest
    @CsvSource({"2", "0"})
    void gitsOwnShallowAndPartialFetchesStillWork(String version) throws Exception {
        Path shallow = work.resolve("shallow-v" + version);
        GitCli v = git.with("GIT_CONFIG_COUNT", "1").with("GIT_CONFIG_KEY_0", "protocol.version")
                .with("GIT_CONFIG_VALUE_0", version);
        v.ok(work, "clone", "-q", "--depth", "1", "--single-branch", "-b", "b1", "--filter=blob:none", url(),
                shallow.toString());
        v.ok(shallow, "fetch", "-q", "--deepen", "1");
        assertEquals("2", v.ok(shallow, "rev-list", "--count", "HEAD"));
        v.ok(shallow, "fetch", "-q", "--unshallow");
        assertEquals("false", v.ok(shallow, "rev-parse", "--is-shallow-repository"));
        assertEquals("4", v.ok(shallow, "rev-list", "--count", "HEAD"));
        v.ok(shallow, "log", "-p", "-q"); // the lazy fetches of the partial clone
        Path since = work.resolve("since-v" + version);
        v.ok(work, "clone", "-q", "--shallow-since", "2000-01-01", "--single-branch", "-b", "b1", url(), since.toString());
        assertEquals("4", v.ok(since, "rev-list", "--count", "HEAD"));
        Path exclude = work.resolve("exclude-v" + version);
        v.ok(work, "clone", "-q", "--shallow-exclude", "main", "--single-branch", "-b", "b1", url(), exclude.toString());
        assertEquals("1", v.ok(exclude, "rev-list", "--count", "HEAD"));
    }

    private static void cloneWorks() throws Exception {
        Path clone = Files.createTempDirectory(work, "clone");
        git.ok(work, "clone", "-q", "--single-branch", "-b", "main", url(), clone.resolve("c").toString());
        assertEquals(main, git.ok(clone.resolve("c"), "rev-parse", "HEAD"));
    }

    /** {@code ERR <message>} as a pkt-line. */
    private static String errLine(String message) {
        String payload = "ERR " + message + "\n";
        return String.format("%04x", payload.length() + 4) + payload;
    }

    /** The log since {@code offset} gets exactly one line with {@code text}, and no stack trace. */
    private static void assertOneLineWithoutStack(int offset, String text) throws Exception {
        Await.until(Duration.ofSeconds(30), "the log line " + text, () -> server.log().substring(offset).contains(text));
        String added = server.log().substring(offset);
        assertEquals(1, added.lines().filter(l -> l.contains(text)).count(), added);
        assertFalse(added.lines().anyMatch(l -> l.startsWith("\tat ") || l.contains("Exception")), added);
    }

    /** Reads a response head (up to the empty line). */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
