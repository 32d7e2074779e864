package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without {@code gitwar.admin.token} the repository API does not exist: 404 to everything, nothing changes. */
class ApiDisabledIT {

    @TempDir
    Path tmp;

    @Test
    void everyRequestIs404AndChangesNothing() throws Exception {
        try (BootableServer server = BootableServer.start(tmp.resolve("server"))) {
            GitCli git = new GitCli(tmp.resolve("home"));
            Path work = tmp.resolve("work");
            Files.createDirectories(work);
            git.ok(work, "init", "-q", "-b", "main");
            git.ok(work, "commit", "-q", "--allow-empty", "-m", "one");
            git.ok(work, "push", "-q", server.url() + "kept.git", "main");
            for (String token : new String[] {null, "", "anything"}) {
                Api api = new Api(server.url(), token);
                for (Api.Reply r : List.of(api.get("repos"), api.get("openapi.json"), api.get("repos/kept.git"),
                        api.post("repos", "{\"name\":\"made\"}"), api.patch("repos/kept.git", "{\"read_only\":true}"),
                        api.delete("repos/kept.git"), api.post("repos/kept.git/fork", "{\"name\":\"copy\"}"),
                        api.post("repos/kept.git/repack", null), api.get("repos/kept.git/backup"))) {
                    assertEquals(404, r.status(), r.toString());
                }
            }
            assertFalse(Files.exists(tmp.resolve("server/data/made.git.sqlite")));
            assertFalse(Files.exists(tmp.resolve("server/data/copy.git.sqlite")));
            git.ok(work, "commit", "-q", "--allow-empty", "-m", "two");
            git.ok(work, "push", "-q", server.url() + "kept.git", "main"); // neither deleted nor read-only
        }
    }
}
