package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and greedy clients cannot hold the server's workers: a body that trickles is cut off, a
 * response nobody reads is abandoned, a request that takes too long ends, and one client address
 * holds at most its share of requests while another address is still served. On a bootable JAR with
 * the bounds set low, so that each takes seconds.
 */
class SlowClientsIT {

    private static final int SHARE = 3;

    @TempDir
    static Path work;

    static BootableServer server;
    static String packPath;

    @BeforeAll
    static void start() throws Exception {
        server = BootableServer.start(work, "-Dgitwar.request-min-bytes-per-second=1000",
                "-Dgitwar.request-body-grace-seconds=2", "-Dgitwar.response-write-timeout-seconds=5",
                "-Dgitwar.max-request-seconds=20", "-Dgitwar.max-requests-per-client=" + SHARE);
        // a repository with a listed pack of several MiB: more than socket buffers hold
        GitCli git = new GitCli(work.resolve("home"));
        WorkRepository repo = WorkRepository.init(git, work.resolve("src"));
        repo.commitMany(120, 8 << 20, 1);
        repo.push(server.url() + "slow.git");
        String packs = Http.text(Http.get(server.url() + "slow.git/objects/info/packs"));
        packPath = "/git/slow.git/objects/pack/" + packs.lines().findFirst().orElseThrow().substring(2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBodyThatTricklesIsCutOffOnceItsGracePeriodIsOver() throws Exception {
        try (Socket s = connect(InetAddress.getLoopbackAddress())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /git/trickle.git/git-receive-pack HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/x-git-receive-pack-request\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            String response = null;
            // ten bytes a second, always within the read timeout (60 s): only the minimum rate stops it
            while (response == null && System.nanoTime() - started < 30_000_000_000L) {
                try {
                    out.write("0000000000".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException answeredAndClosed) {
                    // the server answered and closed: read what it said
                }
                response = responseWithin(s, 1000);
            }
            assertTrue(response != null && response.startsWith("HTTP/1.1 408"), String.valueOf(response));
            assertTrue(response.contains("slower than 1000 bytes/s"), response);
        }
    }

    @Test
    void aResponseNobodyReadsIsAbandonedAndItsPlaceFreed() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < SHARE; i++) {
                stalled.add(stalledDownload(InetAddress.getLoopbackAddress()));
            }
            // the address holds its whole share: one more request is refused, with a hint when to retry
            String refused = request(InetAddress.getLoopbackAddress(), "GET /git/slow.git/HEAD");
            assertTrue(refused.startsWith("HTTP/1.1 429"), refused);
            assertTrue(refused.contains("Retry-After: 5"), refused);
            // another address is served meanwhile
            String other = request(InetAddress.getByName("127.0.0.2"), "GET /git/slow.git/HEAD");
            assertTrue(other.startsWith("HTTP/1.1 200"), other);
            // the stalled downloads are abandoned after the write timeout (5 s): the address is served again
            long deadline = System.nanoTime() + 30_000_000_000L;
            String again;
            do {
                again = request(InetAddress.getLoopbackAddress(), "GET /git/slow.git/HEAD");
            } while (!again.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline);
            assertTrue(again.startsWith("HTTP/1.1 200"), again);
            assertTrue(server.log().contains("the client read nothing of the response for 5 s"), "logged");
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    /** Opens a download of the big pack and reads nothing but a few bytes of it. */
    private static Socket stalledDownload(InetAddress from) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.bind(new java.net.InetSocketAddress(from, 0));
        s.connect(new java.net.InetSocketAddress("127.0.0.1", BootableServer.HTTP_PORT));
        s.getOutputStream().write(("GET " + packPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        s.setSoTimeout(30_000);
        assertTrue(s.getInputStream().read() >= 0, "the download began");
        return s;
    }

    private static Socket connect(InetAddress from) throws IOException {
        Socket s = new Socket();
        s.bind(new java.net.InetSocketAddress(from, 0));
        s.connect(new java.net.InetSocketAddress("127.0.0.1", BootableServer.HTTP_PORT));
        return s;
    }

    /** One request on its own connection; the status line and headers of the answer. */
    private static String request(InetAddress from, String requestLine) throws IOException {
        try (Socket s = connect(from)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** What the server answered so far, waiting at most {@code millis} for the first byte; null if nothing. */
    private static String responseWithin(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        InputStream in = s.getInputStream();
        int first;
        try {
            first = in.read();
            if (first < 0) {
                return "";
            }
        } catch (SocketTimeoutException nothingYet) {
            return null;
        }
        // the rest of the answer: its headers, then Content-Length bytes (not up to the close: Payara's
        // Grizzly keeps the connection open, without a thread, while it discards the rest of the body)
        s.setSoTimeout(30_000);
        StringBuilder answer = new StringBuilder().append((char) first);
        while (answer.indexOf("\r\n\r\n") < 0) {
            int c = in.read();
            if (c < 0) {
                return answer.toString();
            }
            answer.append((char) c);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(answer);
        if (length.find()) {
            answer.append(new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.ISO_8859_1));
        }
        return answer.toString();
    }
}
