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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;

/**
 * Three cluster nodes keeping every repository a push creates on all three
 * ({@code gitwar.cluster.replicas=3}), HAProxy in front, started by bench/cluster.sh (WildFly only).
 * Every acknowledged push is in the files of the primary and of every replica the placement names;
 * a replica takes over from a killed primary, losing no acknowledged push; a node that missed pushes
 * is brought up to date before it counts as a replica again, and serves the newest push meanwhile.
 * The files are read as they are on disk, with SQLite, not through the nodes.
 * Ports: it.cluster.http-base + 50 + i, it.cluster.jgroups-base + 50 + i, it.cluster.front-port + 50.
 */
class ReplicationIT {

    private static final int NODES = 3;
    private static final int PORT_SHIFT = 50; // beside ClusterIT's cluster
    private static final String TOKEN = "replication-it-token";
    private static final Pattern OWNER = Pattern.compile("\"owner\":\"([^\"]+)\"");
    private static final Pattern REPLICAS = Pattern.compile("\"replicas\":\\[([^\\]]*)\\]");
    /** The bound from a primary's kill to the next acknowledged push. */
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(10);
    private static final int KILLS = Integer.getInteger("it.failover-kills", 2);

    private static ClusterNodes cluster;
    private static Path dir;
    private static List<String> nodeUrls;
    private static String frontUrl;

