package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository API on a bootable JAR with {@code gitwar.admin.token}: the token rule, and create,
 * get, list (with a cursor, while repositories come and go), change (default branch, read-only,
 * name) and delete, each with its errors, checked with the real git CLI.
 */
class ApiIT {

    static final String TOKEN = "it-admin-token-13a";

    @TempDir
    static Path tmp;

    static BootableServer server;
    static Api api;
    static GitCli git;

    @BeforeAll
    static void start() throws Exception {
        server = BootableServer.start(tmp.resolve("server"), "-Dgitwar.admin.token=" + TOKEN);
        api = new Api(server.url(), TOKEN);
        git = new GitCli(tmp.resolve("home"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theApiNeedsTheToken() throws Exception {
        Api.Reply none = api.withToken(null).get("repos");
        assertEquals(401, none.status(), none.toString());
        assertTrue(none.response().headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertTrue(none.json().getString("error").contains("Authorization: Bearer"), none.toString());
        Api.Reply wrong = api.withToken(TOKEN + "x").post("repos", "{\"name\":\"stolen\"}");
        assertEquals(401, wrong.status(), wrong.toString());
        assertEquals(401, api.withToken(TOKEN.substring(1)).get("repos").status());
        assertEquals(404, api.get("repos/stolen.git").status(), "a refused request changed nothing");
        assertEquals(200, api.get("repos").status());
        assertEquals(200, api.get("openapi.json").status());
        // Git's own URLs stay anonymous
        assertEquals(404, Http.get(server.url() + "nothing.git/info/refs?service=git-upload-pack").statusCode());
    }

    @Test
    void createGetAndItsErrors() throws Exception {
        Api.Reply created = api.post("repos", "{\"name\":\"team/app\",\"default_branch\":\"trunk\"}");
        assertEquals(201, created.status(), created.toString());
        assertTrue(created.response().headers().firstValue("Location").orElseThrow()
                .endsWith("/git/-/api/v1/repos/team/app.git"), created.response().headers().toString());
        JsonObject app = created.json();
        assertEquals("team/app", app.getString("name"));
        assertEquals("trunk", app.getString("default_branch"));
        assertEquals(0, app.getInt("refs"));
        assertEquals(JsonValue.NULL, app.get("last_push_at"));
        assertFalse(app.getBoolean("read_only"));

        assertEquals(409, api.post("repos", "{\"name\":\"team/app\"}").status());
        assertEquals(409, api.post("repos", "{\"name\":\"team/app.git\"}").status(), "the same name with .git");
        for (String bad : List.of("{\"name\":\"-/x\"}", "{\"name\":\"../x\"}", "{\"name\":\"a//b\"}", "{}",
                "{\"name\":\"ok\",\"default_branch\":\"a..b\"}", "not json")) {
            Api.Reply r = api.post("repos", bad);
            assertEquals(400, r.status(), bad + " -> " + r);
            assertTrue(r.json().containsKey("error"), r.toString());
        }
        assertEquals(404, api.get("repos/ok.git").status(), "a refused create stored nothing");
        assertEquals(404, api.get("repos/missing.git").status());
        assertEquals(400, api.get("repos/-/x.git").status());

        // the empty repository takes a push; HEAD already names trunk
        Path work = tmp.resolve("app");
        Files.createDirectories(work);
        git.ok(work, "init", "-q", "-b", "trunk");
        git.ok(work, "commit", "-q", "--allow-empty", "-m", "one");
        git.ok(work, "push", "-q", server.url() + "team/app.git", "trunk");
        JsonObject got = api.get("repos/team/app.git").json();
        assertEquals(1, got.getInt("refs"));
        assertEquals(git.ok(work, "rev-parse", "HEAD"), got.getString("head"));
        assertTrue(got.get("last_push_at") instanceof JsonString, got.toString());
        assertTrue(got.getInt("packs") + got.getInt("objects") >= 0);
        assertTrue(got.getJsonNumber("file_bytes").longValue() > 0, got.toString());
    }

    @Test
    void defaultBranchReadOnlyAndTheirErrors() throws Exception {
        String url = server.url() + "patch/me.git";
        Path work = tmp.resolve("patch");
        Files.createDirectories(work);
        git.ok(work, "init", "-q", "-b", "main");
        git.ok(work, "commit", "-q", "--allow-empty", "-m", "one");
        git.ok(work, "branch", "dev");
        git.ok(work, "push", "-q", url, "main", "dev");

        Api.Reply missing = api.patch("repos/patch/me.git", "{\"default_branch\":\"nope\"}");
        assertEquals(422, missing.status(), missing.toString());
        assertEquals(400, api.patch("repos/patch/me.git", "{\"default_branch\":\"bad..name\"}").status());
        assertEquals(404, api.patch("repos/patch/nobody.git", "{\"read_only\":true}").status());
        Api.Reply moved = api.patch("repos/patch/me.git", "{\"default_branch\":\"dev\"}");
        assertEquals(200, moved.status(), moved.toString());
        assertEquals("dev", moved.json().getString("default_branch"));
        assertTrue(git.ok(work, "ls-remote", "--symref", url, "HEAD").startsWith("ref: refs/heads/dev\tHEAD"));

        assertEquals(200, api.patch("repos/patch/me.git", "{\"read_only\":true}").status());
        assertTrue(api.get("repos/patch/me.git").json().getBoolean("read_only"));
        HttpResponse<byte[]> adv = Http.get(url + "/info/refs?service=git-receive-pack");
        assertEquals(403, adv.statusCode());
        assertTrue(Http.text(adv).contains("read-only"), Http.text(adv));
        git.ok(work, "commit", "-q", "--allow-empty", "-m", "two");
        GitCli.Result refused = git.run(work, "push", url, "main");
        assertNotEquals(0, refused.exitCode());
        assertTrue(refused.stderr().contains("read-only"), refused.stderr());
        // a push that got past the advertisement (sent before the flag was set) gets git's report
        String dev = git.ok(work, "rev-parse", "dev");
        byte[] delete = Pkt.body().line(dev + " " + "0".repeat(40) + " refs/heads/dev\0report-status delete-refs\n")
                .flush().bytes();
        HttpResponse<byte[]> report = Http.post(url + "/git-receive-pack", "application/x-git-receive-pack-request",
                delete);
        assertEquals(200, report.statusCode());
        assertTrue(Http.text(report).contains("ng refs/heads/dev") && Http.text(report).contains("read-only"),
                Http.text(report));
        assertTrue(git.ok(work, "ls-remote", url).contains("refs/heads/dev"), "nothing was deleted");
        assertTrue(git.run(tmp, "clone", "-q", url, tmp.resolve("ro-clone").toString()).exitCode() == 0,
                "reads still work");

        assertEquals(200, api.patch("repos/patch/me.git", "{\"read_only\":false}").status());
        git.ok(work, "push", "-q", url, "main");
    }

    @Test
    void renameMovesEverythingAndTheOldNameIs404() throws Exception {
        String from = server.url() + "old/name.git";
        Path work = tmp.resolve("rename");
        Path sample = SampleRepository.create(git, work);
        git.ok(sample, "push", "-q", from, "--all");
        git.ok(sample, "push", "-q", from, "--tags");
        String refsBefore = git.ok(sample, "ls-remote", from);
        assertEquals(201, api.post("repos", "{\"name\":\"taken\"}").status());

        assertEquals(409, api.patch("repos/old/name.git", "{\"name\":\"taken\"}").status());
        assertEquals(400, api.patch("repos/old/name.git", "{\"name\":\"-/reserved\"}").status());
        assertEquals(404, api.patch("repos/nobody.git", "{\"name\":\"somebody\"}").status());
        Api.Reply renamed = api.patch("repos/old/name.git", "{\"name\":\"new/place\"}");
        assertEquals(200, renamed.status(), renamed.toString());
        assertEquals("new/place", renamed.json().getString("name"));

        assertEquals(404, api.get("repos/old/name.git").status());
        assertEquals(404, Http.get(from + "/info/refs?service=git-upload-pack").statusCode());
        String to = server.url() + "new/place.git";
        assertEquals(refsBefore, git.ok(sample, "ls-remote", to));
        Path clone = tmp.resolve("renamed-clone");
        git.ok(tmp, "clone", "-q", to, clone.toString());
        git.ok(clone, "fsck", "--full", "--strict");
        assertFalse(Files.exists(tmp.resolve("server/data/old")) && hasRepositoryFiles(tmp.resolve("server/data/old")),
                "no file is left under the old name");
    }

    @Test
    void deleteRemovesTheRepository() throws Exception {
        String url = server.url() + "doomed.git";
        Path work = tmp.resolve("doomed");
        Files.createDirectories(work);
        git.ok(work, "init", "-q", "-b", "main");
        git.ok(work, "commit", "-q", "--allow-empty", "-m", "one");
        git.ok(work, "push", "-q", url, "main");

        assertEquals(404, api.delete("repos/nobody.git").status());
        assertEquals(400, api.delete("repos/-/x.git").status());
        Api.Reply deleted = api.delete("repos/doomed.git");
        assertEquals(204, deleted.status(), deleted.toString());
        assertEquals(404, api.get("repos/doomed.git").status());
        assertEquals(404, api.delete("repos/doomed.git").status());
        assertEquals(404, Http.get(url + "/info/refs?service=git-upload-pack").statusCode());
        assertFalse(Files.exists(tmp.resolve("server/data/doomed.git.sqlite")));
        try (Stream<Path> trash = Files.walk(tmp.resolve("server/data/.trash"))) {
            assertTrue(trash.anyMatch(p -> p.getFileName().toString().equals("doomed.git.sqlite")),
                    "kept in the trash (gitwar.trash-retention-hours)");
        }
        // the name is free again: a push creates a new, different repository
        Path other = tmp.resolve("doomed-again");
        Files.createDirectories(other);
        git.ok(other, "init", "-q", "-b", "main");
        git.ok(other, "commit", "-q", "--allow-empty", "-m", "another");
        git.ok(other, "push", "-q", url, "main");
        assertEquals(git.ok(other, "rev-parse", "HEAD"), api.get("repos/doomed.git").json().getString("head"));
    }

    @Test
    void listingPagesWithACursorWhileRepositoriesComeAndGo() throws Exception {
        Set<String> stable = new TreeSet<>();
        for (int i = 0; i < 12; i++) {
            String name = "list/s" + (char) ('a' + i) + (i % 3 == 0 ? "/deep" : "");
            assertEquals(201, api.post("repos", "{\"name\":\"" + name + "\"}").status());
            stable.add(name);
        }
        Api.Reply firstPage = api.get("repos?prefix=list/&limit=5");
        assertEquals(5, firstPage.json().getJsonArray("repositories").size());
        assertEquals(firstPage.json().getJsonArray("repositories").getJsonObject(4).getString("name"),
                firstPage.json().getString("next_cursor"));
        assertEquals(400, api.get("repos?limit=0").status());
        assertEquals(400, api.get("repos?limit=100000").status());
        assertEquals(400, api.get("repos?limit=x").status());

        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> churnFailure = new AtomicReference<>();
        Thread churn = new Thread(() -> {
            try {
                for (int i = 0; !stop.get(); i++) {
                    // names between and around the stable ones, created and deleted
                    String name = "list/s" + (char) ('a' + i % 13) + "-churn" + i;
                    int c = api.post("repos", "{\"name\":\"" + name + "\"}").status();
                    int d = api.delete("repos/" + name + ".git").status();
                    if (c != 201 || d != 204) {
                        throw new AssertionError("churn " + name + ": create " + c + ", delete " + d);
                    }
                }
            } catch (Throwable t) {
                churnFailure.set(t);
            }
        });
        churn.start();
        try {
            for (int round = 0; round < 5; round++) {
                List<String> seen = new ArrayList<>();
                String cursor = "";
                do {
                    Api.Reply page = api.get("repos?prefix=list/&limit=3&cursor=" + cursor);
                    assertEquals(200, page.status(), page.toString());
                    page.json().getJsonArray("repositories").forEach(v -> seen.add(v.asJsonObject().getString("name")));
                    JsonValue next = page.json().get("next_cursor");
                    cursor = next instanceof JsonString s ? java.net.URLEncoder.encode(s.getString(),
                            java.nio.charset.StandardCharsets.UTF_8) : null;
                } while (cursor != null);
                assertEquals(List.copyOf(stable), seen.stream().filter(stable::contains).toList(), "round " + round);
                assertEquals(seen.size(), new TreeSet<>(seen).size(), "no name twice: " + seen);
                List<String> sorted = new ArrayList<>(seen);
                sorted.sort(null);
                assertEquals(sorted, seen, "sorted by name");
            }
        } finally {
            stop.set(true);
            churn.join();
        }
        assertEquals(null, churnFailure.get());
    }

    @Test
    void aRenameWhileAPushIsInFlightLetsItFinishOnTheOldNameOrRefusesIt() throws Exception {
        InFlight push = pushInFlight("flight/rename");
        Api.Reply renamed = api.patch("repos/flight/rename.git", "{\"name\":\"flight/renamed\"}");
        assertEquals(200, renamed.status(), renamed.toString());
        GitCli.Result result = push.finish();

        assertEquals(404, api.get("repos/flight/rename.git").status());
        String main = BackupIT.refs(git.ok(tmp, "ls-remote", server.url() + "flight/renamed.git")).get("refs/heads/main");
        if (result.exitCode() == 0) {
            assertEquals(push.pushed(), main, "an acknowledged push is in the renamed repository");
        } else {
            assertEquals(push.before(), main, "a refused push stored nothing: " + result.stderr());
            assertTrue(result.stderr().contains("renamed"), result.stderr());
        }
        Path clone = tmp.resolve("flight-renamed-clone");
        git.ok(tmp, "clone", "-q", server.url() + "flight/renamed.git", clone.toString());
        git.ok(clone, "fsck", "--full", "--strict");
    }

    @Test
    void aDeleteWhileAPushIsInFlightLetsItFinishFirstOrRefusesIt() throws Exception {
        InFlight push = pushInFlight("flight/delete");
        assertEquals(204, api.delete("repos/flight/delete.git").status());
        GitCli.Result result = push.finish();

        assertEquals(404, api.get("repos/flight/delete.git").status());
        assertEquals(404, Http.get(server.url() + "flight/delete.git/info/refs?service=git-upload-pack").statusCode());
        // the deleted file, as it was when it went to the trash: whole, with the push or without it
        Path trashed;
        try (Stream<Path> trash = Files.walk(tmp.resolve("server/data/.trash"))) {
            trashed = trash.filter(p -> p.getFileName().toString().equals("delete.git.sqlite")).findFirst().orElseThrow();
        }
        assertEquals("ok", BackupIT.integrityCheck(trashed));
        String main = refInFile(trashed, "refs/heads/main");
        if (result.exitCode() == 0) {
            assertEquals(push.pushed(), main, "an acknowledged push was in the repository when it was deleted");
        } else {
            assertEquals(push.before(), main, "a refused push stored nothing: " + result.stderr());
            assertTrue(result.stderr().contains("deleted"), result.stderr());
        }
    }

    /** A push of a commit with 24 MiB of random data, started and seen in flight (its body spooled on the server). */
    private InFlight pushInFlight(String name) throws Exception {
        String url = server.url() + name + ".git";
        Path work = tmp.resolve(name.replace('/', '-'));
        Files.createDirectories(work);
        git.ok(work, "init", "-q", "-b", "main");
        git.ok(work, "commit", "-q", "--allow-empty", "-m", "before");
        git.ok(work, "push", "-q", url, "main");
        String before = git.ok(work, "rev-parse", "HEAD");
        byte[] data = new byte[24 << 20];
        new java.util.Random(13).nextBytes(data);
        Files.write(work.resolve("big.bin"), data);
        git.ok(work, "add", "big.bin");
        git.ok(work, "commit", "-q", "-m", "big");
        String pushed = git.ok(work, "rev-parse", "HEAD");
        Path spool = tmp.resolve("server/data/.spool");
        Files.createDirectories(spool);
        java.util.concurrent.CompletableFuture<GitCli.Result> result = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return git.run(work, "push", url, "main");
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        Await.until(java.time.Duration.ofMinutes(2), "the push's body spooled on the server", () -> {
            if (result.isDone()) {
                throw new AssertionError("the push ended before it was seen in flight: " + result.get());
            }
            try (Stream<Path> files = Files.list(spool)) {
                return files.findAny().isPresent();
            }
        });
        return new InFlight(before, pushed, result);
    }

    private record InFlight(String before, String pushed, java.util.concurrent.CompletableFuture<GitCli.Result> result) {
        GitCli.Result finish() throws Exception {
            return result.get(5, java.util.concurrent.TimeUnit.MINUTES);
        }
    }

    private static String refInFile(Path file, String ref) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                java.sql.PreparedStatement ps = c.prepareStatement("SELECT object_id FROM ref WHERE name = ?")) {
            ps.setString(1, ref);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void repackRunsNowAndFsckReportsProblems() throws Exception {
        String url = server.url() + "maint.git";
        Path work = SampleRepository.create(git, tmp.resolve("maint"));
        git.ok(work, "push", "-q", url, "main");
        git.ok(work, "push", "-q", url, "--all");
        git.ok(work, "push", "-q", url, "--tags");

        Api.Reply accepted = api.post("repos/maint.git/repack", null);
        assertEquals(202, accepted.status(), accepted.toString());
        Await.until(java.time.Duration.ofMinutes(2), "the repack to leave one pack",
                () -> api.get("repos/maint.git").json().getInt("packs") == 1);
        assertEquals(404, api.post("repos/nobody.git/repack", null).status());

        Api.Reply sound = api.post("repos/maint.git/fsck", null);
        assertEquals(200, sound.status(), sound.toString());
        assertTrue(sound.json().getBoolean("ok"), sound.toString());
        assertEquals(0, sound.json().getInt("problems"));
        assertEquals(404, api.post("repos/nobody.git/fsck", null).status());

        // a file damaged on disk behind gitwar's back (restores refuse such files): the bytes of every
        // pack stored (the packs the repack replaced are kept for a while, beside the live one)
        Path backup = tmp.resolve("maint.sqlite");
        assertEquals(200, api.download("repos/maint.git/backup", backup).statusCode());
        byte[] bytes = Files.readAllBytes(backup);
        byte[] signature = "PACK".getBytes();
        for (int pack = BackupIT.indexOf(bytes, signature); pack >= 0; pack = BackupIT.indexOf(bytes, signature, pack + 1)) {
            for (int i = pack + 20; i < Math.min(bytes.length, pack + 2048); i++) {
                bytes[i] ^= 0x5a;
            }
        }
        Files.write(tmp.resolve("server/data/broken.git.sqlite"), bytes);
        Api.Reply broken = api.post("repos/broken.git/fsck", null);
        assertEquals(200, broken.status(), broken.toString());
        assertFalse(broken.json().getBoolean("ok"), broken.toString());
        assertTrue(broken.json().getInt("problems") > 0, broken.toString());
        // a listing shows it without failing (nor hiding the others)
        Api.Reply listed = api.get("repos?prefix=b");
        assertEquals(200, listed.status(), listed.toString());
        assertEquals("broken", listed.json().getJsonArray("repositories").getJsonObject(0).getString("name"));
    }

    @Test
    void openApiDocumentDescribesTheApi() throws Exception {
        Api.Reply doc = api.get("openapi.json");
        assertEquals(200, doc.status());
        JsonObject paths = doc.json().getJsonObject("paths");
        assertNotNull(paths.getJsonObject("/repos/{name}.git/backup"), paths.keySet().toString());
        assertTrue(doc.json().getString("openapi").startsWith("3."));
    }

    private static boolean hasRepositoryFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.anyMatch(p -> p.toString().endsWith(".sqlite"));
        }
    }
}
