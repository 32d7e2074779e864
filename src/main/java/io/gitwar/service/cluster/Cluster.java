package io.gitwar.service.cluster;

import io.gitwar.config.ClusterConfig;
import io.gitwar.event.RepositoryCreated;
import io.gitwar.event.RepositoryDeleted;
import io.gitwar.event.RepositoryRenamed;
import io.gitwar.service.ActorRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.NamingException;

/**
 * This node's view of the placement: which node answers for a repository. Off (no cluster
 * configured), every repository is {@link Placement.Local} and nothing else is touched.
 *
 * <p>On, at start, the node records its base URL and claims every repository file it holds: its own
 * files are the truth. A name another node claims already is marked claimed by both, and then
 * refused on every node until an operator removes one of the files (a split brain, or a copy put
 * there by hand). A new repository is placed by its first push ({@link #place}): the node
 * {@link Rendezvous} chooses among the live ones, written with one {@code putIfAbsent}, so two nodes
 * racing to create the same name agree on its owner.
 *
 * <p>Membership is the view of the placement cache's container, i.e. JGroups' view of the server's
 * channel: read at each request, never cached here, so a dead owner is noticed as soon as JGroups'
 * failure detection removes it (FD_SOCK2 at once for a killed process, FD_ALL3 for a hung one).
 *
 * <p>The placement cache holds {@code repo:<name>} to {@code "<node> active"} (or
 * {@code "<node>,<node> conflict"}), {@code node:<node>} to the node's base URL, and {@code secret}:
 * random bytes the first node to join chose ({@code putIfAbsent}, so all agree), which a node shows
 * in the requests it forwards ({@link #isSecret}) so that their owner may believe what they say of
 * the client. It lives as long as some node of the cluster does (the cache is in memory only).
 */
@ApplicationScoped
public class Cluster {

    private static final Logger LOG = Logger.getLogger(Cluster.class.getName());
    static final String REPO = "repo:";
    static final String NODE = "node:";
    /** The nodes' shared secret, by which one knows a request another node forwarded. */
    static final String SECRET = "secret";
    /** 256 random bits: beyond any stranger's guessing, one request per guess. */
    private static final int SECRET_BYTES = 32;
    /** Names read from the data directory per page at start. */
    private static final int PAGE = 1000;
    /** How long the deployment waits for the placement cache to start (JGroups' join takes seconds). */
    private static final Duration CACHE_WAIT = Duration.ofSeconds(120);

    private ClusterConfig config;
    private ActorRegistry registry;
    private volatile PlacementStore store;

