package io.gitwar.service.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.event.RepositoryCreated;
import io.gitwar.event.RepositoryDeleted;
import io.gitwar.event.RepositoryRenamed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The placement decisions over a shared in-memory map standing for the replicated cache (whose
 * conditional writes are atomic, as a ConcurrentMap's), with the view as a set the test changes.
 */
class ClusterTest {

    private final ConcurrentMap<String, String> shared = new ConcurrentHashMap<>();
    private final Set<String> view = ConcurrentHashMap.newKeySet();

    /** Each node's files: name to generation and copy record (null record: not replicated). */
    private final ConcurrentMap<String, ConcurrentMap<String, Cluster.LocalCopy>> disks = new ConcurrentHashMap<>();

    private Cluster node(String name, String... files) {
        return node(name, 1, files);
    }

    /** A node placing new repositories on {@code copies} nodes, holding {@code files} not replicated. */
    private Cluster node(String name, int copies, String... files) {
        return node(name, copies, false, files);
    }

    private Cluster node(String name, int copies, boolean minorityReads, String... files) {
        for (String f : files) {
            disk(name).putIfAbsent(f, new Cluster.LocalCopy(0, null));
        }
        view.add(name);
        Cluster c = new Cluster(new io.gitwar.config.ClusterConfig(true, "http://" + name + "/git", "cache", copies, java.time.Duration.ZERO, minorityReads), null);
        c.join(new Store(name), "http://" + name + "/git", List.copyOf(disk(name).keySet()), files(name));
        return c;
    }

    private ConcurrentMap<String, Cluster.LocalCopy> disk(String node) {
        return disks.computeIfAbsent(node, n -> new ConcurrentHashMap<>());
    }

    private Cluster.LocalFiles files(String node) {
        return new Cluster.LocalFiles() {
            @Override
            public Cluster.LocalCopy copy(String name) {
                return disk(node).get(name);
            }

            @Override
            public void drop(String name) {
                disk(node).remove(name);
            }
        };
    }

    /** {@code node}'s file of {@code name} at {@code generation}, its last push seen as {@code entry} in {@code incarnation}. */
    private void file(String node, String name, long generation, String incarnation, String entry) {
        disk(node).put(name, new Cluster.LocalCopy(generation, new CopyRecord(incarnation, PlacementEntry.parse(entry))));
    }

    /** The whole cluster stops: the cache, in memory only, is gone; the files stay. */
    private void stopAll() {
        shared.clear();
        view.clear();
    }

    @Test
    void afterTheWholeClusterRestartedTheCopyHoldingEveryAcknowledgedPushServes() {
        // generation 6 reached node-1 (primary) and node-2; node-3 missed it and was marked stale
        file("node-1", "r", 6, "i1", "node-1 active replicas=node-2 stale=node-3");
        file("node-2", "r", 6, "i1", "node-1 active replicas=node-2,node-3");
        file("node-3", "r", 5, "i1", "node-1 active replicas=node-2,node-3");
        Cluster three = node("node-3", 3);
        assertInstanceOf(Placement.Unavailable.class, three.locate("r"), "one report of three named nodes");
        assertTrue(((Placement.Unavailable) three.locate("r")).reason().contains("recovering"),
                three.locate("r").toString());
        assertEquals(1, three.unserved("", null, 10).size());
        Cluster two = node("node-2", 3);
        // two of three reported: node-2 holds the newest generation among copies believed current
        assertEquals("node-2 active stale=node-3,node-1", shared.get(Cluster.REPO + "r"));
        assertInstanceOf(Placement.Local.class, two.locate("r"));
        assertEquals(new Placement.Remote("node-2", "http://node-2/git"), three.locate("r"), "its copy is stale");
        Cluster one = node("node-1", 3);
        assertTrue(disk("node-1").containsKey("r"), "named stale: kept, to be brought up to date");
        assertEquals(2, two.replicaSet("r").needed(), "a majority of 3, the stale copies counted");
        assertTrue(two.copyRecord("r").endsWith(" node-2 active stale=node-3,node-1"));
        assertFalse(two.copyRecord("r").startsWith("i1 "), "a new incarnation");
        assertTrue(one.staleHere("r"));
    }

    @Test
    void aCopyThatTookAPushItsPrimaryRolledBackLosesToTheAcknowledgedOne() {
        // node-3 stored push X at 6 too late; node-1 rolled it back, marked node-3 stale, then had
        // push Y acknowledged at 6 on itself and node-2: equal generations, different pushes
        file("node-2", "r", 6, "i1", "node-1 active replicas=node-2 stale=node-3");
        file("node-3", "r", 6, "i1", "node-1 active replicas=node-2,node-3");
        node("node-3", 3);
        node("node-2", 3);
        assertEquals("node-2 active stale=node-3,node-1", shared.get(Cluster.REPO + "r"));
    }

    @Test
    void aNodeSeeingFewerThanAMajorityOfACopysNodesServesNothingOfItUnlessToldToRead() {
        Cluster one = node("node-1", 3);
        Cluster two = node("node-2", 3, true);
        node("node-3", 3);
        shared.put(Cluster.REPO + "q", "node-3 active replicas=node-1,node-2");
        view.remove("node-3");
        assertInstanceOf(Placement.Local.class, one.locateRead("q"), "2 of 3 seen: a majority");
        view.remove("node-2");
        // node-1 alone: the other side may have taken over; no read, no push, no takeover here
        assertInstanceOf(Placement.Unavailable.class, one.locateRead("q"));
        assertInstanceOf(Placement.Unavailable.class, one.locate("q"));
        assertEquals("node-3 active replicas=node-1,node-2", shared.get(Cluster.REPO + "q"));
        view.clear();
        view.add("node-2");
        assertInstanceOf(Placement.Local.class, two.locateRead("q"), "gitwar.cluster.minority-reads=true");
        assertInstanceOf(Placement.Unavailable.class, two.locate("q"));
    }

    @Test
    void aRepositoryTheApiMakesGetsAsManyCopiesAsAPushedOneStaleUntilCopied() {
        Cluster one = node("node-1", 3);
        node("node-2", 3);
        node("node-3", 3);
        assertEquals("node-1", one.claimNew("made"));
        PlacementEntry entry = PlacementEntry.parse(shared.get(Cluster.REPO + "made"));
        assertEquals("node-1", entry.owner());
        assertEquals(List.of(), entry.replicas());
        assertEquals(2, entry.stale().size(), entry.toString());
        one.created(new RepositoryCreated("forked", Instant.now()));
        assertEquals(2, PlacementEntry.parse(shared.get(Cluster.REPO + "forked")).stale().size());
        one.claimRenamed("renamed", List.of("node-3", "node-2"));
        assertEquals("node-1 active stale=node-3,node-2", shared.get(Cluster.REPO + "renamed"));
    }

    @Test
    void aReturningNodeDropsTheCopiesThePlacementGaveAwayOrForgot() {
        Cluster one = node("node-1", 3);
        node("node-2", 3);
        node("node-4", 3);
        String incarnation = shared.get(Cluster.INCARNATION);
        // node-3 was away: "r" was re-replicated to node-4, "gone" deleted, "stable" still names it
        shared.put(Cluster.REPO + "r", "node-1 active replicas=node-2,node-4");
        shared.put(Cluster.REPO + "stable", "node-1 active replicas=node-2 stale=node-3");
        file("node-3", "r", 4, incarnation, "node-1 active replicas=node-2,node-3");
        file("node-3", "gone", 2, incarnation, "node-1 active replicas=node-2,node-3");
        file("node-3", "stable", 2, incarnation, "node-1 active replicas=node-2,node-3");
        file("node-3", "older", 2, "before-the-restart", "node-1 active replicas=node-2,node-3");
        node("node-3", 3, "own");
        assertEquals(java.util.Set.of("stable", "older", "own"), disk("node-3").keySet());
        assertEquals("node-1 active replicas=node-2,node-4", shared.get(Cluster.REPO + "r"), "no conflict");
        assertNull(shared.get(Cluster.REPO + "gone"), "not brought back");
        assertTrue(one.staleHere("stable") == false && shared.get(Cluster.REPO + "stable").contains("stale=node-3"));
        assertTrue(shared.get(Cluster.REPO + "older").contains("recovering"), "a copy from before a restart reports");
        assertEquals("node-3 active", shared.get(Cluster.REPO + "own"));
    }

    @Test
    void aNodesOwnFilesAreLocalThereAndRemoteElsewhere() {
        Cluster one = node("node-1", "team/app");
        Cluster two = node("node-2");
        assertInstanceOf(Placement.Local.class, one.locate("team/app"));
        assertEquals(new Placement.Remote("node-1", "http://node-1/git"), two.locate("team/app"));
        assertInstanceOf(Placement.Unplaced.class, two.locate("other"));
    }

    @Test
    void aPushedRepositoryIsPlacedOnAsManyNodesAsCopiesAndAReplicaTakesOverFromADeadPrimary() {
        Cluster one = node("node-1", 3);
        Cluster two = node("node-2", 3);
        Cluster three = node("node-3", 3);
        Placement placed = one.place("r");
        String primary = ownerSeenBy(one, placed);
        Cluster owner = List.of(one, two, three).stream().filter(c -> c.self().equals(primary)).findFirst().get();
        Cluster.ReplicaSet set = owner.replicaSet("r");
        assertEquals(2, set.replicas().size(), set.toString());
        assertEquals(2, set.needed(), "a majority of 3");
        assertFalse(set.replicas().contains(primary));
        for (String replica : set.replicas()) {
            Cluster c = List.of(one, two, three).stream().filter(n -> n.self().equals(replica)).findFirst().get();
            assertTrue(c.replicatesHere("r"));
            assertNull(c.replicaSet("r"), "only the primary sends pushes");
        }

        view.remove(primary); // killed: JGroups' view drops it
        String heir = set.replicas().get(0);
        Cluster other = List.of(one, two, three).stream().filter(c -> c.self().equals(set.replicas().get(1)))
                .findFirst().get();
        assertEquals(heir, ownerSeenBy(other, other.locate("r")));
        assertEquals(heir + " active replicas=" + set.replicas().get(1) + " stale=" + primary,
                shared.get(Cluster.REPO + "r"));
        Cluster heirNode = List.of(one, two, three).stream().filter(c -> c.self().equals(heir)).findFirst().get();
        assertInstanceOf(Placement.Local.class, heirNode.locate("r"));
        assertEquals(List.of(set.replicas().get(1)), heirNode.replicaSet("r").replicas());
        assertEquals(2, heirNode.replicaSet("r").needed(), "the old primary's copy still counts among the 3");

        // the old primary comes back with its files: a stale copy, no conflict, never served
        view.add(primary);
        Cluster back = node(primary, 3, "r");
        assertEquals(new Placement.Remote(heir, "http://" + heir + "/git"), back.locate("r"));
        assertFalse(back.replicatesHere("r"));
    }

    @Test
    void readsAreAnsweredByEveryCurrentCopyPushesByThePrimary() {
        Cluster one = node("node-1", 2);
        Cluster two = node("node-2", 2);
        Cluster three = node("node-3", 1);
        shared.put(Cluster.REPO + "q", "node-1 active replicas=node-2 stale=node-3");
        assertInstanceOf(Placement.Local.class, two.locateRead("q"));
        assertEquals(new Placement.Remote("node-1", "http://node-1/git"), two.locate("q"), "pushes and the API");
        assertEquals(new Placement.Remote("node-1", "http://node-1/git"), three.locateRead("q"), "a stale copy forwards");
        assertInstanceOf(Placement.Local.class, one.locateRead("q"));
    }

    @Test
    void aReplicaThatMissedAPushIsStaleAndNeverTakesOver() {
        Cluster one = node("node-1", 2);
        Cluster two = node("node-2", 2);
        String primary = ownerSeenBy(one, one.place("s"));
        Cluster owner = primary.equals("node-1") ? one : two;
        Cluster replica = owner == one ? two : one;
        assertEquals(2, owner.replicaSet("s").needed(), "2 of 2");
        assertTrue(owner.markStale("s", replica.self()));
        assertEquals(List.of(), owner.replicaSet("s").replicas());
        assertFalse(replica.replicatesHere("s"));
        assertFalse(replica.markStale("s", owner.self()), "only the primary marks its replicas");
        view.remove(primary);
        assertInstanceOf(Placement.Unavailable.class, replica.locate("s"), "a stale copy is never promoted");
    }

    @Test
    void racingFirstPushesAgreeOnOneOwner() throws Exception {
        List<Cluster> nodes = List.of(node("node-1"), node("node-2"), node("node-3"));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int r = 0; r < 200; r++) {
                String name = "race/" + r;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> owners = new ArrayList<>();
                for (Cluster c : nodes) {
                    owners.add(pool.submit(() -> {
                        go.await();
                        return ownerSeenBy(c, c.place(name));
                    }));
                }
                go.countDown();
                Set<String> distinct = new HashSet<>();
                for (Future<String> f : owners) {
                    distinct.add(f.get());
                }
                assertEquals(1, distinct.size(), name + ": " + distinct);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNameHeldByTwoNodesIsRefusedOnBoth() {
        Cluster one = node("node-1", "dup");
        Cluster two = node("node-2", "dup");
        Cluster three = node("node-3");
        for (Cluster c : List.of(one, two, three)) {
            Placement p = c.locate("dup");
            assertInstanceOf(Placement.Unavailable.class, p);
            assertEquals(true, ((Placement.Unavailable) p).reason().contains("[node-1, node-2]"), p.toString());
        }
    }

    @Test
    void aDeadOwnersRepositoriesAreUnavailableNotUnplacedAndComeBack() {
        node("node-1", "team/app");
        Cluster two = node("node-2");
        view.remove("node-1");
        assertInstanceOf(Placement.Unavailable.class, two.locate("team/app"));
        assertInstanceOf(Placement.Unavailable.class, two.place("team/app")); // a push creates nothing
        node("node-1", "team/app"); // restarted on its old data
        assertInstanceOf(Placement.Remote.class, two.locate("team/app"));
    }

    @Test
    void repositoriesMadeOrRemovedByTheApiMoveThePlacement() {
        Cluster one = node("node-1");
        Cluster two = node("node-2");
        one.created(new RepositoryCreated("made", Instant.now()));
        assertEquals(new Placement.Remote("node-1", "http://node-1/git"), two.locate("made"));
        one.renamed(new RepositoryRenamed("made", "renamed", Instant.now()));
        assertInstanceOf(Placement.Unplaced.class, two.locate("made"));
        assertEquals(new Placement.Remote("node-1", "http://node-1/git"), two.locate("renamed"));
        two.deleted(new RepositoryDeleted("renamed", Instant.now())); // not node-2's: nothing changes
        assertInstanceOf(Placement.Remote.class, two.locate("renamed"));
        one.deleted(new RepositoryDeleted("renamed", Instant.now()));
        assertInstanceOf(Placement.Unplaced.class, two.locate("renamed"));
    }

    @Test
    void aMoveKeepsTheOwnerAnsweringUntilItsSwitchThenEveryNodeNamesTheTarget() {
        Cluster one = node("node-1", "team/app");
        Cluster two = node("node-2");
        Cluster three = node("node-3");
        assertTrue(one.beginMove("team/app", "node-2"));
        assertFalse(one.beginMove("team/app", "node-3"), "one move at a time");
        assertEquals("node-1", two.movingHereFrom("team/app"));
        assertNull(three.movingHereFrom("team/app"), "copies go to the target only");
        assertInstanceOf(Placement.Local.class, one.locate("team/app"));
        assertEquals(new Placement.Remote("node-1", "http://node-1/git"), two.locate("team/app"));

        assertTrue(one.finishMove("team/app", "node-2"));
        assertInstanceOf(Placement.Local.class, two.locate("team/app"));
        assertEquals(new Placement.Remote("node-2", "http://node-2/git"), one.locate("team/app"));
        assertEquals(new Placement.Remote("node-2", "http://node-2/git"), three.locate("team/app"));
        assertNull(two.movingHereFrom("team/app"));
    }

    @Test
    void anAbortedMoveLeavesTheRepositoryWhereItWas() {
        Cluster one = node("node-1", "team/app");
        node("node-2");
        assertTrue(one.beginMove("team/app", "node-2"));
        one.abortMove("team/app", "node-2");
        assertInstanceOf(Placement.Local.class, one.locate("team/app"));
        assertFalse(one.finishMove("team/app", "node-2"));
    }

    @Test
    void aNodeRestartingDuringAMoveKeepsOrDropsItsFileAsThePlacementSays() {
        Cluster one = node("node-1", "team/app");
        node("node-2");
        assertTrue(one.beginMove("team/app", "node-2"));
        // node-2 restarts holding the copy it had received: a copy, not the repository
        assertEquals(List.of("team/app"), Cluster.unfinishedMovesHere(new Store("node-2"), List.of("team/app", "own")));
        // node-1 restarts: the move it began is over, the repository is active there again
        Cluster again = new Cluster(null, null);
        again.join(new Store("node-1"), "http://node-1/git", List.of("team/app"), files("node-1"));
        assertInstanceOf(Placement.Local.class, again.locate("team/app"));
        assertEquals("node-1 active", shared.get("repo:team/app"));
    }

    @Test
    void theApiCreatesOnlyNamesNobodyElseHolds() {
        Cluster one = node("node-1", "taken");
        Cluster two = node("node-2");
        assertEquals("node-1", two.claimNew("taken"));
        assertEquals("node-2", two.claimNew("free"));
        assertEquals("node-2", one.claimNew("free"), "the first claim holds");
        two.unclaim("free");
        assertInstanceOf(Placement.Unplaced.class, one.locate("free"));
    }

    @Test
    void theListingShowsWhatNoLiveNodeServes() {
        Cluster one = node("node-1", "a/one", "a/two", "b/one");
        node("node-2", "a/three", "dup");
        node("node-3", "dup");
        view.remove("node-1");
        assertEquals(List.of("a/one", "a/two"), one.unserved("a/", null, 10).stream().map(Cluster.Unserved::name).toList());
        assertEquals(List.of("a/two"), one.unserved("a/", "a/one", 10).stream().map(Cluster.Unserved::name).toList());
        assertEquals(List.of("a/one"), one.unserved("a/", null, 1).stream().map(Cluster.Unserved::name).toList());
        assertEquals("node-1", one.unserved("b/", null, 10).get(0).owner());
        assertEquals("node-2,node-3", one.unserved("dup", null, 10).get(0).owner());
    }

    @Test
    void theNodesAgreeOnOneRandomSecretWhichNoOtherStringMatches() {
        Cluster one = node("node-1");
        Cluster two = node("node-2");
        String secret = one.secret();
        assertEquals(43, secret.length(), secret); // 32 bytes, base64url
        assertEquals(secret, two.secret());
        assertEquals(true, two.isSecret(secret));
        assertEquals(false, two.isSecret(secret.substring(1)));
        assertEquals(false, two.isSecret(secret + "x"));
        assertEquals(false, two.isSecret(""));
        assertEquals(false, two.isSecret(null));
        assertEquals(false, new Cluster(null, null).isSecret(secret)); // no cluster: nothing is
        shared.clear(); // a new cluster after every node stopped
        assertEquals(false, node("node-3").secret().equals(secret));
    }

    @Test
    void theChoiceSpreadsNamesOverTheNodes() {
        List<String> nodes = List.of("node-1", "node-2", "node-3");
        int[] counts = new int[3];
        for (int i = 0; i < 3000; i++) {
            counts[nodes.indexOf(Rendezvous.choose("repo-" + i, nodes))]++;
        }
        for (int n : counts) {
            assertEquals(true, n > 850 && n < 1150, java.util.Arrays.toString(counts));
        }
    }

    private static String ownerSeenBy(Cluster c, Placement p) {
        return p instanceof Placement.Remote r ? r.node() : p instanceof Placement.Local ? c.self() : p.toString();
    }

    private final class Store implements PlacementStore {
        private final String self;

        Store(String self) {
            this.self = self;
        }

        @Override
        public String self() {
            return self;
        }

        @Override
        public List<String> members() {
            return List.copyOf(new java.util.TreeSet<>(view));
        }

        @Override
        public String get(String key) {
            return shared.get(key);
        }

        @Override
        public String putIfAbsent(String key, String value) {
            String previous = shared.putIfAbsent(key, value);
            return previous == null ? value : previous;
        }

        @Override
        public boolean replace(String key, String expected, String value) {
            return shared.replace(key, expected, value);
        }

        @Override
        public boolean remove(String key, String expected) {
            return shared.remove(key, expected);
        }

        @Override
        public void put(String key, String value) {
            shared.put(key, value);
        }

        @Override
        public java.util.Map<String, String> entries(String prefix) {
            java.util.Map<String, String> found = new java.util.HashMap<>();
            shared.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    found.put(k, v);
                }
            });
            return found;
        }
    }
}
