package io.gitwar.service.push;

import io.gitwar.config.GitwarConfig;
import io.gitwar.config.Limits;
import io.gitwar.event.PushReceived;
import io.gitwar.event.RepositoryCreated;
import io.gitwar.failure.BadRequest;
import io.gitwar.failure.GitwarException;
import io.gitwar.failure.Conflict;
import io.gitwar.failure.InsufficientStorage;
import io.gitwar.failure.LimitExceeded;
import io.gitwar.failure.RepositoryBusy;
import io.gitwar.failure.RepositoryDamaged;
import io.gitwar.failure.RepositoryNotFound;
import io.gitwar.failure.ServiceDisabled;
import io.gitwar.failure.TooManyRequests;
import io.gitwar.protocol.receive.PushReports;
import io.gitwar.protocol.receive.PushRequest;
import io.gitwar.protocol.receive.ReceiveCapabilities;
import io.gitwar.service.CommitFailed;
import io.gitwar.service.DiskSpace;
import io.gitwar.service.HeapBudget;
import io.gitwar.service.Lease;
import io.gitwar.service.RepositoryWrites;
import io.gitwar.service.cluster.Cluster;
import io.gitwar.service.cluster.Replication;
import io.gitwar.service.event.PushCompleted;
import io.gitwar.service.hooks.Deliverer;
import io.gitwar.service.hooks.Outbox;
import io.gitwar.service.hooks.PublicEvents;
import io.gitwar.service.repack.Repacker;
import io.gitwar.storage.WriteTransaction;
import io.gitwar.storage.dfs.receive.PackBounds;
import io.gitwar.storage.dfs.receive.ParallelIndexing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jgit.errors.UnpackException;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.ReceivedPackStatistics;

/**
 * Receives pushes (git-receive-pack), top to bottom: read and validate the request, check the limits,
 * run JGit's receive-pack in one repository write whose report is held until the commit, then send
 * the report, or a failure report if the commit failed. A refusal before JGit runs is answered with
 * git's report of why. Every push answered is told as a {@link PushCompleted}.
 */
@ApplicationScoped
public class PushService {

    private static final Logger LOG = Logger.getLogger(PushService.class.getName());

    private final GitwarConfig config;
    private final RepositoryWrites writes;
    private final Repacker repacker;
    private final DiskSpace disk;
    private final HeapBudget budget;
    private final Event<PushCompleted> completed;
    private final Outbox outbox;
    private final PublicEvents events;
    private final Deliverer deliverer;
    private final Cluster cluster;
    private final Replication replication;

    @Inject
    public PushService(GitwarConfig config, RepositoryWrites writes, Repacker repacker, DiskSpace disk,
            HeapBudget budget, Event<PushCompleted> completed, Outbox outbox, PublicEvents events, Deliverer deliverer,
            Cluster cluster, Replication replication) {
        this.config = config;
        this.cluster = cluster;
        this.replication = replication;
        this.writes = writes;
        this.repacker = repacker;
        this.disk = disk;
        this.budget = budget;
        this.completed = completed;
        this.outbox = outbox;
        this.events = events;
        this.deliverer = deliverer;
    }

