package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Invalid names and unknown paths get 400/404/405 and create nothing in the data directory. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BadPathsIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.gitwar();
    }

    @ArquillianResource
    URL base;

    @TempDir
    Path tmp;

    @Test
    void invalidNamesAreBadRequests() throws Exception {
        List<String> before = dataFiles();
        for (String path : new String[] {
            ".hidden.git/info/refs", "a//b.git/info/refs",
            "a%00b.git/info/refs", "a%5cb.git/info/refs", "a:b.git/HEAD", "x".repeat(201) + "/HEAD",
            "team/.git/info/refs"}) {
            HttpResponse<byte[]> r = Http.get(base + path);
            assertEquals(400, r.statusCode(), path + ": " + Http.text(r));
            if (TestedServer.isPayara() && (path.contains("%00") || path.contains("%5c"))) {
                // Payara's Grizzly refuses escaped NUL and backslash itself ("400 Invalid URI", no
                // body) before any filter runs: the 400 is all there is to check
                continue;
            }
            assertTrue(Http.text(r).contains("repository name"), path + ": " + Http.text(r));
        }
        HttpResponse<byte[]> push = Http.post(base + ".bad.git/git-receive-pack",
                "application/x-git-receive-pack-request", "0000".getBytes());
        assertEquals(400, push.statusCode());
        assertEquals(before, dataFiles());
    }

    @Test
    void traversalNeverLeavesTheDataDirectory() throws Exception {
        List<String> before = dataFiles();
        // Undertow resolves some of these before gitwar sees them (then they are outside /git: 404)
        for (String path : new String[] {"../etc/info/refs", "a/../../b.git/HEAD", "..%2f..%2fetc/HEAD",
            "%2e%2e/x.git/info/refs", "a/%2e%2e/b.git/HEAD", "a/%2E%2E/%2E%2E/b.git/HEAD",
            "%2fetc/passwd.git/HEAD", "a\\..\\b.git/HEAD"}) {
            HttpResponse<byte[]> r = Http.get(base + path.replace("\\", "%5c"));
            assertTrue(r.statusCode() == 400 || r.statusCode() == 404, path + " -> " + r.statusCode());
        }
        assertEquals(before, dataFiles());
    }

    @Test
    void missingRepositoriesAndUnknownPathsAreNotFound() throws Exception {
        List<String> before = dataFiles();
        for (String path : new String[] {"missing.git/info/refs", "missing.git/HEAD", "missing/objects/info/packs",
            "missing.git/objects/info/alternates", "some.git/unknown", "some.git/config", "", "some.git/"}) {
            assertEquals(404, Http.get(base + path).statusCode(), path);
        }
        assertEquals(404, Http.head(base + "missing.git/HEAD").statusCode());
        HttpResponse<byte[]> wrong = Http.post(base + "some.git/info/refs", "text/plain", new byte[0]);
        assertEquals(405, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("Allow").orElse("").contains("GET"));
        assertEquals(405, Http.get(base + "some.git/git-receive-pack").statusCode());
        assertEquals(before, dataFiles());
    }

    @Test
    void gitCannotPushToAnInvalidName() throws Exception {
        GitCli git = new GitCli(tmp.resolve("home"));
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        git.ok(src, "init", "-q");
        git.ok(src, "commit", "-q", "--allow-empty", "-m", "x");
        List<String> before = dataFiles();
        GitCli.Result r = git.run(src, "push", base + ".invalid.git", "main");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("400"), r.stderr());
        assertEquals(before, dataFiles());
    }

    private static List<String> dataFiles() throws IOException {
        Path data = Deployments.dataDir();
        if (!Files.exists(data)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(data)) {
            return s.map(p -> data.relativize(p).toString()).filter(p -> !p.startsWith(".spool"))
                    // WAL companions come and go as other repositories open and close
                    .filter(p -> !p.endsWith("-wal") && !p.endsWith("-shm")).sorted().toList();
        }
    }
}