    @Inject
    public Cluster(ClusterConfig config, ActorRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    /** For CDI's proxy; never called by gitwar. */
    protected Cluster() {
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) throws IOException, NamingException {
        if (!config.enabled()) {
            return;
        }
        PlacementStore s = awaitStore();
        List<String> names = new ArrayList<>();
        for (List<String> page = registry.dataDirectory().names("", null, PAGE); !page.isEmpty();
                page = registry.dataDirectory().names("", page.get(page.size() - 1), PAGE)) {
            names.addAll(page);
        }
        for (String name : unfinishedMovesHere(s, names)) {
            // a copy another node was moving here when this node stopped: that node still holds the
            // repository (or took it back), so this copy is not the repository
            registry.dataDirectory().remove(name, Duration.ZERO);
            names.remove(name);
            LOG.warning(() -> "dropped the copy of " + name + " an unfinished move left here");
        }
        join(s, config.url(), names);
        LOG.info(() -> "cluster node " + s.self() + " at " + config.url() + " joined; members " + s.members()
                + "; " + names.size() + " repositories registered");
    }

    /**
     * The placement cache, once it has started: {@link CacheActivator} started it with the
     * deployment, and joining the cluster (JGroups' discovery, the cache's state transfer) may
     * still be under way.
     */
    private PlacementStore awaitStore() throws NamingException {
        long deadline = System.nanoTime() + CACHE_WAIT.toNanos();
        while (true) {
            try {
                return InfinispanStore.lookup(config.cacheJndiName());
            } catch (NamingException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the placement cache", e);
            }
        }
    }

    /** Joins through {@code s}: records this node's URL, claims its repositories. */
    void join(PlacementStore s, String url, Iterable<String> localNames) {
        s.putIfAbsent(SECRET, newSecret());
        s.put(NODE + s.self(), url);
        for (String name : localNames) {
            claim(s, name);
        }
        store = s;
    }

    /** Names held here whose entry says another node was moving them here: copies, not repositories. */
    static List<String> unfinishedMovesHere(PlacementStore s, List<String> names) {
        List<String> copies = new ArrayList<>();
        for (String name : names) {
            PlacementEntry entry = entry(s, name);
            if (entry != null && entry.movingTo(s.self()) && !entry.names(s.self())) {
                copies.add(name);
            }
        }
        return copies;
    }

    private static void claim(PlacementStore s, String name) {
        String mine = PlacementEntry.active(s.self()).format();
        String now = s.putIfAbsent(REPO + name, mine);
        PlacementEntry entry = PlacementEntry.parse(now);
        if (entry.state() == PlacementEntry.State.MOVING && entry.names(s.self())) {
            // a move this node began did not finish (it stopped meanwhile): it holds the repository still
            s.replace(REPO + name, now, mine);
            return;
        }
        while (!entry.names(s.self())) {
            LOG.log(Level.SEVERE, "repository {0} is held by {1} and by this node {2}: refused on both until one"
                    + " file is removed", new Object[] {name, entry.nodes(), s.self()});
            if (s.replace(REPO + name, now, entry.withClaimBy(s.self()).format())) {
                return;
            }
            now = s.get(REPO + name);
            entry = PlacementEntry.parse(now);
        }
    }

    private static PlacementEntry entry(PlacementStore s, String name) {
        return PlacementEntry.parse(s.get(REPO + name));
    }

    /*
     * Repositories made or removed on this node by other means than a first push (the API's create,
     * fork, restore, rename and delete): the placement follows once they are committed. The events
     * come on gitwar's event thread shortly after the commit, so for that moment the repository
     * exists here unplaced (other nodes answer 404 for it, never another repository).
     */

    void created(@Observes RepositoryCreated event) {
        PlacementStore s = store;
        if (s != null) {
            claim(s, event.repository());
        }
    }

    void deleted(@Observes RepositoryDeleted event) {
        if (!replicated(event.repository())) {
            release(event.repository()); // a replicated one's entry goes once its copies went (Replication)
        }
    }

    void renamed(@Observes RepositoryRenamed event) {
        PlacementStore s = store;
        if (s != null) {
            claim(s, event.to());
            release(event.from());
        }
    }

    private void release(String name) {
        PlacementStore s = store;
        String value = s == null ? null : s.get(REPO + name);
        PlacementEntry entry = PlacementEntry.parse(value);
        if (entry != null && entry.state() == PlacementEntry.State.ACTIVE && entry.owner().equals(s.self())) {
            s.remove(REPO + name, value);
        }
    }

    public boolean clustered() {
        return store != null;
    }

    /** This node's name in the cluster, or null without one. */
    public String self() {
        PlacementStore s = store;
        return s == null ? null : s.self();
    }

    /** The cluster's shared secret, or null without a cluster: never to be sent to anyone but a node. */
    public String secret() {
        PlacementStore s = store;
        // read at each use, never kept: after a split brain heals, the cache holds the one all agree on
        return s == null ? null : s.get(SECRET);
    }

    /** Whether {@code presented} is the cluster's secret, compared in constant time. */
    public boolean isSecret(String presented) {
        String secret = secret();
        return secret != null && presented != null && MessageDigest.isEqual(
                presented.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    }

    private static String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Where requests for {@code name} are answered now. */
    public Placement locate(String name) {
        PlacementStore s = store;
        if (s == null) {
            return new Placement.Local();
        }
        PlacementEntry entry = entry(s, name);
        if (entry == null) {
            return new Placement.Unplaced();
        }
        if (entry.state() == PlacementEntry.State.CONFLICT) {
            return new Placement.Unavailable("repository " + name + " is claimed by nodes " + entry.nodes()
                    + "; it is served by none until one copy is removed");
        }
        List<String> members = s.members();
        if (!members.contains(entry.owner())) {
            entry = failOver(s, name, entry, members);
            if (entry == null) {
                return new Placement.Unplaced(); // deleted meanwhile
            }
        }
        String owner = entry.owner();
        if (owner.equals(s.self())) {
            return new Placement.Local();
        }
        if (!members.contains(owner)) {
            return new Placement.Unavailable("repository " + name + " is on node " + owner
                    + ", which is not in the cluster now");
        }
        String url = s.get(NODE + owner);
        return url == null ? new Placement.Unavailable("node " + owner + " has no URL") : new Placement.Remote(owner, url);
    }

    /**
     * Where a read of {@code name} (a clone, a fetch, a dumb file, a page) is answered: here if this
     * node is one of its replicas (they hold every acknowledged push: one that missed a push was
     * marked stale before git heard "ok"), else as {@link #locate}.
     */
    public Placement locateRead(String name) {
        PlacementStore s = store;
        PlacementEntry entry = s == null ? null : entry(s, name);
        if (entry != null && entry.state() == PlacementEntry.State.ACTIVE && entry.replicas().contains(s.self())) {
            return new Placement.Local();
        }
        return locate(name);
    }

    /**
     * The entry once a live replica took over from a primary that left the cluster: the first live
     * one of the entry's replicas (they hold every acknowledged push), written with one compare and
     * swap, so that nodes failing over at once agree on one. Unchanged when no replica is live.
     */
    private static PlacementEntry failOver(PlacementStore s, String name, PlacementEntry entry, List<String> members) {
        for (int attempt = 0; attempt < CAS_ATTEMPTS && entry != null && !members.contains(entry.owner()); attempt++) {
            String heir = entry.replicas().stream().filter(members::contains).findFirst().orElse(null);
            if (heir == null) {
                return entry;
            }
            PlacementEntry promoted = entry.promoted(heir);
            if (s.replace(REPO + name, entry.format(), promoted.format())) {
                String from = entry.owner();
                LOG.warning(() -> "repository " + name + ": node " + heir + " took over from " + from
                        + ", which left the cluster");
                return promoted;
            }
            entry = entry(s, name);
        }
        return entry;
    }

    /** Compare-and-swap attempts on one entry before a change gives up (others keep changing it). */
    private static final int CAS_ATTEMPTS = 16;

    /**
     * The nodes a push this node answers for must reach: the entry's replicas, and how many copies
     * must hold it (a majority of every node that holds one, stale ones included) before git hears
     * "ok". Null when {@code name} is not replicated or not this node's.
     */
    public ReplicaSet replicaSet(String name) {
        PlacementStore s = store;
        PlacementEntry entry = s == null ? null : entry(s, name);
        if (entry == null || entry.state() != PlacementEntry.State.ACTIVE || !entry.owner().equals(s.self())
                || (entry.replicas().isEmpty() && entry.stale().isEmpty())) {
            return null;
        }
        int copies = 1 + entry.replicas().size() + entry.stale().size();
        return new ReplicaSet(entry.replicas(), copies / 2 + 1);
    }

    /** A replicated repository's replicas, and how many copies (its primary's included) a push needs. */
    public record ReplicaSet(List<String> replicas, int needed) {
    }

    /**
     * Records that {@code replica} may miss a push this node is about to acknowledge: it is never
     * promoted nor read from until it has caught up.
     *
     * @return false if this node no longer answers for {@code name} (the push must not be acknowledged)
     */
    public boolean markStale(String name, String replica) {
        boolean marked = change(name, e -> e.replicas().contains(replica) ? e.withStale(replica) : e);
        if (marked) {
            LOG.warning(() -> "repository " + name + ": replica " + replica + " missed a push; it is stale now");
        }
        return marked;
    }

    /** Whether {@code name} is kept on several nodes (its entry names replicas or stale copies). */
    public boolean replicated(String name) {
        PlacementStore s = store;
        PlacementEntry entry = s == null ? null : entry(s, name);
        return entry != null && !(entry.replicas().isEmpty() && entry.stale().isEmpty());
    }

    /** Removes the entry of a replicated repository this node deleted, once its copies were told. */
    public void releaseReplicated(String name) {
        release(name);
    }

    /** The replicas and stale copies of a repository this node is the primary of, or null. */
    public ReplicaState replicaState(String name) {
        PlacementStore s = store;
        PlacementEntry entry = s == null ? null : entry(s, name);
        return entry == null || entry.state() != PlacementEntry.State.ACTIVE || !entry.owner().equals(s.self())
                ? null : new ReplicaState(name, entry.replicas(), entry.stale());
    }

    /** A replicated repository this node is the primary of: its replicas and its stale copies. */
    public record ReplicaState(String name, List<String> replicas, List<String> stale) {
    }

    /** The replicated repositories this node is the primary of, from this node's copy of the placement. */
    public List<ReplicaState> primaryHere() {
        PlacementStore s = store;
        if (s == null) {
            return List.of();
        }
        List<ReplicaState> found = new ArrayList<>();
        for (var e : s.entries(REPO).entrySet()) {
            PlacementEntry entry = PlacementEntry.parse(e.getValue());
            if (entry.state() == PlacementEntry.State.ACTIVE && entry.owner().equals(s.self())
                    && !(entry.replicas().isEmpty() && entry.stale().isEmpty())) {
                found.add(new ReplicaState(e.getKey().substring(REPO.length()), entry.replicas(), entry.stale()));
            }
        }
        return found;
    }

    /**
     * Puts {@code node}'s copy, just brought up to date in this node's write turn, back among the
     * replicas of {@code name}.
     *
     * @return false if the entry is no longer this node's or {@code node} is no stale copy of it
     */
    public boolean markCurrent(String name, String node) {
        return change(name, e -> e.stale().contains(node) ? e.withCurrent(node) : null);
    }

    /**
     * Gives up {@code gone}'s copy of {@code name} (its node left the cluster long ago) for a new one
     * on {@code newcomer}, stale until it has been copied there.
     */
    public boolean replaceNode(String name, String gone, String newcomer) {
        return change(name, e -> e.names(gone) && !e.names(newcomer) ? e.withReplacement(gone, newcomer) : null);
    }

    /**
     * A compare-and-swap of an entry this node is the primary of: {@code how} gives the new entry,
     * the same one if there is nothing to change, or null if the change does not apply.
     */
    private boolean change(String name, java.util.function.UnaryOperator<PlacementEntry> how) {
        PlacementStore s = store;
        for (int attempt = 0; s != null && attempt < CAS_ATTEMPTS; attempt++) {
            PlacementEntry entry = entry(s, name);
            if (entry == null || entry.state() != PlacementEntry.State.ACTIVE || !entry.owner().equals(s.self())) {
                return false;
            }
            PlacementEntry changed = how.apply(entry);
            if (changed == null || changed.equals(entry)) {
                return changed != null; // nothing to change: done, or not applicable
            }
            if (s.replace(REPO + name, entry.format(), changed.format())) {
                return true;
            }
        }
        return false;
    }

    /** Whether this node holds a stale copy of {@code name}, which its primary may replace with a current one. */
    public boolean staleHere(String name) {
        PlacementStore s = store;
        PlacementEntry entry = s == null ? null : entry(s, name);
        return entry != null && entry.stale().contains(s.self());
    }

    /** The node the placement names for {@code name} (a replicated one's primary), or null. */
    public String ownerOf(String name) {
        PlacementStore s = store;
        PlacementEntry entry = s == null ? null : entry(s, name);
        return entry == null ? null : entry.owner();
    }

    /** Whether this node holds {@code name} as one of its replicas (the primary sends it pushes). */
    public boolean replicatesHere(String name) {
        PlacementStore s = store;
        PlacementEntry entry = s == null ? null : entry(s, name);
        return entry != null && entry.replicas().contains(s.self());
    }

    /**
     * Where a push to {@code name} goes: its owner, or, for a name nobody holds, the node the policy
     * chooses now, recorded atomically (whichever node's write wins, all agree).
     */
    public Placement place(String name) {
        PlacementStore s = store;
        if (s == null) {
            return new Placement.Local();
        }
        if (s.get(REPO + name) == null) {
            // the primary, then its replicas: the next nodes in the name's order (as many as there are)
            List<String> ranked = Rendezvous.rank(name, s.members());
            List<String> replicas = ranked.subList(1, Math.min(ranked.size(), config.copies()));
            s.putIfAbsent(REPO + name, PlacementEntry.replicated(ranked.get(0), replicas).format());
        }
        return locate(name);
    }

    /**
     * Places a repository the API is about to create on this node, unless another node holds the name.
     *
     * @return the node that holds the name, this one if it may create it; null without a cluster
     */
    public String claimNew(String name) {
        PlacementStore s = store;
        if (s == null) {
            return null;
        }
        return PlacementEntry.parse(s.putIfAbsent(REPO + name, PlacementEntry.active(s.self()).format())).owner();
    }

    /** Gives up a name {@link #claimNew} placed here whose creation failed (nothing was made). */
    public void unclaim(String name) {
        release(name);
    }

    /** The live nodes, this one included; empty without a cluster. */
    public List<String> members() {
        PlacementStore s = store;
        return s == null ? List.of() : s.members();
    }

    /** A live node's base URL, or null. */
    public String urlOf(String node) {
        PlacementStore s = store;
        return s == null || !s.members().contains(node) ? null : s.get(NODE + node);
    }

    /** Marks a repository this node holds as moving to {@code target}; false if it is not held here, active. */
    public boolean beginMove(String name, String target) {
        PlacementStore s = store;
        return s != null && s.replace(REPO + name, PlacementEntry.active(s.self()).format(),
                PlacementEntry.moving(s.self(), target).format());
    }

    /** Hands a moving repository to its target: from now on every node sends its requests there. */
    public boolean finishMove(String name, String target) {
        PlacementStore s = store;
        return s != null && s.replace(REPO + name, PlacementEntry.moving(s.self(), target).format(),
                PlacementEntry.active(target).format());
    }

    /** Takes a move back: the repository stays here, active. */
    public void abortMove(String name, String target) {
        PlacementStore s = store;
        if (s != null) {
            s.replace(REPO + name, PlacementEntry.moving(s.self(), target).format(),
                    PlacementEntry.active(s.self()).format());
        }
    }

    /** The node moving {@code name} to this one now, or null: only then may a copy of it be received here. */
    public String movingHereFrom(String name) {
        PlacementStore s = store;
        PlacementEntry entry = s == null ? null : entry(s, name);
        return entry != null && entry.movingTo(s.self()) ? entry.owner() : null;
    }

    /**
     * Whether a repository this node does not hold may be created here now: always without a
     * cluster; in one, when the placement names this node (placing the name here if nobody holds it).
     */
    public boolean mayCreateHere(String name) {
        return store == null || place(name) instanceof Placement.Local;
    }

    /** A repository no live node answers for: its owner is gone, or two nodes claim it. */
    public record Unserved(String name, String owner, String reason) {
    }

    /**
     * The repositories no node answers for now whose names start with {@code prefix} and sort after
     * {@code cursor} (null: from the first), at most {@code limit}, sorted by name: what the listing
     * shows as unavailable beside what the live nodes list. Read from this node's copy of the
     * placement; empty without a cluster.
     */
    public List<Unserved> unserved(String prefix, String cursor, int limit) {
        PlacementStore s = store;
        if (s == null) {
            return List.of();
        }
        List<String> members = s.members();
        List<Unserved> found = new ArrayList<>();
        for (var e : s.entries(REPO + (prefix == null ? "" : prefix)).entrySet()) {
            String name = e.getKey().substring(REPO.length());
            if (cursor != null && name.compareTo(cursor) <= 0) {
                continue;
            }
            PlacementEntry entry = PlacementEntry.parse(e.getValue());
            if (entry.state() == PlacementEntry.State.CONFLICT) {
                found.add(new Unserved(name, String.join(",", entry.nodes()), "claimed by nodes " + entry.nodes()));
            } else if (!members.contains(entry.owner())) {
                found.add(new Unserved(name, entry.owner(), "node " + entry.owner() + " is not in the cluster now"));
            }
        }
        found.sort(java.util.Comparator.comparing(Unserved::name));
        return found.size() > limit ? found.subList(0, limit) : found;
    }
}
