package io.gitwar.service.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push payload, read by JGit from a repository the git CLI made, against what git itself says
 * ({@code git rev-list}, {@code git log}).
 */
class PushPayloadTest {

    @TempDir
    Path dir;

    private static final PushPayload.Repo REPO = new PushPayload.Repo("team/app", "http://h:8080/git/team/app.git", "main");

    @BeforeEach
    void history() throws Exception {
        git("init", "-q", "-b", "main");
        for (int i = 1; i <= 3; i++) {
            commit("commit " + i + "\n\nbody " + i);
        }
    }

    @Test
    void anUpdateListsTheNewCommitsOldestFirstAsGitDoes() throws Exception {
        String before = git("rev-parse", "main~2");
        String after = git("rev-parse", "main");
        JsonObject p = payload(new ReceiveCommand(id(before), id(after), "refs/heads/main",
                ReceiveCommand.Type.UPDATE), List.of(id(before)));
        assertEquals("refs/heads/main", p.getString("ref"));
        assertEquals(before, p.getString("before"));
        assertEquals(after, p.getString("after"));
        assertEquals(false, p.getBoolean("created"));
        assertEquals(false, p.getBoolean("deleted"));
        assertEquals(false, p.getBoolean("forced"));
        assertEquals(List.of(git("rev-list", "--reverse", before + ".." + after).split("\n")), ids(p));
        assertEquals(2, p.getInt("total_commits"));
        JsonObject head = p.getJsonObject("head_commit");
        assertEquals(after, head.getString("id"));
        assertEquals(git("rev-parse", "main^{tree}"), head.getString("tree_id"));
        assertEquals(git("log", "-1", "--format=%B", "main").strip(), head.getString("message").strip());
        assertEquals("2026-11-30T10:00:03+02:00", head.getString("timestamp"));
        assertEquals("Ada Author", head.getJsonObject("author").getString("name"));
        assertEquals("ada@example.com", head.getJsonObject("author").getString("email"));
        assertEquals("Carl Committer", head.getJsonObject("committer").getString("name"));
        assertEquals(true, head.getBoolean("distinct"));
        JsonObject repo = p.getJsonObject("repository");
        assertEquals("app", repo.getString("name"));
        assertEquals("team/app", repo.getString("full_name"));
        assertEquals("http://h:8080/git/team/app.git", repo.getString("clone_url"));
        assertEquals("main", repo.getString("default_branch"));
        assertEquals("192.0.2.1", p.getJsonObject("pusher").getString("name"));
    }

    @Test
    void aNewBranchListsOnlyWhatNoOtherRefHad() throws Exception {
        String main = git("rev-parse", "main");
        git("checkout", "-q", "-b", "topic");
        commit("topic work");
        String topic = git("rev-parse", "topic");
        JsonObject p = payload(new ReceiveCommand(ObjectId.zeroId(), id(topic), "refs/heads/topic",
                ReceiveCommand.Type.CREATE), List.of(id(main)));
        assertEquals(true, p.getBoolean("created"));
        assertEquals(ObjectId.zeroId().name(), p.getString("before"));
        assertEquals(List.of(topic), ids(p));
        assertEquals(topic, p.getJsonObject("head_commit").getString("id"));
    }

    @Test
    void aDeletionHasNoCommitsAndNoHead() throws Exception {
        String main = git("rev-parse", "main");
        JsonObject p = payload(new ReceiveCommand(id(main), ObjectId.zeroId(), "refs/heads/gone",
                ReceiveCommand.Type.DELETE), List.of(id(main)));
        assertEquals(true, p.getBoolean("deleted"));
        assertEquals(List.of(), ids(p));
        assertEquals(0, p.getInt("total_commits"));
        assertTrue(p.isNull("head_commit"));
    }

    @Test
    void aForcedUpdateSaysSo() throws Exception {
        String old = git("rev-parse", "main");
        git("reset", "-q", "--hard", "main~1");
        commit("rewritten");
        String rewritten = git("rev-parse", "main");
        JsonObject p = payload(new ReceiveCommand(id(old), id(rewritten), "refs/heads/main",
                ReceiveCommand.Type.UPDATE_NONFASTFORWARD), List.of(id(old)));
        assertEquals(true, p.getBoolean("forced"));
        assertEquals(List.of(rewritten), ids(p));
    }

    @Test
    void commitsAreCappedAtTheNewestTwentyWithTheirTotal() throws Exception {
        String before = git("rev-parse", "main");
        for (int i = 0; i < 25; i++) {
            commit("more " + i);
        }
        String after = git("rev-parse", "main");
        JsonObject p = payload(new ReceiveCommand(id(before), id(after), "refs/heads/main",
                ReceiveCommand.Type.UPDATE), List.of(id(before)));
        assertEquals(25, p.getInt("total_commits"));
        List<String> all = List.of(git("rev-list", "--reverse", before + ".." + after).split("\n"));
        assertEquals(all.subList(5, 25), ids(p));
    }

    @Test
    void longMessagesAreCut() throws Exception {
        String before = git("rev-parse", "main");
        commit("x".repeat(PushPayload.MAX_MESSAGE + 100));
        JsonObject p = payload(new ReceiveCommand(id(before), id(git("rev-parse", "main")), "refs/heads/main",
                ReceiveCommand.Type.UPDATE), List.of(id(before)));
        assertEquals(PushPayload.MAX_MESSAGE, p.getJsonObject("head_commit").getString("message").length());
    }

    private JsonObject payload(ReceiveCommand command, Collection<ObjectId> before) throws IOException {
        try (Repository r = new FileRepositoryBuilder().setGitDir(dir.resolve(".git").toFile()).build()) {
            String json = PushPayload.of(r, REPO, command, before, "192.0.2.1");
            return Json.createReader(new StringReader(json)).readObject();
        }
    }

    private static List<String> ids(JsonObject p) {
        return p.getJsonArray("commits").stream().map(c -> ((JsonObject) c).getJsonString("id"))
                .map(JsonString::getString).toList();
    }

    private static ObjectId id(String hex) {
        return ObjectId.fromString(hex);
    }

    private int seconds;

    private void commit(String message) throws Exception {
        seconds++;
        git("commit", "-q", "--allow-empty", "-m", message, "--date", "2026-11-30T10:00:0" + Math.min(9, seconds) + "+02:00");
    }

    private String git(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("GIT_AUTHOR_NAME", "Ada Author");
        env.put("GIT_AUTHOR_EMAIL", "ada@example.com");
        env.put("GIT_COMMITTER_NAME", "Carl Committer");
        env.put("GIT_COMMITTER_EMAIL", "carl@example.com");
        env.put("GIT_COMMITTER_DATE", "2026-11-30T10:00:0" + Math.min(9, seconds) + "+02:00");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("HOME", dir.resolve("home").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException("git " + String.join(" ", args) + ": " + out);
        }
        return out;
    }
}
