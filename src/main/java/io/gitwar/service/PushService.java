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
     */
    public void advertise(RepositoryView view, OutputStream out) throws IOException {
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
     * Runs a push whose whole request body is {@code body} and writes git's response to {@code out}.
     *
     * @throws RepositoryNotFound if the repository does not exist and auto-create is off
     * @throws RepositoryBusy if other pushes kept the repository busy for too long
     */
    public void receive(RepositoryActor actor, InputStream body, OutputStream out) throws IOException {
        boolean existed = actor.exists();
        if (!existed && !config.autoCreate()) {
            throw new RepositoryNotFound("repository not found: " + actor.name());
        }
        OutputGate gate = new OutputGate(out);
        PushSession push = new PushSession(actor, ReceiveCapabilities.translateRequest(body), gate);
        long start = System.nanoTime();
        try (RepositoryActor.WriteSlot slot = actor.lockForWrite(config.pushQueueTimeout())) {
            long locked = System.nanoTime();
            try {
                transaction.receive(push);
                logOutcome(push, locked - start, System.nanoTime() - locked);
            } catch (Exception e) {
                // includes the undeclared, checked jakarta.transaction.RollbackException that the
                // @Transactional interceptor throws when the SQLite commit in beforeCompletion failed
                commitFailed(push, e);
                return;
            } finally {
                if (!existed) {
                    deleteIfStillEmpty(actor);
                }
            }
        }
        if (push.receiveFailure != null) {
            LOG.log(Level.FINE, "push to " + actor.name() + " failed", push.receiveFailure);
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

    /** A push that created a repository and then failed leaves no empty file behind. */
    private static void deleteIfStillEmpty(RepositoryActor actor) {
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
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not remove empty repository " + actor.name(), e);
        }
    }
}
