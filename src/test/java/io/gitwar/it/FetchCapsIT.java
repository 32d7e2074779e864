package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fairness between repositories: while one repository serves as many fetches as
 * {@code gitwar.max-concurrent-fetches-per-repository} allows (fetches whose client reads nothing, so
 * they stay in progress), one more fetch of it is refused with 429 and {@code Retry-After}, git shows
 * why, another repository is served, and the refusals are counted; once the fetches end, it is served again.
 */
class FetchCapsIT {

    private static final int PER_REPOSITORY = 2;
    private static final String UPLOAD_REQUEST = "application/x-git-upload-pack-request";

    @TempDir
    Path tmp;

    @Test
    void aRepositoryAtItsCapRefusesTheNextFetchWhileAnotherIsServed() throws Exception {
        try (BootableServer server = BootableServer.start(tmp.resolve("server"), "-Dgitwar.max-concurrent-fetches=3",
                "-Dgitwar.max-concurrent-fetches-per-repository=" + PER_REPOSITORY)) {
            GitCli git = new GitCli(tmp.resolve("home"));
            WorkRepository hot = WorkRepository.init(git, tmp.resolve("hot"));
            String tip = hot.commitMany(120, 8 << 20, 1); // a pack of 8 MiB: more than socket buffers hold
            hot.push(server.url() + "hot.git");
            WorkRepository cold = WorkRepository.init(git, tmp.resolve("cold"));
            cold.commitMany(3, 1000, 2);
            cold.push(server.url() + "cold.git");
            byte[] fetch = Pkt.body().line("want " + tip + " side-band-64k ofs-delta\n").flush().line("done\n").bytes();

            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < PER_REPOSITORY; i++) {
                    held.add(stalledFetch(fetch));
                }
                assertEquals(PER_REPOSITORY, metric(server, "gitwar_fetches_in_progress"));

                HttpResponse<byte[]> refused = Http.post(server.url() + "hot.git/git-upload-pack", UPLOAD_REQUEST, fetch);
                assertEquals(429, refused.statusCode());
                assertEquals("5", refused.headers().firstValue("Retry-After").orElse(null));
                assertEquals("too many fetches of hot in progress (at most 2 at once); try again\n", Http.text(refused));

                // git shows the advertisement's refusal (not a POST's)
                GitCli.Result clone = git.run(tmp, "clone", server.url() + "hot.git", "refused");
                assertNotEquals(0, clone.exitCode());
                assertTrue(clone.stderr().contains("remote: too many fetches of hot in progress (at most 2 at once)"),
                        clone.stderr());
                assertTrue(clone.stderr().contains("429"), clone.stderr());

                git.ok(tmp, "clone", "-q", server.url() + "cold.git", "cold-clone"); // another repository
                assertEquals(2, metric(server, "gitwar_fetches_refused_total{reason=\"repository_cap\"}"));
                assertEquals(0, metric(server, "gitwar_fetches_refused_total{reason=\"server_cap\"}"));
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            // the abandoned fetches end when their next write fails
            Await.until(Duration.ofSeconds(60), "the abandoned fetches to end",
                    () -> metric(server, "gitwar_fetches_in_progress") == 0);
            git.ok(tmp, "clone", "-q", server.url() + "hot.git", "hot-clone");
            assertEquals(tip, git.ok(tmp.resolve("hot-clone"), "rev-parse", "HEAD"));
        }
    }

    /** A v0 fetch of the big pack whose client reads the status line and nothing more: it stays in progress. */
    private static Socket stalledFetch(byte[] body) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", BootableServer.HTTP_PORT));
        s.setSoTimeout(60_000);
        s.getOutputStream().write(("POST /git/hot.git/git-upload-pack HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                + UPLOAD_REQUEST + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(body);
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        StringBuilder status = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            status.append((char) c);
        }
        assertTrue(status.toString().startsWith("HTTP/1.1 200"), status.toString());
        return s;
    }

    /** One sample of gitwar's metrics, read from {@code /git/-/metrics}. */
    private static double metric(BootableServer server, String series) throws Exception {
        String text = Http.text(Http.get(server.url() + "-/metrics"));
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), series + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
