package io.gitwar.it;

import static io.gitwar.it.Node.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with the other settings, as an operator would run it: the bootable JAR with
 * {@code gitwar.read-protocol=dumb} and CORS restricted to one origin that is not the test page's.
 * Dumb reads: git falls back to the dumb protocol, isomorphic-git reports that the server is not
 * smart, pushes work as always. Restricted CORS: the page's origin is refused, the allowed one is not.
 */
class ClientServerIT {

    private static final String ALLOWED_ORIGIN = "https://allowed.example";
    private static final String PAGE_ORIGIN = "http://127.0.0.1:" + IsomorphicGitBrowserIT.PAGE_PORT;

    private static BootableServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        Path data = Deployments.dataDir().resolveSibling("variant-" + Deployments.repo("x").replaceAll("\\W", ""));
        server = BootableServer.start(data, Map.of(
                "gitwar.read-protocol", "dumb",
                "gitwar.cors.allowed-origins", ALLOWED_ORIGIN,
                "gitwar.cors.allowed-headers", "x-request-id"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private String pushedSample(GitCli git, String name) throws Exception {
        Path src = SampleRepository.create(git, tmp.resolve("src"));
        String url = server.url() + Deployments.repo(name) + ".git";
        git.ok(src, "push", "-q", "--mirror", url); // push is unaffected by the read mode
        return url;
    }

    @Test
    void dumbModeServesGitTheDumbWayAndRefusesSmartFetches() throws Exception {
        GitCli git = new GitCli(tmp.resolve("home"));
        String url = pushedSample(git, "dumb-mode");

        HttpResponse<byte[]> adv = Http.get(url + "/info/refs?service=git-upload-pack", "Git-Protocol", "version=2");
        assertEquals(200, adv.statusCode());
        assertTrue(adv.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), "the dumb listing");
        assertEquals(Http.text(Http.get(url + "/info/refs")), Http.text(adv));
        HttpResponse<byte[]> rpc = Http.post(url + "/git-upload-pack", "application/x-git-upload-pack-request",
                Pkt.body().flush().bytes());
        assertEquals(403, rpc.statusCode());
        assertTrue(Http.text(rpc).contains("gitwar.read-protocol=dumb"), Http.text(rpc));

        // git: the advertisement is not smart, so it fetches the dumb way (no GIT_SMART_HTTP=0 needed)
        Path clone = tmp.resolve("clone");
        Path trace = tmp.resolve("trace");
        git.with("GIT_TRACE_CURL", trace.toString()).ok(tmp, "clone", url, clone.toString());
        // the dumb way: HEAD, then objects (loose ones for a push this small, else via objects/info/packs)
        assertTrue(Files.readString(trace).contains(".git/HEAD"), "dumb requests");
        assertTrue(Files.readString(trace).contains(".git/objects/"), "dumb requests");
        assertFalse(Files.readString(trace).contains("POST"), "no smart exchange");
        git.run(clone, "fsck", "--full", "--strict").ok();
        assertEquals(git.ok(tmp.resolve("src"), "rev-parse", "main"), git.ok(clone, "rev-parse", "HEAD"));

        // isomorphic-git speaks only smart HTTP: its own clear error
        Node.Result iso = Node.run(tmp, "iso-node.mjs", "clone", json("url", url, "dir", tmp.resolve("iso")));
        assertEquals(1, iso.exitCode(), iso.stdout());
        assertTrue(iso.get("error").startsWith("SmartHttpError"), iso.stdout());
    }

    @Test
    void restrictedCorsAnswersOnlyTheAllowedOrigin() throws Exception {
        GitCli git = new GitCli(tmp.resolve("home"));
        String url = pushedSample(git, "cors-restricted");
        String advertisement = url + "/info/refs?service=git-receive-pack";

        HttpResponse<byte[]> allowed = Http.method("OPTIONS", url + "/git-receive-pack", "Origin", ALLOWED_ORIGIN,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type");
        assertEquals(204, allowed.statusCode());
        assertEquals(ALLOWED_ORIGIN, allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(allowed.headers().firstValue("Access-Control-Allow-Headers").orElse("").endsWith(", x-request-id"));
        assertEquals("Origin", allowed.headers().firstValue("Vary").orElse(null));
        HttpResponse<byte[]> real = Http.get(advertisement, "Origin", ALLOWED_ORIGIN);
        assertEquals(ALLOWED_ORIGIN, real.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

        HttpResponse<byte[]> refused = Http.method("OPTIONS", url + "/git-receive-pack", "Origin", PAGE_ORIGIN,
                "Access-Control-Request-Method", "POST");
        assertEquals(403, refused.statusCode());
        assertTrue(refused.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        HttpResponse<byte[]> unlisted = Http.get(advertisement, "Origin", PAGE_ORIGIN);
        assertEquals(200, unlisted.statusCode()); // served, but without CORS headers the browser hides it
        assertTrue(unlisted.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertTrue(unlisted.headers().firstValue("Access-Control-Expose-Headers").isEmpty());

        // the browser on the test page (not an allowed origin) cannot reach the repository
        Node.Result page = Node.run(tmp, "browser.mjs", json("url", url, "pagePort", IsomorphicGitBrowserIT.PAGE_PORT,
                "branch", "refused", "file", "refused.txt", "content", "never\n")).ok();
        assertEquals("TypeError", page.get("error"), page.stdout()); // fetch() rejects; no HTTP status is visible
        assertTrue(page.get("cors-console").contains("CORS policy"), page.stdout());
        assertFalse(git.ok(tmp, "ls-remote", url).contains("refused"));
    }
}
