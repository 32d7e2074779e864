package io.gitwar.service.cluster;

import io.gitwar.failure.Conflict;
import io.gitwar.failure.RepositoryNotFound;
import io.gitwar.failure.Unprocessable;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.Lease;
import io.gitwar.service.RepositoryName;
import io.gitwar.service.admin.RepositoryMoves;
import io.gitwar.storage.StagedFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves a repository this node holds to another node while it stays readable: a copy is taken
 * (online, consistent at one instant, as a backup is) and sent to the target, which keeps it
 * unserved; then, in the repository's write turn (pushes wait), a second copy only if some write
 * ended since the first began, the placement's switch, and this node's file goes as a deleted one
 * does. Reads go on throughout (those in progress end on their snapshot, later ones are forwarded
 * to the target); a push either had its turn before the switch, or waited behind it and is refused
 * with a message that says to try again. Nothing acknowledged is lost: the target's copy is taken
 * in the turn, after the last push that was.
 *
 * <p>The target receives copies only while the placement says this repository is moving to it
 * ({@code "<owner> moving <target>"}), through {@code PUT /-/api/v1/cluster/copies/<name>.git},
 * which the nodes authenticate with the cluster's secret. A move that fails before the switch puts
 * the placement back and asks the target to discard its copy; a node that stops during a move keeps
 * or drops its file at its next start as the placement says ({@link Cluster}).
 */
@ApplicationScoped
public class Relocations {

