package io.gitwar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three cluster nodes and HAProxy in front, started by bench/cluster.sh from
 * target/gitwar-cluster.jar (WildFly only: the cluster is WildFly's). Repositories pushed through the
 * balancer land on the nodes the placement chose; each is cloned (smart and dumb) through every node
 * and through the balancer with identical refs, its page is served by every node, and the API names
 * the same owner on every node; isomorphic-git clones through a node that is not the owner.
 * Ports: it.cluster.http-base + i, it.cluster.jgroups-base + i (+500), it.cluster.front-port.
 */
class ClusterIT {

    private static final int NODES = 3;
    private static final int REPOSITORIES = 30; // as the issue asks: each cloned smart and dumb through 3 nodes and HAProxy
    private static final String TOKEN = "cluster-it-token";
    private static final String PAGE_ORIGIN = "http://page.example";
    private static final Pattern OWNER = Pattern.compile("\"owner\":\"([^\"]+)\"");

    private static ClusterNodes cluster;
    private static Path dir;
    private static List<String> nodeUrls;
    private static String frontUrl;

    @BeforeAll
    static void start() throws Exception {
        assumeFalse(TestedServer.isPayara(), "the cluster is WildFly's (JGroups, Infinispan)");
        assumeTrue(Files.exists(Path.of("target", "gitwar-cluster.jar")),
                "no target/gitwar-cluster.jar (built unless -Dcluster.package.skip=true)");
        // part 1's placement: each repository on one node (moves and rebalancing are of such repositories)
        cluster = ClusterNodes.start("cluster-it", NODES, 0, Map.of("GITWAR_ADMIN_TOKEN", TOKEN,
                "GITWAR_CLUSTER_REPLICAS", "1"));
        dir = cluster.dir;
        nodeUrls = cluster.urls;
        frontUrl = cluster.front;
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    void pushedThroughTheBalancerClonedThroughEveryNode() throws Exception {
        GitCli git = new GitCli(dir.resolve("home"));
        Path source = SampleRepository.create(git, dir.resolve("source"));
        Set<String> owners = new HashSet<>();
        for (int r = 1; r <= REPOSITORIES; r++) {
            String name = "spread/r" + r;
            git.ok(source, "push", "-q", frontUrl + "/" + name + ".git", "--all");
            String expected = git.ok(source, "ls-remote", frontUrl + "/" + name + ".git");
            String owner = null;
            for (String node : nodeUrls) {
                String seen = owner(node, name);
                owner = owner == null ? seen : owner;
                assertEquals(owner, seen, name + ": the owner " + node + " names");
            }
            owners.add(owner);
            for (String node : nodeUrls) {
                HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(node + "/" + name)).header("Accept", "text/html").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, page.statusCode(), node + "/" + name);
                assertTrue(page.body().contains(name), node + "/" + name);
                // the owner's CORS headers, once, whether forwarded or not
                HttpResponse<String> refs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node
                        + "/" + name + ".git/info/refs?service=git-upload-pack")).header("Origin", PAGE_ORIGIN).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, refs.statusCode(), node + "/" + name);
                assertEquals(List.of("*"), refs.headers().allValues("Access-Control-Allow-Origin"), node + "/" + name);
            }
            List<String> through = new ArrayList<>(nodeUrls);
            through.add(frontUrl);
            for (String base : through) {
                String url = base + "/" + name + ".git";
                assertEquals(expected, git.ok(source, "ls-remote", url), url);
                Path smart = dir.resolve("clones/" + r + "/smart-" + through.indexOf(base));
                git.ok(dir, "clone", "-q", "--mirror", url, smart.toString());
                git.ok(smart, "fsck", "--full", "--strict");
                Path dumb = dir.resolve("clones/" + r + "/dumb-" + through.indexOf(base));
                git.with("GIT_SMART_HTTP", "0").ok(dir, "clone", "-q", "--mirror", url, dumb.toString());
                git.ok(dumb, "fsck", "--full", "--strict");
                assertEquals(git.ok(smart, "show-ref"), git.ok(dumb, "show-ref"), url);
            }
        }
        assertTrue(owners.size() >= 2, "all " + REPOSITORIES + " repositories on " + owners);
    }

    @Test
    void racingFirstPushesToThreeNodesMakeOneRepository() throws Exception {
        GitCli git = new GitCli(dir.resolve("home-race"));
        Path source = SampleRepository.create(git, dir.resolve("source-race"));
        List<Thread> pushers = new ArrayList<>();
        List<GitCli.Result> results = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < NODES; i++) {
            String url = nodeUrls.get(i) + "/race/new.git";
            String branch = "main:refs/heads/b" + i;
            Thread t = new Thread(() -> {
                try {
                    results.add(git.run(source, "push", "-q", url, branch));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            pushers.add(t);
        }
        for (Thread t : pushers) {
            t.join();
        }
        assertEquals(NODES, results.size());
        for (GitCli.Result r : results) {
            r.ok();
        }
        String refs = git.ok(source, "ls-remote", frontUrl + "/race/new.git");
        for (int i = 0; i < NODES; i++) {
            assertTrue(refs.contains("refs/heads/b" + i), refs);
        }
        int files = 0;
        for (int i = 1; i <= NODES; i++) {
            files += Files.exists(dir.resolve("node-" + i + "/repositories/race.d/new.git.sqlite")) ? 1 : 0;
        }
        assertEquals(1, files, "files of race/new across the nodes");
    }

    /** Node 3 is killed, its repository answers 503 on the others, and it is started again (so the order of the tests does not matter). */
    @Test
    void aKilledNodesRepositoriesAnswer503OnTheOthersUntilItReturns() throws Exception {
        GitCli git = new GitCli(dir.resolve("home-kill"));
        Path source = SampleRepository.create(git, dir.resolve("source-kill"));
        String name = null;
        for (int r = 0; name == null; r++) {
            git.ok(source, "push", "-q", frontUrl + "/dead/r" + r + ".git", "main");
            name = owner(nodeUrls.get(0), "dead/r" + r).equals("node-3") ? "dead/r" + r : null;
            assertTrue(r < 30, "no repository placed on node-3");
        }
        String refs = git.ok(source, "ls-remote", nodeUrls.get(0) + "/" + name + ".git");
        cluster.kill(2);
        long killed = System.nanoTime();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> answer;
        do {
            answer = http.send(HttpRequest.newBuilder(URI.create(nodeUrls.get(0) + "/" + name
                    + ".git/info/refs?service=git-upload-pack")).header("Origin", PAGE_ORIGIN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(60), "still " + answer.statusCode());
        } while (answer.statusCode() != 503);
        System.out.printf("kill -9 of node-3: 503 on node-1 after %d ms%n", (System.nanoTime() - killed) / 1_000_000);
        assertEquals("10", answer.headers().firstValue("Retry-After").orElse(null));
        // a page can read why (the default gitwar.cors.allowed-origins is *)
        assertEquals(List.of("*"), answer.headers().allValues("Access-Control-Allow-Origin"));
        GitCli.Result push = git.run(source, "push", nodeUrls.get(1) + "/" + name + ".git", "main:refs/heads/other");
        assertTrue(push.exitCode() != 0 && push.stderr().contains("503"), push.stderr());
        cluster.restart(2);
        // ready (which cluster.sh waited for) only once it joined and registered its files: the
        // web context is registered after Cluster.start, and answers 404 before
        assertTrue(Files.readString(dir.resolve("node-3/server.log")).contains("cluster node node-3 at "
                + nodeUrls.get(2) + " joined"), "node-3 ready before it joined");
        assertEquals(refs, git.ok(source, "ls-remote", nodeUrls.get(0) + "/" + name + ".git"));
        assertEquals(refs, git.ok(source, "ls-remote", frontUrl + "/" + name + ".git"));
    }

    @Test
    void aRepositoryCreatedThroughTheApiIsPlacedOnTheNodeThatMadeIt() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(nodeUrls.get(1) + "/-/api/v1/repos"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"api/made\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // placed once the event is handled
        HttpResponse<String> seen;
        do {
            seen = http.send(HttpRequest.newBuilder(URI.create(nodeUrls.get(0) + "/-/api/v1/repos/api/made.git"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        } while (seen.statusCode() == 404 && System.nanoTime() < deadline);
        assertEquals(200, seen.statusCode(), seen.body());
        assertEquals("node-2", owner(nodeUrls.get(2), "api/made"));
    }

    @Test
    void isomorphicGitClonesThroughANodeThatIsNotTheOwner() throws Exception {
        GitCli git = new GitCli(dir.resolve("home-iso"));
        Path source = SampleRepository.create(git, dir.resolve("source-iso"));
        git.ok(source, "push", "-q", frontUrl + "/iso/through.git", "--all");
        String owner = owner(nodeUrls.get(0), "iso/through");
        String through = nodeUrls.get(owner.equals("node-1") ? 1 : 0);
        String main = git.ok(source, "rev-parse", "main");
        Node.Result clone = Node.run(dir.resolve("iso"), "iso-node.mjs", "clone",
                Node.json("url", through + "/iso/through.git", "dir", dir.resolve("iso/full"))).ok();
        assertEquals(main, clone.get("head"), "cloned through " + through + ", owner " + owner);
        assertEquals(git.ok(source, "rev-list", "--count", "main"), clone.get("commits"));
        Node.Result shallow = Node.run(dir.resolve("iso"), "iso-node.mjs", "clone", Node.json("url",
                through + "/iso/through.git", "dir", dir.resolve("iso/shallow"), "depth", 1, "singleBranch", true)).ok();
        assertEquals(main, shallow.get("head"));
        assertEquals("1", shallow.get("commits"));
    }

    /**
     * A repository moves while two clients push to it and one clones it, all through the balancer:
     * every push git saw acknowledged is there afterwards, the others were told to try again, every
     * node then names the target, and the node it left forwards.
     */
    @Test
    void aRepositoryMovesWhilePushedAndClonedAndLosesNoAcknowledgedPush() throws Exception {
        GitCli git = new GitCli(dir.resolve("home-move"));
        Path source = SampleRepository.create(git, dir.resolve("source-move"));
        String name = "move/load";
        String url = frontUrl + "/" + name + ".git";
        git.ok(source, "push", "-q", url, "main");
        String from = owner(nodeUrls.get(0), name);
        int fromIndex = Integer.parseInt(from.substring("node-".length())) - 1;
        String to = "node-" + ((fromIndex + 1) % NODES + 1);
        String asked = nodeUrls.get((fromIndex + 2) % NODES); // neither: the API request is forwarded too

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acknowledged = new AtomicInteger();
        Semaphore acks = new Semaphore(0);
        List<String> acked = Collections.synchronizedList(new ArrayList<>());
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger retried = new AtomicInteger();
        AtomicInteger clones = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path work = dir.resolve("move-pusher-" + i);
            git.ok(dir, "clone", "-q", url, work.toString());
            String branch = "refs/heads/p" + i;
            clients.add(new Thread(() -> {
                try {
                    for (int n = 0; !stop.get(); n++) {
                        Files.writeString(work.resolve("f" + n), "push " + n + " of " + branch + "\n");
                        git.ok(work, "add", "f" + n);
                        git.ok(work, "commit", "-q", "-m", "push " + n);
                        String id = git.ok(work, "rev-parse", "HEAD").trim();
                        GitCli.Result push = git.run(work, "push", "-q", url, "HEAD:" + branch);
                        if (push.exitCode() == 0) {
                            acked.add(branch + " " + id);
                            acknowledged.incrementAndGet();
                            acks.release();
                        } else if (push.stderr().contains("try again") || push.stderr().contains("503")) {
                            retried.incrementAndGet(); // the commit stays: the next push carries it
                        } else {
                            problems.add("push: " + push.stderr());
                        }
                    }
                } catch (Exception e) {
                    problems.add("pusher: " + e);
                }
            }));
        }
        clients.add(new Thread(() -> {
            try {
                for (int n = 0; !stop.get(); n++) {
                    Path clone = dir.resolve("move-clones/" + n);
                    GitCli.Result r = git.run(dir, "clone", "-q", "--mirror", url, clone.toString());
                    if (r.exitCode() == 0) {
                        git.ok(clone, "fsck", "--full", "--strict");
                        clones.incrementAndGet();
                    } else if (!r.stderr().contains("503")) {
                        problems.add("clone: " + r.stderr());
                    }
                }
            } catch (Exception e) {
                problems.add("cloner: " + e);
            }
        }));
        clients.forEach(Thread::start);
        HttpResponse<String> moved;
        try {
            assertTrue(acks.tryAcquire(2, 120, TimeUnit.SECONDS), "no pushes before the move: " + problems);
            moved = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(asked + "/-/api/v1/repos/"
                    + name + ".git/move")).header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"node\": \"" + to + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            acks.drainPermits();
            assertTrue(acks.tryAcquire(2, 120, TimeUnit.SECONDS), "no pushes after the move: " + problems);
        } finally {
            stop.set(true);
            for (Thread t : clients) {
                t.join();
            }
        }
        System.out.printf("move of %s from %s to %s under load: %s; %d pushes acknowledged, %d told to try again,"
                + " %d clones%n", name, from, to, moved.body(), acknowledged.get(), retried.get(), clones.get());
        assertEquals(200, moved.statusCode(), moved.body());
        assertEquals(List.of(), problems);
        for (String node : nodeUrls) {
            assertEquals(to, owner(node, name), node);
        }
        assertTrue(Files.notExists(dir.resolve("node-" + (fromIndex + 1) + "/repositories/move.d/load.git.sqlite")),
                "the file stayed on " + from);
        Path mirror = dir.resolve("move-final");
        git.ok(dir, "clone", "-q", "--mirror", nodeUrls.get(fromIndex) + "/" + name + ".git", mirror.toString()); // forwarded
        git.ok(mirror, "fsck", "--full", "--strict");
        for (String a : acked) {
            String[] branchAndId = a.split(" ");
            assertEquals(0, git.run(mirror, "merge-base", "--is-ancestor", branchAndId[1], branchAndId[0]).exitCode(),
                    "acknowledged push lost: " + a);
        }
    }

    /**
     * Repositories made on one node through the API, then a rebalance: some move to the others, the
     * gap between the most and the least used node narrows, every repository keeps its refs; the
     * listing on any node shows all of them with their owners; the API refuses to make a name
     * another node holds.
     */
    @Test
    void aRebalanceMovesRepositoriesOffTheFullestNodeAndTheListingShowsEveryNodes() throws Exception {
        GitCli git = new GitCli(dir.resolve("home-balance"));
        Path source = SampleRepository.create(git, dir.resolve("source-balance"));
        for (int i = 0; i < 4; i++) {
            Files.write(source.resolve("big-" + i + ".bin"), new java.util.Random(i).ints(1 << 18).collect(
                    java.io.ByteArrayOutputStream::new, (o, v) -> o.write(v), (a, b) -> { }).toByteArray());
        }
        git.ok(source, "add", ".");
        git.ok(source, "commit", "-q", "-m", "big");
        Map<String, String> refs = new TreeMap<>();
        for (int r = 0; r < 6; r++) {
            String name = "balance/r" + r;
            HttpResponse<String> created = api(nodeUrls.get(0), "POST", "/repos", "{\"name\": \"" + name + "\"}");
            assertEquals(201, created.statusCode(), created.body());
            git.ok(source, "push", "-q", nodeUrls.get(0) + "/" + name + ".git", "main");
            refs.put(name, git.ok(source, "ls-remote", frontUrl + "/" + name + ".git"));
        }
        HttpResponse<String> taken = api(nodeUrls.get(1), "POST", "/repos", "{\"name\": \"balance/r0\"}");
        assertEquals(409, taken.statusCode(), taken.body());
        assertTrue(taken.body().contains("node-1"), taken.body());

        long[] before = usages();
        HttpResponse<String> balanced = api(nodeUrls.get(2), "POST", "/cluster/rebalance", "");
        System.out.println("rebalance: " + balanced.body());
        assertEquals(200, balanced.statusCode(), balanced.body());
        long[] after = usages();
        assertTrue(gap(after) < gap(before), "bytes per node before " + Arrays.toString(before) + ", after "
                + Arrays.toString(after));
        Set<String> owners = new HashSet<>();
        for (Map.Entry<String, String> e : refs.entrySet()) {
            owners.add(owner(nodeUrls.get(0), e.getKey()));
            assertEquals(e.getValue(), git.ok(source, "ls-remote", frontUrl + "/" + e.getKey() + ".git"), e.getKey());
        }
        assertTrue(owners.size() >= 2, "still all on " + owners);

        HttpResponse<String> listed = api(nodeUrls.get(1), "GET", "/repos?prefix=balance/&limit=4", null);
        assertEquals(200, listed.statusCode(), listed.body());
        HttpResponse<String> rest = api(nodeUrls.get(1), "GET", "/repos?prefix=balance/&limit=4&cursor=balance/r3", null);
        String both = listed.body() + rest.body();
        for (String name : refs.keySet()) {
            Matcher m = Pattern.compile("\"name\":\"" + name + "\"[^}]*\"owner\":\"(node-\\d)\"").matcher(both);
            assertTrue(m.find(), name + " in " + both);
            assertEquals(owner(nodeUrls.get(2), name), m.group(1), name);
        }
        assertTrue(listed.body().contains("\"next_cursor\":\"balance/r3\""), listed.body());
    }

    private static long[] usages() throws Exception {
        long[] bytes = new long[NODES];
        for (int i = 0; i < NODES; i++) {
            HttpResponse<String> r = api(nodeUrls.get(i), "GET", "/cluster/usage", null);
            assertEquals(200, r.statusCode(), r.body());
            bytes[i] = Long.parseLong(r.body().strip());
        }
        return bytes;
    }

    private static long gap(long[] bytes) {
        return Arrays.stream(bytes).max().orElseThrow() - Arrays.stream(bytes).min().orElseThrow();
    }

    private static HttpResponse<String> api(String node, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node + "/-/api/v1" + path))
                .header("Authorization", "Bearer " + TOKEN);
        if (json == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String owner(String node, String name) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(node + "/-/api/v1/repos/" + name + ".git")).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Matcher m = OWNER.matcher(r.body());
        assertTrue(m.find(), r.body());
        return m.group(1);
    }
}
