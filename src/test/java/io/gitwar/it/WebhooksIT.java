package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks against a real receiver on 127.0.0.1 (allowed by {@code gitwar.hooks.allowed-hosts}),
 * driven by the git CLI: the payload against what git says, GitHub's signature checked by the
 * receiver and by GitHub's own Node library, retries after 500s, the delivery log, redelivery, the
 * SSRF guard at creation, and a delivery owed when the server is killed ({@code kill -9}) right after
 * git printed the push's success, made after the restart with the same delivery id.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhooksIT {

    static final String TOKEN = "it-admin-token-14";
    static final String SECRET = "It's a Secret to Everybody";
    /** Deadlines for what takes a second or two; generous for a loaded 2-core machine. */
    static final Duration SOON = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;

    static BootableServer server;
    static Api api;
    static GitCli git;

    static final String[] SETTINGS = {"-Dgitwar.admin.token=" + TOKEN, "-Dgitwar.hooks.allowed-hosts=127.0.0.1",
        "-Dgitwar.hooks.retry-seconds=1", "-Dgitwar.hooks.timeout-seconds=5"};

    @BeforeAll
    static void start() throws Exception {
        server = BootableServer.start(tmp.resolve("server"), SETTINGS);
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
    @Order(1)
    void aPushIsDeliveredInGitHubsShapeSignedWithTheSecret() throws Exception {
        try (HookReceiver receiver = HookReceiver.start(SECRET)) {
            String name = "hooks/shape";
            assertEquals(201, api.post("repos", "{\"name\":\"" + name + "\"}").status());
            Api.Reply created = api.post("repos/" + name + ".git/hooks",
                    "{\"url\":\"" + receiver.url("/ci") + "\",\"secret\":\"" + SECRET + "\",\"events\":[\"push\"]}");
            assertEquals(201, created.status(), created.toString());
            JsonObject hook = created.json();
            assertFalse(created.body().contains(SECRET), "the secret is never read back: " + created.body());
            assertEquals(true, hook.getBoolean("secret_set"));
            long id = hook.getJsonNumber("id").longValue();

            WorkRepository work = WorkRepository.init(git, tmp.resolve("shape"));
            work.commitSmall();
            work.commitSmall();
            String first = work.commitSmall();
            String url = server.url() + name + ".git";
            work.push(url);
            HookReceiver.Delivery d = receiver.await(1, SOON).get(0);
            JsonObject p = json(d.text());
            assertEquals("refs/heads/main", p.getString("ref"));
            assertEquals("0".repeat(40), p.getString("before"));
            assertEquals(first, p.getString("after"));
            assertEquals(true, p.getBoolean("created"));
            assertEquals(List.of(work.git.ok(work.dir, "rev-list", "--reverse", "main").split("\n")), ids(p));
            assertEquals(first, p.getJsonObject("head_commit").getString("id"));
            assertEquals(name, p.getJsonObject("repository").getString("full_name"));
            assertEquals("shape", p.getJsonObject("repository").getString("name"));
            assertEquals(url, p.getJsonObject("repository").getString("clone_url"));
            assertEquals("main", p.getJsonObject("repository").getString("default_branch"));
            assertEquals("127.0.0.1", p.getJsonObject("pusher").getString("name"));
            assertTrue(d.signatureValid(), "signature " + d.header("X-Hub-Signature-256"));
            assertEquals("push", d.header("X-Gitwar-Event"));
            assertEquals("push", d.header("X-GitHub-Event"));
            assertEquals("application/json", d.header("Content-Type"));
            assertTrue(d.header("User-Agent").startsWith("gitwar/"), d.header("User-Agent"));
            String deliveryId = d.header("X-Gitwar-Delivery");
            assertTrue(deliveryId.matches("[0-9a-f-]{36}"), deliveryId);
            assertGitHubsLibraryAccepts(d);

            String second = work.commitSmall();
            work.commitSmall();
            String third = work.commitSmall();
            work.push(url);
            JsonObject update = json(receiver.await(2, SOON).get(1).text());
            assertEquals(first, update.getString("before"));
            assertEquals(third, update.getString("after"));
            assertEquals(false, update.getBoolean("created"));
            assertEquals(false, update.getBoolean("forced"));
            assertEquals(List.of(work.git.ok(work.dir, "rev-list", "--reverse", first + ".." + third).split("\n")),
                    ids(update));
            assertEquals(second, ids(update).get(0));
            assertEquals(git.ok(work.dir, "log", "-1", "--format=%B", third).strip(),
                    update.getJsonObject("head_commit").getString("message").strip());

            // the log, newest first, once the second delivery's outcome is recorded
            Await.until(SOON, "both deliveries logged", () -> log("repos/" + name + ".git", id).size() == 2);
            JsonArray log = log("repos/" + name + ".git", id);
            JsonObject newest = log.getJsonObject(0);
            assertEquals(200, newest.getInt("status"));
            assertEquals(1, newest.getInt("attempt"));
            assertEquals(receiver.received().get(1).header("X-Gitwar-Delivery"), newest.getString("delivery_id"));
            assertEquals(deliveryId, log.getJsonObject(1).getString("delivery_id"));
            assertEquals(receiver.received().get(1).text(), newest.getJsonObject("request").getString("body"));
            assertEquals("received 200", newest.getJsonObject("response").getString("body"));
            assertEquals(2, receiver.received().size(), "each push delivered once");
        }
    }

    @Test
    @Order(2)
    void aFailingReceiverIsRetriedUntilItAnswersAndCanBeRedelivered() throws Exception {
        try (HookReceiver receiver = HookReceiver.start(SECRET)) {
            receiver.answer(500, 500);
            Api.Reply created = api.post("hooks", "{\"url\":\"" + receiver.url("/all") + "\",\"secret\":\"" + SECRET + "\"}");
            assertEquals(201, created.status(), created.toString());
            long id = created.json().getJsonNumber("id").longValue();
            try {
                WorkRepository work = WorkRepository.init(git, tmp.resolve("retry"));
                String head = work.commitSmall();
                work.push(server.url() + "hooks/retry.git");
                List<HookReceiver.Delivery> got = receiver.await(3, SOON);
                Set<String> ids = got.stream().map(d -> d.header("X-Gitwar-Delivery")).collect(Collectors.toSet());
                assertEquals(1, ids.size(), "one delivery, three attempts: " + ids);
                assertEquals(head, json(got.get(2).text()).getString("after"));
                assertTrue(got.stream().allMatch(HookReceiver.Delivery::signatureValid));
                // 1 s, then 2 s of backoff between the attempts
                assertTrue(got.get(2).receivedNanos() - got.get(0).receivedNanos() >= Duration.ofSeconds(2).toNanos());

                Await.until(SOON, "three attempts logged", () -> log("", id).size() == 3);
                JsonArray log = log("", id);
                assertEquals(List.of(200, 500, 500), log.stream().map(e -> ((JsonObject) e).getInt("status")).toList());
                assertEquals(List.of(3, 2, 1), log.stream().map(e -> ((JsonObject) e).getInt("attempt")).toList());
                assertEquals("hooks/retry", log.getJsonObject(0).getString("repository"));

                long attempt = log.getJsonObject(0).getJsonNumber("id").longValue();
                Api.Reply again = api.post("hooks/" + id + "/deliveries/" + attempt + "/redeliver", null);
                assertEquals(202, again.status(), again.toString());
                HookReceiver.Delivery redelivered = receiver.await(4, SOON).get(3);
                assertEquals(ids.iterator().next(), redelivered.header("X-Gitwar-Delivery"));
                assertEquals(got.get(2).text(), redelivered.text());
            } finally {
                assertEquals(204, api.delete("hooks/" + id).status());
            }
        }
    }

    @Test
    @Order(3)
    void hooksToAddressesNotAllowedAreRefusedWhenCreated() throws Exception {
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://127.0.0.2:9/",
                "http://[::1]:9/", "http://0.0.0.0:9/", "ftp://127.0.0.1/", "file:///etc/passwd")) {
            Api.Reply r = api.post("hooks", "{\"url\":\"" + url + "\"}");
            assertEquals(400, r.status(), url + ": " + r);
            assertTrue(r.json().getString("error").startsWith("hook refused: "), r.body());
        }
        Api.Reply metadata = api.post("hooks", "{\"url\":\"http://169.254.169.254/\"}");
        assertTrue(metadata.json().getString("error").contains("link-local"), metadata.body());
        assertEquals(0, api.get("hooks").json().getJsonArray("hooks").size(), "nothing was created");
        assertEquals(404, api.get("hooks/99999").status());
        assertEquals(404, api.get("repos/hooks/none.git/hooks").status());
    }

    /**
     * The receiver is down while git pushes; the server is killed the moment git exits, whatever its
     * deliverer did by then; after the restart, with the receiver up, the delivery arrives. Then a
     * delivery that failed once (500) before a kill arrives after the restart with the id it had.
     */
    @Test
    @Order(4)
    void aDeliveryOwedWhenTheServerIsKilledIsMadeAfterTheRestart() throws Exception {
        try (HookReceiver receiver = HookReceiver.start(SECRET)) {
            String name = "hooks/killed";
            assertEquals(201, api.post("repos", "{\"name\":\"" + name + "\"}").status());
            assertEquals(201, api.post("repos/" + name + ".git/hooks",
                    "{\"url\":\"" + receiver.url("/ci") + "\",\"secret\":\"" + SECRET + "\"}").status());
            receiver.stop();
            WorkRepository work = WorkRepository.init(git, tmp.resolve("killed"));
            String head = work.commitSmall();
            work.push(server.url() + name + ".git");
            server.kill(); // git printed the push's success: the delivery is owed

            receiver.restart();
            server = BootableServer.start(tmp.resolve("server"), SETTINGS);
            HookReceiver.Delivery d = receiver.await(1, SOON).get(0);
            assertEquals(head, json(d.text()).getString("after"));
            assertTrue(d.signatureValid());

            // failed once before the kill: the same delivery id after the restart
            receiver.answer(500);
            String next = work.commitSmall();
            work.push(server.url() + name + ".git");
            HookReceiver.Delivery failed = receiver.await(2, SOON).get(1);
            server.kill();
            server = BootableServer.start(tmp.resolve("server"), SETTINGS);
            HookReceiver.Delivery delivered = receiver.await(3, SOON).get(2);
            assertEquals(failed.header("X-Gitwar-Delivery"), delivered.header("X-Gitwar-Delivery"));
            assertEquals(next, json(delivered.text()).getString("after"));
            assertEquals(failed.text(), delivered.text(), "the same body, so the same signature");
        }
    }

    /** GitHub's own verification code for Node (@octokit/webhooks-methods) accepts the delivery unchanged. */
    private static void assertGitHubsLibraryAccepts(HookReceiver.Delivery d) throws Exception {
        Path body = tmp.resolve("delivery-" + System.nanoTime() + ".json");
        Files.write(body, d.body());
        String signature = d.header("X-Hub-Signature-256");
        assertEquals("true", Node.run(tmp.resolve("node"), "verify-webhook.mjs", SECRET, body.toString(), signature)
                .ok().get("verified"));
        assertEquals("false", Node.run(tmp.resolve("node"), "verify-webhook.mjs", SECRET + "!", body.toString(),
                signature).ok().get("verified"), "and refuses it with another secret");
    }

    /** The hook's delivery log, newest first; {@code repository} "" for a global hook. */
    private static JsonArray log(String repository, long hook) throws Exception {
        Api.Reply r = api.get((repository.isEmpty() ? "" : repository + "/") + "hooks/" + hook + "/deliveries");
        assertEquals(200, r.status(), r.toString());
        JsonArray deliveries = r.json().getJsonArray("deliveries");
        assertNotNull(deliveries);
        return deliveries;
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static List<String> ids(JsonObject payload) {
        return payload.getJsonArray("commits").stream().map(c -> ((JsonObject) c).getJsonString("id"))
                .map(JsonString::getString).toList();
    }
}