    private static final Logger LOG = Logger.getLogger(Relocations.class.getName());
    /** The node-to-node URL of a moving repository's copies, under a node's base URL. */
    public static final String COPIES = "/-/api/v1/cluster/copies/";
    private static final HttpResponse.BodyHandler<String> TEXT = HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8);

    private final Cluster cluster;
    private final ActorRegistry registry;
    private final RepositoryMoves moves;
    private final NodeCalls calls;

    @Inject
    public Relocations(Cluster cluster, ActorRegistry registry, RepositoryMoves moves, NodeCalls calls) {
        this.cluster = cluster;
        this.registry = registry;
        this.moves = moves;
        this.calls = calls;
    }

    /** For CDI's proxy; never called by gitwar. */
    protected Relocations() {
        this(null, null, null, null);
    }

    /**
     * What a move did.
     *
     * @param bytes the size of the copy the target keeps
     * @param copies 1, or 2 when a write ended while the first copy was taken or sent
     * @param took from the request to the switch
     * @param paused how long pushes waited for the move: its write turn
     */
    public record Moved(String repository, String from, String to, long bytes, int copies, Duration took,
            Duration paused) {
    }

    /**
     * Moves {@code name}, which this node holds, to the node {@code target}.
     *
     * @throws Unprocessable if there is no cluster, or {@code target} is this node or not a live one
     * @throws RepositoryNotFound if this node does not hold {@code name}
     * @throws Conflict if it is not active here (another move is under way)
     */
    public Moved move(RepositoryName name, String target) throws IOException {
        if (!cluster.clustered()) {
            throw new Unprocessable("this server is not in a cluster: there is no node to move to");
        }
        String self = cluster.self();
        if (self.equals(target)) {
            throw new Unprocessable("repository " + name + " is on node " + target + " already");
        }
        String url = cluster.urlOf(target);
        if (url == null) {
            throw new Unprocessable("node " + target + " is not in the cluster; its nodes are " + cluster.members());
        }
        String key = name.toString();
        if (cluster.replicated(key)) {
            throw new Conflict("repository " + name + " is replicated: its primary changes by failover, it is not moved");
        }
        long started = System.nanoTime();
        try (Lease lease = registry.lease(name)) {
            if (!lease.exists()) {
                throw new RepositoryNotFound("repository not found: " + name);
            }
            if (!cluster.beginMove(key, target)) {
                throw new Conflict("repository " + name + " is not active on this node (a move under way?)");
            }
            boolean[] switched = {false};
            try {
                long writesBefore = lease.actor().writesEnded();
                long[] bytes = {sendCopy(lease, copyUri(url, name))};
                int[] copies = {1};
                long[] paused = {0};
                long[] turn = {0};
                moves.handOver(lease, "repository " + name + " moved to node " + target + "; try again", () -> {
                    turn[0] = System.nanoTime();
                    if (lease.actor().writesEnded() != writesBefore) {
                        bytes[0] = sendCopy(lease, copyUri(url, name)); // a push (or a repack) ended after the first copy began
                        copies[0] = 2;
                    }
                }, () -> {
                    if (!cluster.finishMove(key, target)) {
                        throw new Conflict("the placement of " + name + " changed during its move; it stays here");
                    }
                    switched[0] = true;
                    paused[0] = System.nanoTime() - turn[0];
                });
                Moved moved = new Moved(key, self, target, bytes[0], copies[0],
                        Duration.ofNanos(System.nanoTime() - started), Duration.ofNanos(paused[0]));
                LOG.info(() -> "moved repository " + name + " to node " + target + ": " + moved.bytes() + " bytes, "
                        + moved.copies() + " cop" + (moved.copies() == 1 ? "y" : "ies") + ", " + moved.took().toMillis()
                        + " ms in all, pushes paused " + moved.paused().toMillis() + " ms");
                return moved;
            } catch (IOException | RuntimeException e) {
                if (!switched[0]) {
                    cluster.abortMove(key, target);
                    discardCopy(url, name);
                }
                throw e;
            }
        }
    }

    /**
     * Keeps a copy of {@code name} that the node moving it here sends (see {@link #move}).
     *
     * @throws Conflict if no move of {@code name} to this node is under way
     */
    public void receiveCopy(RepositoryName name, InputStream body, String digest) throws IOException {
        String from = cluster.movingHereFrom(name.toString());
        if (from == null) {
            throw new Conflict("no move of repository " + name + " to this node is under way");
        }
        byte[] sha256 = parseDigest(digest);
        if (sha256 == null) {
            throw new Unprocessable("a copy needs its " + DIGEST_HEADER + ": sha-256=:<base64>:");
        }
        moves.adopt(name, body, sha256);
        if (!from.equals(cluster.movingHereFrom(name.toString())) && !(cluster.locate(name.toString())
                instanceof Placement.Local)) {
            // the move was given up while the copy came (its discard may have come first): no copy stays
            moves.discard(name);
            throw new Conflict("the move of repository " + name + " to this node was given up");
        }
        LOG.fine(() -> "received a copy of " + name + " from node " + from);
    }

    /**
     * Deletes the copy of a move that did not happen.
     *
     * @throws Conflict if this node holds {@code name} (the move did happen, or it was never moving)
     */
    public void discardCopy(RepositoryName name) throws IOException {
        if (cluster.locate(name.toString()) instanceof Placement.Local) {
            throw new Conflict("repository " + name + " is this node's; it is no copy");
        }
        moves.discard(name);
    }

    /** RFC 9530's header, by which a copy's receiver checks its bytes. */
    public static final String DIGEST_HEADER = "Repr-Digest";
    private static final Pattern SHA_256 = Pattern.compile("(?:^|,)\\s*sha-256=:([A-Za-z0-9+/=]+):");

    /** The SHA-256 of an RFC 9530 field value ({@code sha-256=:<base64>:}), or null. */
    static byte[] parseDigest(String field) {
        if (field == null) {
            return null;
        }
        Matcher m = SHA_256.matcher(field);
        if (!m.find()) {
            return null;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(m.group(1));
            return bytes.length == 32 ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Sends a copy taken now to {@code to} (a move's target, or a replica catching up); its size. */
    long sendCopy(Lease lease, URI to) throws IOException {
        try (StagedFile copy = registry.dataDirectory().stage()) {
            lease.actor().copyTo(copy);
            long size = copy.size();
            MessageDigest sha256 = RepositoryMoves.sha256();
            try (InputStream in = new DigestInputStream(copy.open(), sha256)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            String digest = "sha-256=:" + Base64.getEncoder().encodeToString(sha256.digest()) + ":";
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(() -> {
                        try {
                            return copy.open();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }), size);
            HttpResponse<String> answer = calls.send(HttpRequest.newBuilder(to)
                    .header("Content-Type", "application/vnd.sqlite3").header(DIGEST_HEADER, digest).PUT(body), TEXT);
            if (answer.statusCode() / 100 != 2) {
                throw new IOException("node at " + to + " refused the copy of " + lease.name() + ": "
                        + answer.statusCode() + " " + answer.body());
            }
            return size;
        }
    }

    private void discardCopy(String url, RepositoryName name) {
        try {
            HttpResponse<String> answer = calls.send(HttpRequest.newBuilder(copyUri(url, name)).DELETE(), TEXT);
            if (answer.statusCode() / 100 != 2) {
                LOG.warning(() -> "the copy of " + name + " at " + url + " was not discarded: " + answer.statusCode()
                        + " " + answer.body());
            }
        } catch (IOException | RuntimeException e) {
            // it is dropped at that node's next start, as the placement no longer moves it there
            LOG.log(Level.WARNING, "the copy of " + name + " at " + url + " was not discarded", e);
        }
    }

    private static URI copyUri(String url, RepositoryName name) {
        return URI.create(url + COPIES + name + ".git");
    }
}
