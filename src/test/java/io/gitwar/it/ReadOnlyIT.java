package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gitwar.read-only=true: the receive-pack advertisement and POST are 403 with a message; reads work. */
class ReadOnlyIT {

    @TempDir
    Path tmp;

    @Test
    void pushesAreRefusedWith403AndAMessageGitShows() throws Exception {
        try (BootableServer server = BootableServer.start(tmp.resolve("server"), "-Dgitwar.read-only=true")) {
            String url = server.url() + "ro.git";
            HttpResponse<byte[]> adv = Http.get(url + "/info/refs?service=git-receive-pack");
            assertEquals(403, adv.statusCode());
            assertEquals("pushes are disabled: this server is read-only\n", Http.text(adv));
            HttpResponse<byte[]> post = Http.post(url + "/git-receive-pack", "application/x-git-receive-pack-request",
                    Pkt.body().flush().bytes());
            assertEquals(403, post.statusCode());
            assertTrue(Http.text(post).contains("read-only"));

            GitCli git = new GitCli(tmp.resolve("home"));
            Path src = tmp.resolve("src");
            Files.createDirectories(src);
            git.ok(src, "init", "-q", "-b", "main");
            git.ok(src, "commit", "-q", "--allow-empty", "-m", "x");
            GitCli.Result push = git.run(src, "push", url, "main");
            assertNotEquals(0, push.exitCode());
            assertTrue(push.stderr().contains("remote: pushes are disabled: this server is read-only"), push.stderr());
            assertTrue(push.stderr().contains("403"), push.stderr());

            assertEquals(404, Http.get(url + "/info/refs").statusCode()); // reads still answer (nothing to read)
            assertTrue(!Files.exists(tmp.resolve("server/data/ro.git")));
        }
    }
}
