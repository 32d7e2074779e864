package io.gitwar.service.cluster;

import io.gitwar.failure.Unprocessable;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.RepositoryName;
import io.gitwar.storage.DataDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * Evens out the disk the nodes use by moving repositories ({@link Relocations}): while the most
 * used node holds more than 10 % above the least used, the most used one is asked to give the
 * largest repository that narrows the gap to the least used one. Each node measures itself (its
 * repositories' files, {@code GET /-/api/v1/cluster/usage}) and chooses what it gives ({@code POST
 * /-/api/v1/cluster/give}); the node the operator asked only steers. One rebalance at a time per
 * node, at most {@value #MAX_MOVES} moves per call.
 */
@ApplicationScoped
public class Rebalancing {

    private static final Logger LOG = Logger.getLogger(Rebalancing.class.getName());
    /** Moves per call: a cluster far out of balance takes several calls, each bounded in time. */
    static final int MAX_MOVES = 100;
    /** Names looked at per page when a node measures itself. */
    private static final int PAGE = 1000;

    private final Cluster cluster;
    private final ActorRegistry registry;
    private final Relocations relocations;
    private final NodeCalls calls;
    private final ReentrantLock running = new ReentrantLock();

    @Inject
    public Rebalancing(Cluster cluster, ActorRegistry registry, Relocations relocations, NodeCalls calls) {
        this.cluster = cluster;
        this.registry = registry;
        this.relocations = relocations;
        this.calls = calls;
    }

    /** For CDI's proxy; never called by gitwar. */
    protected Rebalancing() {
        this(null, null, null, null);
    }

    /** What a rebalance did: the moves, and each node's bytes before and after. */
    public record Result(List<Relocations.Moved> moves, Map<String, Long> before, Map<String, Long> after) {
    }

    /** Moves repositories until the nodes' disk use is within 10 % (see the class). */
    public Result rebalance() throws IOException {
        if (!cluster.clustered()) {
            throw new Unprocessable("this server is not in a cluster: there is nothing to balance");
        }
        if (!running.tryLock()) {
            throw new Unprocessable("a rebalance is under way on this node");
        }
        try {
            Map<String, Long> used = new HashMap<>();
            for (String node : cluster.members()) {
                used.put(node, usage(node));
            }
            Map<String, Long> before = Map.copyOf(used);
            List<Relocations.Moved> moves = new ArrayList<>();
            while (moves.size() < MAX_MOVES) {
                String most = used.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                String least = used.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
                long gap = used.get(most) - used.get(least);
                if (gap <= used.get(most) / 10) {
                    break;
                }
                // a repository of at most half the gap narrows it; a larger one would only swap the roles
                Relocations.Moved moved = give(most, least, gap / 2);
                if (moved == null) {
                    break;
                }
                moves.add(moved);
                used.merge(most, -moved.bytes(), Long::sum);
                used.merge(least, moved.bytes(), Long::sum);
            }
            LOG.info(() -> "rebalance: " + moves.size() + " moves; bytes per node " + before + " -> " + used);
            return new Result(moves, before, Map.copyOf(used));
        } finally {
            running.unlock();
        }
    }

    /** The bytes this node's repositories take on disk. */
    public long usage() throws IOException {
        DataDirectory data = registry.dataDirectory();
        long bytes = 0;
        for (List<String> page = data.names("", null, PAGE); !page.isEmpty();
                page = data.names("", page.get(page.size() - 1), PAGE)) {
            for (String name : page) {
                bytes += data.fileBytes(name);
            }
        }
        return bytes;
    }

    /**
     * Moves the largest repository of at most {@code maxBytes} this node holds to {@code to}; null if
     * none is that small.
     */
    public Relocations.Moved giveOne(String to, long maxBytes) throws IOException {
        DataDirectory data = registry.dataDirectory();
        String best = null;
        long bestBytes = -1;
        for (List<String> page = data.names("", null, PAGE); !page.isEmpty();
                page = data.names("", page.get(page.size() - 1), PAGE)) {
            for (String name : page) {
                long bytes = data.fileBytes(name);
                if (bytes <= maxBytes && bytes > bestBytes && cluster.locate(name) instanceof Placement.Local
                        && !cluster.replicated(name)) {
                    best = name;
                    bestBytes = bytes;
                }
            }
        }
        return best == null ? null : relocations.move(RepositoryName.parse(best), to);
    }

    private long usage(String node) throws IOException {
        if (node.equals(cluster.self())) {
            return usage();
        }
        return Long.parseLong(ask(node, HttpRequest.newBuilder(uri(node, "usage")).GET()).strip());
    }

    private Relocations.Moved give(String from, String to, long maxBytes) throws IOException {
        if (from.equals(cluster.self())) {
            return giveOne(to, maxBytes);
        }
        String answer = ask(from, HttpRequest.newBuilder(uri(from, "give?to=" + to + "&max_bytes=" + maxBytes))
                .POST(HttpRequest.BodyPublishers.noBody())).strip();
        return answer.isEmpty() ? null : parseMoved(answer);
    }

    /** The one line a node answers to {@code give}: name, from, to, bytes, copies, took ms, paused ms. */
    public static String formatMoved(Relocations.Moved m) {
        return String.join(" ", m.repository(), m.from(), m.to(), Long.toString(m.bytes()),
                Integer.toString(m.copies()), Long.toString(m.took().toMillis()), Long.toString(m.paused().toMillis()));
    }

    static Relocations.Moved parseMoved(String line) {
        String[] f = line.split(" ");
        return new Relocations.Moved(f[0], f[1], f[2], Long.parseLong(f[3]), Integer.parseInt(f[4]),
                Duration.ofMillis(Long.parseLong(f[5])), Duration.ofMillis(Long.parseLong(f[6])));
    }

    private URI uri(String node, String path) throws IOException {
        String url = cluster.urlOf(node);
        if (url == null) {
            throw new IOException("node " + node + " left the cluster during the rebalance");
        }
        return URI.create(url + "/-/api/v1/cluster/" + path);
    }

    private String ask(String node, HttpRequest.Builder request) throws IOException {
        HttpResponse<String> answer = calls.send(request.header("Accept", "text/plain"),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (answer.statusCode() / 100 != 2) {
            throw new IOException("node " + node + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }
}
