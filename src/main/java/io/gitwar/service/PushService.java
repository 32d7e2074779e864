package io.gitwar.service;

import io.gitwar.storage.WriteTransaction;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.ReceivedPackStatistics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Receives pushes (git-receive-pack): waits for the repository's writer slot, runs the push as one
 * transaction, then sends the held report, or a failure report if the commit failed.
 */
@ApplicationScoped
public class PushService {

    private static final Logger LOG = Logger.getLogger(PushService.class.getName());

    @Inject
    GitwarConfig config;

    @Inject
    PushTransaction transaction;

    @Inject
    RepositoryMaintenance maintenance;

    /**
     * Writes the receive-pack ref advertisement (with its {@code # service} header). A repository
     * that does not exist yet advertises no refs, so that a first push can create it.
     *
     * @throws ServiceDisabled if this deployment is read-only
     */
    public void advertise(RepositoryView view, OutputStream out) throws IOException {
        requirePushesEnabled();
        PacketLineOut pck = new PacketLineOut(out);
        pck.writeString("# service=git-receive-pack\n");
        pck.end();
        Repository repo = view.exists() ? view.snapshot().repository()
                : new InMemoryRepository(new DfsRepositoryDescription(view.name().value()));
        try {
            ReceivePack rp = new ReceivePack(repo);
            rp.sendAdvertisedRefs(new ReceiveCapabilities(pck));
        } finally {
            if (!view.exists()) {
                repo.close();
            }
        }
        out.flush();
    }

    /**
     * Refuses pushes on a read-only deployment; callers check before reading a request body.
     *
     * @throws ServiceDisabled if this deployment is read-only
     */
    public void requirePushesEnabled() {
        if (config.readOnly()) {
            throw new ServiceDisabled("pushes are disabled: this server is read-only");
        }
    }

    /** The largest request body a push may have (-1: unlimited); a longer one is refused. */
    public long maxBodyBytes() {
        return config.limits().maxBodyBytes();
    }

    /**
     * Runs a push whose whole request body is {@code body} and writes git's response to {@code out}.
     * A push gitwar refuses before JGit runs (an invalid ref name, a limit, a full queue) is answered
     * with a report-status that says why, when the client asked for one.
     *
     * @param bodyLength the body's length; -1 if it was longer than {@link #maxBodyBytes()} (and
     *        {@code body} holds only its beginning)
     * @throws BadRequest if the command list is malformed (no report can be made)
     * @throws RepositoryNotFound if the repository does not exist and auto-create is off
     * @throws RepositoryBusy or {@link LimitExceeded} if the client cannot read a report
     */
    public void receive(RepositoryActor actor, InputStream body, long bodyLength, OutputStream out)
            throws IOException {
        requirePushesEnabled();
        boolean existed = actor.exists();
        if (!existed && !config.autoCreate()) {
            throw new RepositoryNotFound("repository not found: " + actor.name());
        }
        PushRequest request = PushRequest.read(body);
        if (request.commands().isEmpty()) {
            out.flush(); // git's probe ("0000") before a large push: nothing to do
            return;
        }
        OutputGate gate = new OutputGate(out);
        PushSession push = new PushSession(actor, request.forJGit(), gate);
        long arrived = System.nanoTime();
        try (RepositoryActor.WriteSlot slot = admit(actor, request, bodyLength)) {
            long locked = System.nanoTime();
            try {
                transaction.receive(push);
                logOutcome(push, locked - arrived, System.nanoTime() - locked);
            } catch (Exception e) {
                // includes the undeclared, checked jakarta.transaction.RollbackException that the
                // @Transactional interceptor throws when the SQLite commit in beforeCompletion failed
                commitFailed(push, e);
                return;
            } finally {
                if (!existed) {
                    deleteIfStillEmpty(actor, config.dataDir());
                }
            }
        } catch (BadRequest | LimitExceeded | RepositoryBusy refused) {
            if (!request.canReport()) {
                throw refused;
            }
            LOG.info(() -> "push to " + actor.name() + " refused: " + refused.getMessage());
            PushReports.failed(out, request.sideBand(), request.commands(), refused.getMessage());
            return;
        }
        gate.release();
        if (push.receiveFailure == null && push.anyRefUpdated()) {
            maintenance.afterPush(actor);
        }
    }

