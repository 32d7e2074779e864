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
    /** The cluster's incarnation ({@link CopyRecord}): random, chosen by the first node to join an empty cache. */
    static final String INCARNATION = "incarnation";
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
        join(s, config.url(), names, new LocalFiles() {
            @Override
            public LocalCopy copy(String name) throws IOException {
                try (io.gitwar.service.Lease lease = registry.lease(io.gitwar.service.RepositoryName.parse(name))) {
                    return new LocalCopy(lease.snapshot().generation(), CopyRecord.parse(lease.snapshot().copies()));
                }
            }

            @Override
            public void drop(String name) throws IOException {
                registry.dataDirectory().remove(name, KEEP_DROPPED);
            }
        });
        LOG.info(() -> "cluster node " + s.self() + " at " + config.url() + " joined; members " + s.members()
                + "; " + names.size() + " repositories registered");
    }

    /** How long a copy this node drops at start stays in the data directory's trash (the trash's default). */
    private static final Duration KEEP_DROPPED = Duration.ofHours(24);

    /** This node's files, as {@link #join} reads them. */
    interface LocalFiles {
        /** The file's generation and the copy record of its last push (null if it is not replicated). */
        LocalCopy copy(String name) throws IOException;

        /** Removes this node's outdated copy of a replicated repository (into the trash). */
        void drop(String name) throws IOException;
    }

    /** A file's generation and copy record (null for a repository not replicated). */
    record LocalCopy(long generation, CopyRecord record) {
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
    void join(PlacementStore s, String url, Iterable<String> localNames, LocalFiles files) {
        s.putIfAbsent(SECRET, newSecret());
        s.putIfAbsent(INCARNATION, newSecret());
        s.put(NODE + s.self(), url);
        for (String name : localNames) {
            try {
                claim(s, name, files);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.SEVERE, "repository " + name + " was not registered in the cluster", e);
            }
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

    /**
     * Registers this node's file of {@code name}: a repository of its own, a copy of a replicated one
     * (kept as the placement names it, or dropped when the placement shows it outdated), or a report
     * of its copy after the whole cluster restarted.
     */
    private static void claim(PlacementStore s, String name, LocalFiles files) throws IOException {
        PlacementEntry entry = entry(s, name);
        if (entry != null && entry.state() != PlacementEntry.State.RECOVERING && entry.names(s.self())) {
            if (entry.state() == PlacementEntry.State.MOVING) {
                // a move this node began did not finish (it stopped meanwhile): it holds the repository still
                s.replace(REPO + name, entry.format(), PlacementEntry.active(s.self()).format());
            }
            return;
        }
        LocalCopy copy = files.copy(name);
        if (copy.record() == null) {
            claimOwn(s, name);
        } else if (entry != null && entry.state() != PlacementEntry.State.RECOVERING) {
            // its copies were given to other nodes while this one was away (re-replication)
            files.drop(name);
            LOG.warning(() -> "repository " + name + ": dropped this node's copy (generation " + copy.generation()
                    + "); the placement has it on " + entry.format() + " now");
        } else if (entry == null && copy.record().incarnation().equals(s.get(INCARNATION))) {
            // the cluster, which lived on since this copy's last push, forgot it: deleted meanwhile
            files.drop(name);
            LOG.warning(() -> "repository " + name + " was deleted while this node was away; dropped its copy");
        } else {
            report(s, name, CopyReport.of(s.self(), copy.generation(), copy.record().view()));
        }
    }

    /** Claims a repository that is this node's alone, or marks it claimed by several nodes. */
    private static void claimOwn(PlacementStore s, String name) {
        claimOwn(s, name, PlacementEntry.active(s.self()));
    }

    /** Claims {@code name} for this node as {@code mine} unless another node holds it (then both do, in conflict). */
    private static void claimOwn(PlacementStore s, String name, PlacementEntry mine) {
        String now = s.putIfAbsent(REPO + name, mine.format());
        PlacementEntry entry = PlacementEntry.parse(now);
        while (entry != null && !entry.names(s.self())) {
            LOG.log(Level.SEVERE, "repository {0} is held by {1} and by this node {2}: refused on both until one"
                    + " file is removed", new Object[] {name, entry.nodes(), s.self()});
            if (entry.state() == PlacementEntry.State.RECOVERING) {
                return; // a replicated repository's copies report: this file is no copy of it
            }
            if (s.replace(REPO + name, now, entry.withClaimBy(s.self()).format())) {
                return;
            }
            now = s.get(REPO + name);
            entry = PlacementEntry.parse(now);
        }
    }

    /**
     * Adds this node's report to a replicated repository's recovering entry (made by the first
     * report), which becomes active once enough have come ({@link Recovery}).
     */
    private static void report(PlacementStore s, String name, CopyReport report) {
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            String now = s.get(REPO + name);
            PlacementEntry entry = PlacementEntry.parse(now);
            PlacementEntry next = entry == null ? PlacementEntry.reported(List.of(report))
                    : entry.state() == PlacementEntry.State.RECOVERING ? entry.withReport(report) : null;
            if (next == null) {
                return; // decided meanwhile, with this node named or not: the sweep or a restart sorts it out
            }
            if (now == null ? next.format().equals(s.putIfAbsent(REPO + name, next.format()))
                    : s.replace(REPO + name, now, next.format())) {
                LOG.info(() -> "repository " + name + ": reported this node's copy (generation " + report.generation()
                        + "); " + (next.state() == PlacementEntry.State.RECOVERING ? "waiting for more" : "now " + next.format()));
                return;
            }
        }
        LOG.severe(() -> "repository " + name + ": this node's copy could not be reported");
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
            claimOwn(s, event.repository(), newHere(s, event.repository()));
        }
    }

    /**
     * The entry of a repository made on this node by other means than a push (the API's create,
     * fork, restore): this node its primary, and as many copies as a push would make, on the next
     * nodes in the name's order, stale until the sweep has copied it there ({@link Replication}).
     */
    private PlacementEntry newHere(PlacementStore s, String name) {
        List<String> others = new ArrayList<>(Rendezvous.rank(name, s.members()));
        others.remove(s.self());
        return new PlacementEntry(List.of(s.self()), PlacementEntry.State.ACTIVE, null, List.of(),
                others.subList(0, Math.min(others.size(), config.copies() - 1)));
    }

    /**
     * Places {@code to}, the new name of a replicated repository this node renamed, on this node with
     * {@code copies} as stale copies (the sweep copies it there under its new name).
     */
    public void claimRenamed(String to, List<String> copies) {
        PlacementStore s = store;
        if (s != null) {
            claimOwn(s, to, new PlacementEntry(List.of(s.self()), PlacementEntry.State.ACTIVE, null, List.of(), copies));
        }
    }

    void deleted(@Observes RepositoryDeleted event) {
        if (!replicated(event.repository())) {
            release(event.repository()); // a replicated one's entry goes once its copies went (Replication)
        }
    }

    void renamed(@Observes RepositoryRenamed event) {
        PlacementStore s = store;
        if (s != null && !replicated(event.from())) { // a replicated one's entries are Replication's to change
            claimOwn(s, event.to());
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
        if (entry.state() == PlacementEntry.State.RECOVERING) {
            return new Placement.Unavailable(recovering(name, entry));
        }
        List<String> members = s.members();
        String cut = cutOff(name, entry, members);
        if (cut != null) {
            return new Placement.Unavailable(cut); // neither a push nor a takeover here: the others may go on
        }
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
            String cut = config.minorityReads() ? null : cutOff(name, entry, s.members());
            return cut == null ? new Placement.Local() : new Placement.Unavailable(cut);
        }
        return locate(name);
    }

    /**
     * Why a replicated repository is not served here: this node sees fewer than a majority of the
     * nodes holding it, so it may be on the minority side of a partition, where the other side may
     * have taken over and acknowledged pushes. Null when it sees a majority (or the repository is on
     * one node).
     */
    private static String cutOff(String name, PlacementEntry entry, List<String> members) {
        if (entry.state() != PlacementEntry.State.ACTIVE || (entry.replicas().isEmpty() && entry.stale().isEmpty())) {
            return null;
        }
        List<String> copies = new ArrayList<>(entry.nodes());
        copies.addAll(entry.replicas());
        copies.addAll(entry.stale());
        long seen = copies.stream().filter(members::contains).count();
        return seen >= copies.size() / 2 + 1 ? null : "repository " + name + " is kept on nodes " + copies
                + ", of which this node sees " + seen + " (cut off from the others?); try again later";
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

    private static String recovering(String name, PlacementEntry entry) {
        List<String> waiting = new ArrayList<>(Recovery.named(entry.reports()));
        waiting.removeAll(entry.nodes());
        return "repository " + name + " is recovering after the cluster's restart: " + Recovery.missing(entry.reports())
                + " more of nodes " + waiting + " must start and report their copies";
    }

    /**
     * What a push of {@code name} records in the repository's files ({@link CopyRecord}): the
     * cluster's incarnation and the entry now. Null when {@code name} is not replicated.
     */
    public String copyRecord(String name) {
        PlacementStore s = store;
        PlacementEntry entry = s == null ? null : entry(s, name);
        String incarnation = s == null ? null : s.get(INCARNATION);
        return entry == null || incarnation == null || entry.state() != PlacementEntry.State.ACTIVE
                || (entry.replicas().isEmpty() && entry.stale().isEmpty()) ? null
                        : new CopyRecord(incarnation, entry).format();
    }

    /**
     * Takes over the replicated repositories whose primary left the cluster and whose heir (first
     * live replica) is this node, without waiting for a request to come for them.
     */
    public void takeOverFromGone() {
        PlacementStore s = store;
        if (s == null) {
            return;
        }
        List<String> members = s.members();
        for (var e : s.entries(REPO).entrySet()) {
            PlacementEntry entry = PlacementEntry.parse(e.getValue());
            if (entry.state() == PlacementEntry.State.ACTIVE && !members.contains(entry.owner())
                    && s.self().equals(entry.replicas().stream().filter(members::contains).findFirst().orElse(null))) {
                failOver(s, e.getKey().substring(REPO.length()), entry, members);
            }
        }
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
        return PlacementEntry.parse(s.putIfAbsent(REPO + name, newHere(s, name).format())).owner();
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
            } else if (entry.state() == PlacementEntry.State.RECOVERING) {
                found.add(new Unserved(name, String.join(",", entry.nodes()), recovering(name, entry)));
            } else if (!members.contains(entry.owner())) {
                found.add(new Unserved(name, entry.owner(), "node " + entry.owner() + " is not in the cluster now"));
            }
        }
        found.sort(java.util.Comparator.comparing(Unserved::name));
        return found.size() > limit ? found.subList(0, limit) : found;
    }
}