    /** For CDI's proxy; never called by gitwar. */
    protected PushService() {
        this(null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * Writes the receive-pack ref advertisement (with its {@code # service} header). A repository
     * that does not exist yet advertises no refs, so that a first push can create it.
     *
     * @throws ServiceDisabled if this deployment or this repository is read-only
     * @throws InsufficientStorage if the disk is below its free-space floor (git prints the reason)
     */
    public void advertise(Lease lease, OutputStream out) throws IOException {
        requirePushesEnabled();
        if (lease.exists() && lease.snapshot().readOnly()) {
            throw readOnly(lease);
        }
        PacketLineOut pck = new PacketLineOut(out);
        pck.writeString("# service=git-receive-pack\n");
        pck.end();
        boolean exists = lease.exists();
        Repository repo = exists ? lease.snapshot().repository()
                : new InMemoryRepository(new DfsRepositoryDescription(lease.name().value()));
        try {
            new ReceivePack(repo).sendAdvertisedRefs(new ReceiveCapabilities(pck));
        } finally {
            if (!exists) {
                repo.close();
            }
        }
        out.flush();
    }

    /**
     * Refuses pushes on a read-only deployment, or with the disk below its free-space floor; callers
     * check before reading a request body.
     *
     * @throws ServiceDisabled if this deployment is read-only
     * @throws InsufficientStorage if the disk is below its free-space floor
     */
    public void requirePushesEnabled() {
        requireWritable();
        disk.requireRoomFor(0);
    }

    private void requireWritable() {
        if (config.readOnly()) {
            throw new ServiceDisabled("pushes are disabled: this server is read-only");
        }
    }

    /**
     * Refuses to spool {@code bytes} more of a push body if that would cross the free-space floor.
     *
     * @throws InsufficientStorage if it would
     */
    public void requireRoomFor(long bytes) {
        disk.requireRoomFor(bytes);
    }

    /** The largest request body a push may have (-1: unlimited); a longer one is refused. */
    public long maxBodyBytes() {
        return PushLimits.maxBodyBytes(config.limits());
    }

    /**
     * Runs a push whose whole request body is {@code body} and writes git's response to {@code out}.
     *
     * @param bodyLength the body's length; -1 if it was longer than {@link #maxBodyBytes()} (and
     *        {@code body} holds only its beginning)
     * @throws BadRequest if the command list is malformed (no report can be made)
     * @param client who pushed, for the events and the webhooks' payloads
     * @throws RepositoryNotFound if the repository does not exist and auto-create is off
     * @throws RepositoryBusy, {@link LimitExceeded} or {@link RepositoryDamaged} if the client cannot read a report
     */
    public void receive(Lease lease, PushClient client, InputStream body, long bodyLength, OutputStream out)
            throws IOException {
        long arrived = System.nanoTime();
        PushCompleted.Result result = null;
        try {
            result = answer(lease, client, body, bodyLength, out, arrived);
        } catch (GitwarException refused) {
            result = PushCompleted.Result.REFUSED;
            throw refused;
        } catch (IOException | RuntimeException e) {
            result = PushCompleted.Result.FAILED;
            throw e;
        } finally {
            if (result != null) {
                completed.fire(new PushCompleted(lease.name(), result, Math.max(0, bodyLength),
                        Duration.ofNanos(System.nanoTime() - arrived)));
            }
        }
    }

    /** {@link #receive}; what became of the push, or null for git's probe. */
    private PushCompleted.Result answer(Lease lease, PushClient client, InputStream body, long bodyLength,
            OutputStream out, long arrived) throws IOException {
        requireWritable(); // the disk is checked below, where git reads the reason in its report
        if (!lease.exists() && !config.autoCreate()) {
            throw new RepositoryNotFound("repository not found: " + lease.name());
        }
        if (!lease.exists() && !cluster.mayCreateHere(lease.name().toString())) {
            // placed on this node when the request came, moved away before it got here
            throw new RepositoryBusy("repository " + lease.name() + " is on another node now; try again");
        }
        PushRequest request = PushRequest.read(body);
        if (request.isProbe()) {
            out.flush(); // git's probe ("0000") before a large push: nothing to do
            return null;
        }
        OutputGate gate = new OutputGate(out);
        PushOutcome outcome;
        try {
            request.validate();
            PushLimits.check(request, bodyLength, config.limits());
            long packBytes = bodyLength - request.commandBytes();
            // stored while its spool still exists, and indexed in parallel from a copy of its own
            disk.requireRoomFor(parallelIndexing().suits(packBytes) ? 2 * packBytes : packBytes);
            try (HeapBudget.Reservation heap = budget.reserve(HeapBudget.forPush(request.declaredObjectCount()),
                    "a push to " + lease.name())) {
                outcome = writes.push(lease.actor(), tx -> receive(tx, client, request, gate, bodyLength, heap));
            }
        } catch (BadRequest | LimitExceeded | RepositoryBusy | RepositoryDamaged | InsufficientStorage
                | TooManyRequests | ServiceDisabled | Conflict refused) {
            refuse(lease, request, out, refused);
            return PushCompleted.Result.REFUSED;
        } catch (CommitFailed e) {
            gate.discard();
            if (e.timedOut()) {
                LOG.info(() -> "push to " + lease.name() + " refused: " + e.getMessage());
                PushReports.failed(out, request, e.getMessage() + ", nothing was stored");
            } else {
                LOG.log(Level.SEVERE, "push to " + lease.name() + " could not be committed", e);
                PushReports.failed(out, request, "storage failure, nothing was stored");
            }
            return PushCompleted.Result.FAILED;
        }
        gate.release();
        log(lease, outcome, outcome.startedNanos() - arrived, System.nanoTime() - outcome.startedNanos());
        if (outcome.storesSomething()) {
            repacker.afterPush(lease.actor());
        }
        return outcome.result();
    }

    /**
     * JGit's receive-pack on the write transaction; a push that stores nothing is rolled back whole.
     * One that stores something also writes what it owes its webhooks, and is told to the public
     * events' observers once committed.
     */
    private PushOutcome receive(WriteTransaction tx, PushClient client, PushRequest request, OutputGate gate,
            long bodyLength, HeapBudget.Reservation heap) throws IOException {
        if (tx.readOnly()) {
            throw readOnly(tx.repositoryName());
        }
        long packBytes = bodyLength - request.commandBytes();
        Limits limits = config.limits();
        tx.repository().setPackBounds(new PackBounds(PackBounds.QUARTER_OF_THE_HEAP, limits.deltaBudgetRatio(),
                limits.deltaBudgetFloorBytes(), packBytes, heap::growTo,
                parallelIndexing()));
        PushOutcome outcome = GatedReceivePack.run(tx.repository(), request, gate, !config.denyNonFastForwards(),
                limits.maxObjectBytes(), limits.maxRefs());
        if (!outcome.storesSomething()) {
            tx.setRollbackOnly();
            return outcome;
        }
        Instant at = Instant.now();
        long generation = tx.recordPush(at);
        List<ReceiveCommand> updated = outcome.commands().stream()
                .filter(c -> c.getResult() == ReceiveCommand.Result.OK).toList();
        String name = tx.repositoryName();
        boolean owes = outbox.owePush(tx, name, client.baseUrl(), client.address(), updated);
        // on a majority of the repository's nodes, deliveries owed included, before this one commits
        // (and git hears "ok")
        replication.replicate(tx, name, generation, updated, at);
        boolean creating = tx.isCreating();
        PushReceived told = new PushReceived(name, updated.stream().map(c -> new PushReceived.RefUpdate(
                c.getRefName(), c.getOldId().name(), c.getNewId().name())).toList(), at, client.address(),
                Math.max(0, bodyLength), objects(outcome.stats()));
        writes.afterCommit(() -> {
            if (creating) {
                events.fire(new RepositoryCreated(name, at));
            }
            events.fire(told);
            if (owes) {
                deliverer.wake(name);
            }
        });
        return outcome;
    }

    /** How a received pack is indexed: on gitwar.receive-threads threads, from a copy in the spool. */
    private ParallelIndexing parallelIndexing() {
        return new ParallelIndexing(config.limits().receiveThreads(), config.spoolDir());
    }

    private static long objects(ReceivedPackStatistics s) {
        return s == null ? 0 : s.getNumWholeCommit() + s.getNumWholeTree() + s.getNumWholeBlob() + s.getNumWholeTag()
                + s.getNumOfsDelta() + s.getNumRefDelta();
    }

    /** An operator made this repository read-only (the API's {@code read_only}). */
    private static ServiceDisabled readOnly(Lease lease) {
        return readOnly(lease.name().value());
    }

    private static ServiceDisabled readOnly(String name) {
        return new ServiceDisabled("pushes are disabled: repository " + name + " is read-only");
    }

    private static void refuse(Lease lease, PushRequest request, OutputStream out, RuntimeException refused)
            throws IOException {
        if (!request.canReport()) {
            throw refused;
        }
        LOG.info(() -> "push to " + lease.name() + " refused: " + refused.getMessage());
        PushReports.failed(out, request, refused.getMessage());
    }

    /** Why JGit failed, as the client read it: its "unpack" failure wraps the reason. */
    private static String reason(Exception failure) {
        return failure instanceof UnpackException && failure.getCause() != null ? failure.getCause().getMessage()
                : failure.getMessage();
    }

    /** One line per push, with where its time went (JGit's own statistics of the receive). */
    private static void log(Lease lease, PushOutcome outcome, long waitedNanos, long transactionNanos) {
        if (!LOG.isLoggable(Level.INFO)) {
            return;
        }
        ReceivedPackStatistics stats = outcome.stats();
        long updated = outcome.commands().stream().filter(c -> c.getResult() == ReceiveCommand.Result.OK).count();
        LOG.info(String.format("push to %s: %d/%d refs updated%s; waited %d ms, transaction %d ms%s",
                lease.name(), updated, outcome.commands().size(),
                stats == null ? "" : String.format(", %d bytes (%d objects, %d deltas) received in %d ms,"
                        + " connectivity %d ms, refs %d ms", stats.getNumBytesRead(),
                        objects(stats),
                        stats.getNumOfsDelta() + stats.getNumRefDelta(), stats.getTimeReceiving(),
                        stats.getTimeCheckingConnectivity(), stats.getTimeProcessingCommands()),
                waitedNanos / 1_000_000, transactionNanos / 1_000_000,
                outcome.failure() == null ? "" : "; failed: " + reason(outcome.failure())));
    }
}