    /** One line per push, with where its time went (JGit's own statistics of the receive). */
    private static void logOutcome(PushSession push, long waitedNanos, long transactionNanos) {
        if (!LOG.isLoggable(Level.INFO) || push.commands().isEmpty()) { // e.g. git's probe request
            return;
        }
        ReceivedPackStatistics stats = push.receivePack.getReceivedPackStatistics();
        long updated = push.commands().stream().filter(c -> c.getResult() == ReceiveCommand.Result.OK).count();
        LOG.info(String.format("push to %s: %d/%d refs updated%s; waited %d ms, transaction %d ms%s",
                push.actor.name(), updated, push.commands().size(),
                stats == null ? "" : String.format(", %d bytes (%d objects, %d deltas) received in %d ms,"
                        + " connectivity %d ms, refs %d ms", stats.getNumBytesRead(),
                        stats.getNumWholeCommit() + stats.getNumWholeTree() + stats.getNumWholeBlob()
                                + stats.getNumWholeTag() + stats.getNumOfsDelta() + stats.getNumRefDelta(),
                        stats.getNumOfsDelta() + stats.getNumRefDelta(), stats.getTimeReceiving(),
                        stats.getTimeCheckingConnectivity(), stats.getTimeProcessingCommands()),
                waitedNanos / 1_000_000, transactionNanos / 1_000_000,
                push.receiveFailure == null ? "" : "; failed: " + push.receiveFailure.getMessage()));
    }

    /**
     * Checks what can be checked before the repository is locked, then waits for its writer.
     *
     * @throws BadRequest, LimitExceeded, RepositoryBusy with the reason to report
     */
    private RepositoryActor.WriteSlot admit(RepositoryActor actor, PushRequest request, long bodyLength)
            throws IOException {
        GitwarConfig.Limits limits = config.limits();
        String unsupported = request.unsupportedCapability();
        if (unsupported != null) {
            throw new BadRequest("unsupported capability " + PktLineReader.printable(unsupported));
        }
        if (request.commands().size() > limits.maxRefUpdates()) {
            throw new LimitExceeded("push updates " + request.commands().size() + " refs, more than the limit of "
                    + limits.maxRefUpdates());
        }
        String funny = request.invalidRefName();
        if (funny != null) {
            throw new BadRequest("funny refname " + PktLineReader.printable(funny) + " (see git check-ref-format)");
        }
        if (request.needsPack()) {
            if (bodyLength < 0) {
                throw new LimitExceeded("pack exceeds the limit of " + limits.maxPackBytes() + " bytes");
            }
            long packBytes = bodyLength - request.commandBytes();
            if (limits.maxPackBytes() >= 0 && packBytes > limits.maxPackBytes()) {
                throw new LimitExceeded("pack of " + packBytes + " bytes exceeds the limit of "
                        + limits.maxPackBytes() + " bytes");
            }
            long objects = request.declaredObjectCount();
            if (objects > limits.maxObjects()) {
                throw new LimitExceeded("pack declares " + objects + " objects, more than the limit of "
                        + limits.maxObjects());
            }
            if (objects >= 0 && !PushRequest.plausibleObjectCount(objects, packBytes)) {
                throw new BadRequest("pack declares " + objects + " objects but has only " + packBytes + " bytes");
            }
        }
        return actor.lockForWrite(config.pushQueueTimeout(), limits.maxQueuedPushes());
    }

    private static void commitFailed(PushSession push, Exception e) throws IOException {
        LOG.log(Level.SEVERE, "push to " + push.actor.name() + " could not be committed", e);
        if (push.receivePack == null || !push.gate.isHolding()) {
            // nothing was said to the client yet: let the HTTP layer answer
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw e instanceof IOException io ? io : new IOException(e);
        }
        push.gate.discard();
        PushReports.failed(push.gate, push.receivePack.sideBandUsed(), push.commands(),
                "storage failure, nothing was stored");
    }

    /** A push that created a repository and then failed leaves no empty file or directory behind. */
    private static void deleteIfStillEmpty(RepositoryActor actor, Path dataDir) {
        if (!actor.exists()) {
            return;
        }
        try {
            boolean empty;
            try (WriteTransaction tx = actor.store().beginWrite()) {
                empty = tx.isEmptyRepository();
            }
            if (empty) {
                actor.store().deleteFiles();
                deleteEmptyDirectories(actor.store().file().getParent(), dataDir);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not remove empty repository " + actor.name(), e);
        }
    }

    /** Removes {@code dir} and its parents up to (not including) {@code root} while they are empty. */
    private static void deleteEmptyDirectories(Path dir, Path root) {
        Path stop = root.toAbsolutePath().normalize();
        for (Path d = dir.toAbsolutePath().normalize(); d != null && d.startsWith(stop) && !d.equals(stop);
                d = d.getParent()) {
            try {
                Files.delete(d);
            } catch (IOException e) {
                return; // not empty (another repository lives there) or already gone
            }
        }
    }
}