    @BeforeAll
    static void start() throws Exception {
        assumeFalse(TestedServer.isPayara(), "the cluster is WildFly's (JGroups, Infinispan)");
        assumeTrue(Files.exists(Path.of("target", "gitwar-cluster.jar")),
                "no target/gitwar-cluster.jar (built unless -Dcluster.package.skip=true)");
        cluster = ClusterNodes.start("replication-it", NODES, PORT_SHIFT, Map.of("GITWAR_ADMIN_TOKEN", TOKEN,
                "GITWAR_CLUSTER_REPLICAS", Integer.toString(NODES), "GITWAR_HOOKS_ALLOWED_HOSTS", "127.0.0.1",
                "GITWAR_HOOKS_RETRY_SECONDS", "1"));
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
    void everyAcknowledgedPushIsInTheFileOfEveryCopy() throws Exception {
        GitCli git = new GitCli(dir.resolve("home-copies"));
        Path source = SampleRepository.create(git, dir.resolve("source-copies"));
        for (int r = 0; r < 4; r++) {
            String name = "copies/r" + r;
            for (int push = 0; push < 3; push++) {
                commit(git, source, name + "-" + push);
                git.ok(source, "push", "-q", frontUrl + "/" + name + ".git", "main");
                TreeMap<String, String> expected = advertised(git, source, frontUrl + "/" + name + ".git");
                List<String> copies = new ArrayList<>(replicas(name));
                assertEquals(NODES - 1, copies.size(), name + ": replicas " + copies);
                copies.add(primary(name));
                for (String node : copies) {
                    assertEquals(expected, localRefs(node, name), name + " in the file of " + node);
                    assertEquals(push + 1, localGeneration(node, name), name + " on " + node);
                }
            }
        }
    }

    @Test
    void aReplicaTakesOverFromAKilledPrimaryAndNoAcknowledgedPushIsLost() throws Exception {
        String name = "failover/r";
        Client client = pushedAs("failover", name);
        GitCli git = client.git();
        Path source = client.source();
        List<Long> failovers = new ArrayList<>();
        for (int kill = 0; kill < KILLS; kill++) {
            String primary = primary(name);
            AtomicBoolean stop = new AtomicBoolean();
            List<long[]> acks = Collections.synchronizedList(new ArrayList<>()); // {push started, acknowledged}
            List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
            Path work = dir.resolve("pusher-" + kill);
            git.ok(dir, "clone", "-q", frontUrl + "/" + name + ".git", work.toString());
            Thread pusher = new Thread(() -> {
                try {
                    for (int i = 0; !stop.get(); i++) {
                        commit(git, work, "k" + i);
                        String id = git.ok(work, "rev-parse", "HEAD").strip();
                        // a refused push is pushed again with the next commit (it may have been stored unacknowledged)
                        long started = System.nanoTime();
                        if (git.run(work, "push", "-q", frontUrl + "/" + name + ".git", "main").exitCode() == 0) {
                            acks.add(new long[] {started, System.nanoTime()});
                            acknowledged.add(id);
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            pusher.start();
            Await.until(Duration.ofSeconds(60), "two pushes before the kill", () -> acks.size() >= 2);
            int index = nodeIndex(primary);
            cluster.kill(index);
            long killed = System.nanoTime();
            // the first push begun after the kill (one that ended just after it was served before it)
            Await.until(Duration.ofSeconds(60), "a push after the kill of " + primary,
                    () -> acks.stream().anyMatch(a -> a[0] > killed));
            long firstAfter = acks.stream().filter(a -> a[0] > killed).mapToLong(a -> a[1]).min().orElseThrow();
            failovers.add((firstAfter - killed) / 1_000_000);
            stop.set(true);
            pusher.join(TimeUnit.SECONDS.toMillis(60));
            String newPrimary = primary(name);
            assertTrue(!newPrimary.equals(primary), "still " + primary);
            String last = acknowledged.get(acknowledged.size() - 1);
            for (int i = 0; i < NODES; i++) {
                if (i != index) {
                    String url = nodeUrls.get(i) + "/" + name + ".git";
                    assertEquals(last, advertised(git, source, url).get("refs/heads/main"), url);
                    Path clone = dir.resolve("clone-" + kill + "-" + i);
                    git.ok(dir, "clone", "-q", "--mirror", url, clone.toString());
                    git.ok(clone, "fsck", "--full", "--strict");
                    for (String id : acknowledged) {
                        git.ok(clone, "cat-file", "-e", id + "^{commit}"); // every acknowledged push
                    }
                }
            }
            cluster.restart(index);
            Await.until(Duration.ofSeconds(120), primary + " current again", () -> replicas(name).contains(primary));
            assertEquals(localRefs(newPrimary, name), localRefs(primary, name));
        }
        long[] sorted = failovers.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("failover (kill -9 of the primary to the end of the first push begun after it), %d kills: median %d ms,"
                + " max %d ms, all %s%n", KILLS, sorted[sorted.length / 2], sorted[sorted.length - 1], failovers);
        assertTrue(sorted[sorted.length - 1] < FAILOVER_BOUND.toMillis(), failovers.toString());
    }

    @Test
    void aNodeThatMissedPushesServesTheNewestAndCatchesUpBeforeItCounts() throws Exception {
        String name = "stale/r";
        Client client = pushedAs("stale", name);
        GitCli git = client.git();
        Path source = client.source();
        String away = replicas(name).get(0);
        int index = nodeIndex(away);
        cluster.kill(index);
        for (int i = 0; i < 3; i++) {
            commit(git, source, "while away " + i);
            pushRetrying(git, source, frontUrl + "/" + name + ".git");
        }
        String newest = git.ok(source, "rev-parse", "HEAD").strip();
        assertTrue(!replicas(name).contains(away), "a node that missed pushes is no replica");
        long before = localGeneration(away, name);
        cluster.restart(index);
        // right after its start it answers with the newest push (its old file serves nothing)
        assertEquals(newest, advertised(git, source, nodeUrls.get(index) + "/" + name + ".git").get("refs/heads/main"));
        Await.until(Duration.ofSeconds(120), away + " current again", () -> replicas(name).contains(away));
        assertEquals(localRefs(primary(name), name), localRefs(away, name));
        assertTrue(localGeneration(away, name) > before, "generation " + before + " then " + localGeneration(away, name));
    }

    /**
     * A repository the API creates is copied to as many nodes as a pushed one; renamed, it keeps its
     * copies under the new name, and the old name's copies go.
     */
    @Test
    void aRepositoryMadeThroughTheApiIsReplicatedAndARenameKeepsItsCopies() throws Exception {
        Api api = new Api(frontUrl + "/", TOKEN);
        String name = "api/made";
        Api.Reply created = api.post("repos", "{\"name\":\"" + name + "\"}");
        assertEquals(201, created.status(), created.toString());
        Await.until(Duration.ofSeconds(60), name + " on " + NODES + " current copies",
                () -> replicas(name).size() == NODES - 1);
        GitCli git = new GitCli(dir.resolve("home-api"));
        Path source = SampleRepository.create(git, dir.resolve("source-api"));
        git.ok(source, "push", "-q", frontUrl + "/" + name + ".git", "main");
        List<String> copies = new ArrayList<>(replicas(name));
        copies.add(primary(name));
        for (String node : copies) {
            assertEquals(1, localGeneration(node, name), name + " on " + node);
        }

        String renamed = "api/renamed";
        Api.Reply r = api.patch("repos/" + name + ".git", "{\"name\":\"" + renamed + "\"}");
        assertEquals(200, r.status(), r.toString());
        // the new name is placed by an event shortly after the rename (README: until then, 404 elsewhere)
        Await.until(Duration.ofSeconds(60), renamed + " on " + NODES + " current copies",
                () -> placed(renamed) && replicas(renamed).size() == NODES - 1);
        String newest = git.ok(source, "rev-parse", "HEAD").strip();
        for (String node : nodeUrls) {
            assertEquals(newest, advertised(git, source, node + "/" + renamed + ".git").get("refs/heads/main"));
            assertTrue(git.run(source, "ls-remote", node + "/" + name + ".git").exitCode() != 0, name + " gone");
        }
        for (String node : copies) {
            Await.until(Duration.ofSeconds(30), "the copy of " + name + " on " + node + " deleted",
                    () -> Files.notExists(file(node, name)));
        }
        commit(git, source, "after the rename");
        git.ok(source, "push", "-q", frontUrl + "/" + renamed + ".git", "main");
    }

    /**
     * A webhook added through the API reaches every copy, and a delivery its primary still owed when
     * it was killed is made by the replica that took over (the outbox travels with each push).
     */
    @Test
    void aDeliveryTheKilledPrimaryOwedIsMadeByItsHeir() throws Exception {
        String name = "hooks/r";
        Client client = pushedAs("hooks", name);
        GitCli git = client.git();
        Path source = client.source();
        try (HookReceiver receiver = HookReceiver.start("s3cret")) {
            Api api = new Api(frontUrl + "/", TOKEN);
            Api.Reply created = api.post("repos/" + name + ".git/hooks",
                    "{\"url\":\"" + receiver.url("/ci") + "\",\"secret\":\"s3cret\",\"events\":[\"push\"]}");
            assertEquals(201, created.status(), created.toString());
            receiver.answer(500, 500, 500); // the receiver is down: the delivery stays owed
            commit(git, source, "owed");
            git.ok(source, "push", "-q", frontUrl + "/" + name + ".git", "main");
            String delivery = receiver.await(1, Duration.ofSeconds(60)).get(0).header("X-Gitwar-Delivery");
            String primary = primary(name);
            int index = nodeIndex(primary);
            cluster.kill(index);
            long killed = System.nanoTime();
            try {
                Await.until(Duration.ofSeconds(90), "delivery " + delivery + " made by the heir",
                        () -> receiver.received().stream().anyMatch(d -> d.receivedNanos() > killed
                                && delivery.equals(d.header("X-Gitwar-Delivery"))));
                assertTrue(!primary(name).equals(primary), "a replica took over");
            } finally {
                cluster.restart(index);
            }
        }
    }

    /**
     * The whole cluster stops and starts again (the placement, in memory only, is gone): each
     * node's files report their copies, the copy with every acknowledged push serves, a node that
     * had missed pushes is brought up to date, and nothing is claimed twice.
     */
    @Test
    void afterTheWholeClusterRestartedEveryAcknowledgedPushIsServedFromEveryNode() throws Exception {
        GitCli git = new GitCli(dir.resolve("home-restart"));
        Path source = SampleRepository.create(git, dir.resolve("source-restart"));
        List<String> names = List.of("restart/r0", "restart/r1", "restart/r2");
        for (String name : names) {
            git.ok(source, "push", "-q", frontUrl + "/" + name + ".git", "main");
        }
        // one node misses the last pushes: its copies are older than the others' when all stop
        String away = replicas(names.get(0)).get(0);
        cluster.kill(nodeIndex(away));
        commit(git, source, "while " + away + " was away");
        for (String name : names) {
            pushRetrying(git, source, frontUrl + "/" + name + ".git");
        }
        String newest = git.ok(source, "rev-parse", "HEAD").strip();
        cluster.restartAll();
        nodeUrls = cluster.urls;
        for (String name : names) {
            for (String node : nodeUrls) {
                assertEquals(newest, advertised(git, source, node + "/" + name + ".git").get("refs/heads/main"),
                        name + " through " + node);
            }
            Await.until(Duration.ofSeconds(120), name + " on " + NODES + " current copies",
                    () -> replicas(name).size() == NODES - 1);
            String primary = primary(name);
            for (String replica : replicas(name)) {
                assertEquals(localRefs(primary, name), localRefs(replica, name), name + " on " + replica);
                assertEquals(localGeneration(primary, name), localGeneration(replica, name), name + " on " + replica);
            }
        }
        commit(git, source, "after the restart");
        pushRetrying(git, source, frontUrl + "/" + names.get(1) + ".git");
    }

    /**
     * The crash test: clients push to repositories through the balancer while a random node is
     * killed (-9) and started again, {@code it.crashes} times (the 20 with -Dit.crashes=20;
     * fewer in the verify, for its time): no acknowledged push is lost, every copy holds the same
     * refs at the same generation, and every repository is back to its number of copies.
     */
    @Test
    void noAcknowledgedPushIsLostWhileNodesCrash() throws Exception {
        int crashes = Integer.getInteger("it.crashes", 3);
        int clients = 4;
        int repositories = 10;
        GitCli git = new GitCli(dir.resolve("home-crash"));
        List<Path> work = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            work.add(SampleRepository.create(git, dir.resolve("crash-client-" + c)));
        }
        for (int r = 0; r < repositories; r++) {
            pushRetrying(git, work.get(0), frontUrl + "/crash/r" + r + ".git");
        }
        // per client and repository: the last commit git heard "ok" for
        List<TreeMap<Integer, String>> acked = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        int[] pushes = new int[2]; // acknowledged, refused
        for (int c = 0; c < clients; c++) {
            TreeMap<Integer, String> mine = new TreeMap<>();
            acked.add(mine);
            Path w = work.get(c);
            String branch = "HEAD:refs/heads/client-" + c;
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; !stop.get(); i++) {
                        int r = i % repositories;
                        commit(git, w, "crash " + i);
                        String id = git.ok(w, "rev-parse", "HEAD").strip();
                        boolean ok = git.run(w, "push", "-q", frontUrl + "/crash/r" + r + ".git", branch).exitCode() == 0;
                        synchronized (pushes) {
                            pushes[ok ? 0 : 1]++;
                            if (ok) {
                                mine.put(r, id);
                            }
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            threads.add(t);
            t.start();
        }
        java.util.Random random = new java.util.Random(17);
        for (int crash = 0; crash < crashes; crash++) {
            int before;
            synchronized (pushes) {
                before = pushes[0];
            }
            // between crashes: the restart (20-30 s here, while pushes go on), then 5 more acknowledged
            int b = before;
            Await.until(Duration.ofSeconds(120), "pushes between crashes", () -> {
                synchronized (pushes) {
                    return pushes[0] >= b + 5;
                }
            });
            int victim = random.nextInt(NODES);
            cluster.kill(victim);
            cluster.restart(victim);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(120));
        }
        System.out.printf("crash test: %d kills, %d pushes acknowledged, %d refused%n", crashes, pushes[0], pushes[1]);
        for (int r = 0; r < repositories; r++) {
            String name = "crash/r" + r;
            Await.until(Duration.ofSeconds(180), name + " on " + NODES + " current copies",
                    () -> replicas(name).size() == NODES - 1);
            String primary = primary(name);
            TreeMap<String, String> refs = localRefs(primary, name);
            long generation = localGeneration(primary, name);
            for (String replica : replicas(name)) {
                assertEquals(refs, localRefs(replica, name), name + " on " + replica + " and " + primary);
                assertEquals(generation, localGeneration(replica, name), name + " on " + replica);
            }
            for (int c = 0; c < clients; c++) {
                String last = acked.get(c).get(r);
                if (last != null) {
                    String tip = refs.get("refs/heads/client-" + c);
                    assertTrue(tip != null, name + " lost client-" + c);
                    // the last acknowledged push, or a later one of the same client (refused, yet stored)
                    git.ok(work.get(c), "merge-base", "--is-ancestor", last, tip);
                }
            }
            for (String node : nodeUrls) {
                Path clone = dir.resolve("crash-clone/" + r + "-" + nodeUrls.indexOf(node));
                git.ok(dir, "clone", "-q", "--mirror", node + "/" + name + ".git", clone.toString());
                git.ok(clone, "fsck", "--full", "--strict");
            }
        }
    }

    /**
     * A partition, by SIGSTOP of a repository's primary: its replicas go on serving reads at once; once
     * JGroups' FD_ALL3 gave up on it, a replica takes over and pushes are acknowledged again; after
     * SIGCONT the old primary's pushes reach no majority (the replicas take pushes only from the primary
     * their placement names), it is brought up to date, and every acknowledged push is on every copy.
     */
    @Test
    void aHungPrimaryIsReplacedAndItsPushesReachNoMajorityOnceBack() throws Exception {
        String name = "partition/r";
        Client client = pushedAs("partition", name);
        GitCli git = client.git();
        Path source = client.source();
        String primary = primary(name);
        String replica = replicas(name).get(0);
        String replicaUrl = nodeUrls.get(nodeIndex(replica)) + "/" + name + ".git";
        String before = git.ok(source, "rev-parse", "HEAD").strip();
        long pid = cluster.pids.get(nodeIndex(primary));
        signal("STOP", pid);
        long stopped = System.nanoTime();
        try {
            // reads on a replica are its own: no wait for the hung primary
            HttpResponse<String> refs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(replicaUrl + "/info/refs?service=git-upload-pack")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, refs.statusCode());
            assertTrue(refs.body().contains(before), refs.body());
            // pushes: forwarded to the hung primary until JGroups suspects it, then taken over
            Await.until(Duration.ofSeconds(90), "the replicas give up on " + primary, () -> {
                try {
                    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(replicaUrl
                            + "/info/refs?service=git-receive-pack")).timeout(Duration.ofSeconds(3)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (java.io.IOException e) {
                    return false; // no answer within 3 s: forwarded to the hung primary
                }
            });
            commit(git, source, "while " + primary + " hangs");
            pushRetrying(git, source, replicaUrl);
            System.out.printf("SIGSTOP of the primary %s: next acknowledged push after %d ms%n", primary,
                    (System.nanoTime() - stopped) / 1_000_000);
        } finally {
            signal("CONT", pid);
        }
        String acknowledged = git.ok(source, "rev-parse", "HEAD").strip();
        // the old primary, back: a push to it is either taken by the new primary or refused, never kept aside
        commit(git, source, "to the old primary");
        GitCli.Result late = git.run(source, "push", "-q", nodeUrls.get(nodeIndex(primary)) + "/" + name + ".git", "main");
        String newest = late.exitCode() == 0 ? git.ok(source, "rev-parse", "HEAD").strip() : acknowledged;
        Await.until(Duration.ofSeconds(180), primary + " current again", () -> replicas(name).contains(primary)
                || primary(name).equals(primary));
        String now = primary(name);
        for (String node : nodeUrls) {
            String tip = advertised(git, source, node + "/" + name + ".git").get("refs/heads/main");
            git.ok(source, "merge-base", "--is-ancestor", newest, tip);
        }
        for (String copy : replicas(name)) {
            assertEquals(localRefs(now, name), localRefs(copy, name), name + " on " + copy);
        }
    }

    // ---- helpers ----

    /** A git client with a sample repository of its own. */
    private record Client(GitCli git, Path source) {
    }

    /** A new client ({@code label} names its directories) whose sample repository it pushed as {@code name}. */
    private static Client pushedAs(String label, String name) throws Exception {
        GitCli git = new GitCli(dir.resolve("home-" + label));
        Path source = SampleRepository.create(git, dir.resolve("source-" + label));
        git.ok(source, "push", "-q", frontUrl + "/" + name + ".git", "main");
        return new Client(git, source);
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    private static void commit(GitCli git, Path work, String text) throws Exception {
        Files.writeString(work.resolve("replicated.txt"), text + "\n");
        git.ok(work, "add", "replicated.txt");
        git.ok(work, "commit", "-q", "-m", text);
    }

    /** Pushes until acknowledged: a push in the moment a node leaves may be refused (503, "try again"). */
    private static void pushRetrying(GitCli git, Path source, String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        GitCli.Result r;
        while ((r = git.run(source, "push", "-q", url, "main")).exitCode() != 0) {
            assertTrue(System.nanoTime() < deadline, r.stderr());
        }
    }

    private static TreeMap<String, String> advertised(GitCli git, Path source, String url) throws Exception {
        TreeMap<String, String> refs = new TreeMap<>();
        for (String line : git.ok(source, "ls-remote", url).split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 2 && f[1].startsWith("refs/")) {
                refs.put(f[1], f[0]);
            }
        }
        return refs;
    }

    private static String details(String name) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(frontUrl + "/-/api/v1/repos/" + name + ".git")).header("Authorization", "Bearer " + TOKEN)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** Whether the API finds {@code name} through the balancer. */
    private static boolean placed(String name) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(frontUrl + "/-/api/v1/repos/" + name
                + ".git")).header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() == 200;
    }

    private static String primary(String name) throws Exception {
        Matcher m = OWNER.matcher(details(name));
        assertTrue(m.find());
        return m.group(1);
    }

    private static List<String> replicas(String name) throws Exception {
        String body = details(name);
        Matcher m = REPLICAS.matcher(body);
        assertTrue(m.find(), body);
        return m.group(1).isEmpty() ? List.of()
                : Arrays.stream(m.group(1).split(",")).map(s -> s.replace("\"", "")).toList();
    }

    private static int nodeIndex(String node) {
        return Integer.parseInt(node.substring("node-".length())) - 1;
    }

    /** The repository's file on {@code node}'s disk (DATA_DIR/team.d/app.git.sqlite). */
    private static Path file(String node, String name) {
        int slash = name.lastIndexOf('/');
        return dir.resolve(node + "/repositories/" + name.substring(0, slash) + ".d/" + name.substring(slash + 1)
                + ".git.sqlite");
    }

    private static Connection open(String node, String name) throws Exception {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        return config.createConnection("jdbc:sqlite:" + file(node, name));
    }

    private static TreeMap<String, String> localRefs(String node, String name) throws Exception {
        TreeMap<String, String> refs = new TreeMap<>();
        try (Connection c = open(node, name); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name, object_id FROM ref WHERE object_id IS NOT NULL")) {
            while (rs.next()) {
                refs.put(rs.getString(1), rs.getString(2));
            }
        }
        return refs;
    }

    private static long localGeneration(String node, String name) throws Exception {
        try (Connection c = open(node, name); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT value FROM setting WHERE key = 'generation'")) {
            return rs.next() ? Long.parseLong(rs.getString(1)) : 0;
        }
    }

}
