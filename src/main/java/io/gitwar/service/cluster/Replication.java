package io.gitwar.service.cluster;

import io.gitwar.config.ClusterConfig;
import io.gitwar.config.GitwarConfig;
import io.gitwar.event.RepositoryDeleted;
import io.gitwar.event.RepositoryRenamed;
import io.gitwar.failure.Conflict;
import io.gitwar.failure.RepositoryBusy;
import io.gitwar.failure.Unprocessable;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.Background;
import io.gitwar.service.Lease;
import io.gitwar.service.RepositoryChanged;
import io.gitwar.service.RepositoryName;
import io.gitwar.service.RepositoryWrites;
import io.gitwar.service.admin.RepositoryMoves;
import io.gitwar.service.hooks.Deliverer;
import io.gitwar.service.repack.Repacker;
import io.gitwar.storage.PushReplay;
import io.gitwar.storage.WriteTransaction;
import io.gitwar.storage.file.OutboxRows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * Pushes on every node of a replicated repository (issue 17): the primary sends what a push stored
 * (its packs as stored, its ref changes, the generation it follows) to each replica inside the push's
 * write transaction, before its own commit ({@link #replicate}); each replica applies it in its own
 * write transaction with the same compare-and-swap ({@link #apply}). git hears "ok" only when a
 * majority of the repository's copies hold the push; a replica that missed it is marked stale in the
 * placement first, so that it is never promoted nor read from with a hole in its history.
 */
@ApplicationScoped
public class Replication {

    private static final Logger LOG = Logger.getLogger(Replication.class.getName());
    public static final String REPLICAS = "/-/api/v1/cluster/replicas/";
    /** How long a replica may take to store a push before it counts as missing it. */
    private static final Duration REPLICA_TIMEOUT = Duration.ofSeconds(10);

    private final Cluster cluster;
    private final NodeCalls calls;
    private final ActorRegistry registry;
    private final RepositoryWrites writes;
    private final Repacker repacker;
    private final Relocations relocations;
    private final RepositoryMoves moves;
    private final GitwarConfig config;
    private final ClusterConfig clusterConfig;
    private final Deliverer deliverer;
    /** The replicated repositories this node was the primary of at the last sweep (it delivers their webhooks). */
    private final Set<String> primaryAtLastSweep = ConcurrentHashMap.newKeySet();
    /** When this node first saw each absent node missing (for re-replication), by node. */
    private final Map<String, Long> missingSince = new ConcurrentHashMap<>();

    @Inject
    public Replication(Cluster cluster, NodeCalls calls, ActorRegistry registry, RepositoryWrites writes,
            Repacker repacker, Relocations relocations, RepositoryMoves moves, GitwarConfig config,
            ClusterConfig clusterConfig, Deliverer deliverer) {
        this.deliverer = deliverer;
        this.clusterConfig = clusterConfig;
        this.cluster = cluster;
        this.calls = calls;
        this.registry = registry;
        this.writes = writes;
        this.repacker = repacker;
        this.relocations = relocations;
        this.moves = moves;
        this.config = config;
    }

    /** For CDI's proxy; never called by gitwar. */
    protected Replication() {
        this(null, null, null, null, null, null, null, null, null, null);
    }

    /** Starts the sweep that brings stale copies up to date, when this node is in a cluster. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object event, Background background) {
        if (clusterConfig.enabled()) {
            background.runEvery(SWEEP, "the replicas' sweep", this::sweep);
        }
    }

    /** How often a primary looks for copies to bring up to date or to make anew. */
    private static final Duration SWEEP = Duration.ofSeconds(2);

    /**
     * For each replicated repository this node is the primary of: brings the stale copies on live
     * nodes up to date, and gives up the copies of nodes gone for longer than
     * {@code gitwar.cluster.rereplicate-after-seconds} for new ones on other live nodes.
     */
    void sweep() {
        if (!cluster.clustered()) {
            return;
        }
        cluster.takeOverFromGone();
        List<String> members = cluster.members();
        long now = System.nanoTime();
        missingSince.keySet().retainAll(new java.util.HashSet<>(everyNodeNamed()));
        List<Cluster.ReplicaState> primary = cluster.primaryHere();
        primaryAtLastSweep.retainAll(primary.stream().map(Cluster.ReplicaState::name).toList());
        for (Cluster.ReplicaState state : primary) {
            if (primaryAtLastSweep.add(state.name())) {
                // new here (taken over): the deliveries its outbox holds are this node's to make now
                deliverer.wake(state.name());
            }
            for (String node : concat(state.replicas(), state.stale())) {
                if (members.contains(node)) {
                    missingSince.remove(node);
                    continue;
                }
                long since = missingSince.computeIfAbsent(node, n -> now);
                if (now - since > clusterConfig.rereplicateAfter().toNanos()) {
                    replaceGone(state, node, members);
                }
            }
            for (String node : state.stale()) {
                if (members.contains(node)) {
                    try {
                        catchUp(RepositoryName.parse(state.name()), node);
                    } catch (IOException | RuntimeException e) {
                        LOG.warning(() -> "the copy of " + state.name() + " on node " + node + " was not brought up to date: " + e);
                    }
                }
            }
        }
    }

    private List<String> everyNodeNamed() {
        List<String> all = new java.util.ArrayList<>();
        for (Cluster.ReplicaState state : cluster.primaryHere()) {
            all.addAll(state.replicas());
            all.addAll(state.stale());
        }
        return all;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Gives {@code gone}'s copy of a repository to the live node next in its order that holds none. */
    private void replaceGone(Cluster.ReplicaState state, String gone, List<String> members) {
        String self = cluster.self();
        for (String node : Rendezvous.rank(state.name(), members)) {
            if (!node.equals(self) && !state.replicas().contains(node) && !state.stale().contains(node)) {
                if (cluster.replaceNode(state.name(), gone, node)) {
                    LOG.warning(() -> "repository " + state.name() + ": node " + gone + " is gone; its copy goes to node " + node);
                }
                return;
            }
        }
    }

    /**
     * Makes {@code node}'s copy of {@code name} current: a copy sent while pushes go on, then, in the
     * repository's write turn (pushes wait), a second one if a write ended meanwhile, and the
     * placement's switch of {@code node} from stale to replica; from the next push on it votes.
     */
    void catchUp(RepositoryName name, String node) throws IOException {
        String url = cluster.urlOf(node);
        if (url == null) {
            return;
        }
        URI to = URI.create(url + REPLICAS + name + ".git");
        try (Lease lease = registry.lease(name)) {
            if (!lease.exists()) {
                return;
            }
            long before = lease.actor().writesEnded();
            long started = System.nanoTime();
            long bytes = relocations.sendCopy(lease, to);
            long[] paused = {0};
            boolean current = lease.actor().write(config.pushQueueTimeout(), Integer.MAX_VALUE, store -> {
                long turn = System.nanoTime();
                if (lease.actor().writesEnded() != before) {
                    relocations.sendCopy(lease, to);
                }
                boolean marked = cluster.markCurrent(name.toString(), node);
                paused[0] = System.nanoTime() - turn;
                return marked;
            });
            if (current) {
                LOG.info(() -> "repository " + name + ": the copy on node " + node + " is current again (" + bytes
                        + " bytes, " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms, pushes paused "
                        + Duration.ofNanos(paused[0]).toMillis() + " ms)");
            }
        }
    }

    /**
     * Brings the replicas of a repository this node is the primary of up to date after a change
     * made through the API (its hooks, its settings: what pushes do not carry), one replica after
     * the other, each first marked stale so that none is read from or promoted without the change;
     * the API answers once they are done. Those not done now are the sweep's.
     */
    void changed(@Observes RepositoryChanged event) {
        String name = event.repository();
        Cluster.ReplicaState state = cluster.replicaState(name);
        if (state == null) {
            return;
        }
        for (String replica : state.replicas()) {
            if (!cluster.markStale(name, replica)) {
                return; // no longer this node's
            }
            try {
                catchUp(RepositoryName.parse(name), replica);
            } catch (IOException | RuntimeException e) {
                LOG.warning(() -> "the change of " + name + " did not reach node " + replica + " yet: " + e);
            }
        }
    }

    /**
     * Tells the copies of a replicated repository this node deleted to go too, then removes its
     * entry. A node out of the cluster now drops its copy when it returns ({@link Cluster}).
     */
    void deleted(@Observes RepositoryDeleted event) {
        String name = event.repository();
        Cluster.ReplicaState state = cluster.replicaState(name);
        if (state != null && cluster.replicated(name)) {
            dropCopies(state, "deleted");
            cluster.releaseReplicated(name);
        }
    }

    /**
     * Places the new name of a replicated repository this node renamed on the same nodes (stale
     * there until the sweep copied it), then tells the copies of the old name to go, and removes its
     * entry.
     */
    void renamed(@Observes RepositoryRenamed event) {
        Cluster.ReplicaState state = cluster.replicaState(event.from());
        if (state == null || !cluster.replicated(event.from())) {
            return;
        }
        cluster.claimRenamed(event.to(), concat(state.replicas(), state.stale()));
        dropCopies(state, "renamed to " + event.to());
        cluster.releaseReplicated(event.from());
    }

    private void dropCopies(Cluster.ReplicaState state, String why) {
        String name = state.name();
        for (String node : concat(state.replicas(), state.stale())) {
            String url = cluster.urlOf(node);
            if (url == null) {
                LOG.warning(() -> "repository " + name + " " + why + ": node " + node + ", out of the cluster, drops its"
                        + " copy when it returns");
                continue;
            }
            try {
                HttpResponse<String> answer = calls.send(HttpRequest.newBuilder(URI.create(url + REPLICAS + name + ".git"))
                        .DELETE(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (answer.statusCode() / 100 != 2) {
                    LOG.warning(() -> "repository " + name + " " + why + ": node " + node + " kept its copy: "
                            + answer.statusCode() + " " + answer.body());
                }
            } catch (IOException e) {
                LOG.warning(() -> "repository " + name + " " + why + ": node " + node + " kept its copy: " + e);
            }
        }
    }

    /**
     * Deletes this node's copy of a replicated repository its primary deleted.
     *
     * @throws Conflict if this node holds no copy of {@code name} for a primary (or is its primary)
     */
    public void discardCopy(RepositoryName name) throws IOException {
        if (!cluster.replicatesHere(name.toString()) && !cluster.staleHere(name.toString())) {
            throw new Conflict("this node holds no replica of repository " + name);
        }
        moves.discard(name);
    }

    /**
     * Keeps a current copy of {@code name} in place of this node's stale one (see {@link #catchUp}).
     *
     * @throws Conflict if this node holds no stale copy of {@code name}
     */
    public void receiveCopy(RepositoryName name, InputStream body, String digest) throws IOException {
        if (!cluster.staleHere(name.toString())) {
            throw new Conflict("this node holds no stale copy of repository " + name);
        }
        byte[] sha256 = Relocations.parseDigest(digest);
        if (sha256 == null) {
            throw new Unprocessable("a copy needs its " + Relocations.DIGEST_HEADER + ": sha-256=:<base64>:");
        }
        moves.adopt(name, body, sha256);
    }

    /**
     * Stores the push of {@code tx} on the repository's replicas, if it has any; called in the push's
     * write transaction after it stored its packs and refs, before the commit.
     *
     * @param generation the repository's generation with this push
     * @throws RepositoryBusy if fewer copies than a majority hold the push (the caller rolls it back;
     *         git reads why and may try again)
     */
    public void replicate(WriteTransaction tx, String name, long generation, List<ReceiveCommand> updated,
            Instant at) throws IOException {
        Cluster.ReplicaSet set = cluster.replicaSet(name);
        if (set == null) {
            if (cluster.replicated(name)) {
                // replicated, but no longer this node's: another took over while the push came
                throw new RepositoryBusy("repository " + name + " is served by node " + cluster.ownerOf(name)
                        + " now; nothing was stored, try again");
            }
            return;
        }
        List<PushReplay.RefChange> refs = updated.stream()
                .map(c -> new PushReplay.RefChange(c.getRefName(), c.getOldId(), c.getNewId())).toList();
        List<OutboxRows.Pending> owed = tx.outbox().all();
        int holding = 1;
        StringBuilder missed = new StringBuilder();
        // one replica after the other: the packs are read from this transaction's rows for each
        for (String replica : set.replicas()) {
            String failure = send(tx, replica, name, generation - 1, at, refs, owed);
            if (failure == null) {
                holding++;
                continue;
            }
            missed.append(missed.length() == 0 ? "" : "; ").append(replica).append(": ").append(failure);
            if (!cluster.markStale(name, replica)) {
                throw new RepositoryBusy("repository " + name + " changed nodes during the push; try again");
            }
        }
        if (holding < set.needed()) {
            throw new RepositoryBusy("the push reached " + holding + " of the " + set.needed()
                    + " nodes it must be stored on (" + missed + "); nothing was stored, try again");
        }
        // the copies as they are after this push (a replica that missed it is stale): read back
        // after a restart of the whole cluster, to tell which copies hold it (Recovery)
        tx.recordCopies(cluster.copyRecord(name));
    }

    /** Sends the push to one replica; null once it stored it, else why not. */
    private String send(WriteTransaction tx, String replica, String name, long follows, Instant at,
            List<PushReplay.RefChange> refs, List<OutboxRows.Pending> owed) {
        String url = cluster.urlOf(replica);
        String copies = cluster.copyRecord(name);
        if (url == null) {
            return "not in the cluster";
        }
        if (copies == null) {
            return "the repository's placement changed";
        }
        try {
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofInputStream(() -> {
                try {
                    // the packs' streams opened as the body is sent (read from this transaction's rows)
                    // the copies as they are now: replicas that missed this push before are stale in it
                    return new ReplicatedPush(cluster.self(), copies, follows, at, refs, owed, tx.receivedPacks())
                            .body();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            HttpResponse<String> answer = calls.send(HttpRequest.newBuilder(URI.create(url + REPLICAS + name + ".git"))
                    .timeout(REPLICA_TIMEOUT).header("Content-Type", "application/octet-stream").POST(body),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return answer.statusCode() / 100 == 2 ? null : answer.statusCode() + " " + answer.body().strip();
        } catch (IOException | UncheckedIOException e) {
            LOG.warning(() -> "push to " + name + " not stored on replica " + replica + ": " + e);
            return e.getMessage();
        }
    }

    /**
     * Applies a push its primary sent (the body {@link ReplicatedPush} reads) to this node's copy.
     *
     * @return the copy's generation with it
     * @throws Conflict if this node is no replica of {@code name}, or its copy is not at the
     *         generation the push follows (it missed pushes: the primary marks it stale)
     */
    public long apply(RepositoryName name, InputStream body) throws IOException {
        if (!cluster.replicatesHere(name.toString())) {
            throw new Conflict("this node is no replica of repository " + name);
        }
        ReplicatedPush push = ReplicatedPush.read(body);
        if (!push.primary().equals(cluster.ownerOf(name.toString()))) {
            // a primary that has not heard yet that another took over (it was cut off): its pushes
            // must not reach a majority, or they would be acknowledged beside the new primary's
            throw new Conflict("node " + push.primary() + " is not the primary of " + name + " (" + cluster.ownerOf(
                    name.toString()) + " is)");
        }
        try (Lease lease = registry.lease(name)) {
            long generation = writes.push(lease.actor(),
                    tx -> PushReplay.apply(tx, push.follows(), push.packs(), push.refs(), push.at(), push.copies(),
                    push.outbox()));
            repacker.afterPush(lease.actor());
            return generation;
        } catch (PushReplay.GenerationMismatch e) {
            throw new Conflict("replica of " + name + ": " + e.getMessage());
        }
    }
}
