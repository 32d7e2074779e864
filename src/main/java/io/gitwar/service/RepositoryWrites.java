package io.gitwar.service;

import io.gitwar.config.GitwarConfig;
import io.gitwar.storage.SqliteStore;
import io.gitwar.storage.WriteTransaction;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.NotSupportedException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one way anything is written to a repository: in the actor's turn, one JTA transaction bound
 * to the repository's SQLite write transaction.
 *
 * <p>The SQLite COMMIT runs in {@code beforeCompletion}: if it fails, the exception marks the JTA
 * transaction for rollback and its commit fails ({@link CommitFailed}), so nothing is acknowledged
 * that was not stored. (Committing in {@code afterCompletion} could not fail the transaction any
 * more.) gitwar's SQLite file is the transaction's only resource, so no later participant can roll
 * back what it committed. The SQLite transaction is touched only by the thread that runs the write:
 * if the transaction manager ends the transaction from another thread (its timeout), that thread
 * only marks it dead ({@link WriteTransaction#abandon}); the writing thread's next read or write of
 * pack data then fails with the reason, and it rolls back and closes when its work returns.
 */
@ApplicationScoped
public class RepositoryWrites {

    private static final Logger LOG = Logger.getLogger(RepositoryWrites.class.getName());

    @Resource
    UserTransaction transaction;

    @Resource
    TransactionSynchronizationRegistry registry;

    @Inject
    GitwarConfig config;

    /** What a write does inside its transaction; it may {@link WriteTransaction#setRollbackOnly()}. */
    @FunctionalInterface
    public interface Work<T> {
        T run(WriteTransaction tx) throws IOException;
    }

    /**
     * A push's write: queued behind at most {@code gitwar.max-queued-pushes} others.
     *
     * @throws io.gitwar.failure.RepositoryBusy if the queue is full or the turn does not come in time
     * @throws CommitFailed if the work was done but could not be committed (nothing was stored)
     */
    public <T> T push(RepositoryActor actor, Work<T> work) throws IOException {
        return actor.write(config.pushQueueTimeout(), config.limits().maxQueuedPushes(),
                store -> inTransaction(actor.name(), store, work));
    }

    /** A write of gitwar's own (a repack, a deletion of replaced packs): it waits, but never refuses a push. */
    public <T> T maintain(RepositoryActor actor, Work<T> work) throws IOException {
        return actor.write(config.pushQueueTimeout(), Integer.MAX_VALUE, store -> inTransaction(actor.name(), store, work));
    }

    /**
     * Runs {@code task} once the current write's transaction has committed, on the committing
     * thread and still in the repository's write turn (so tasks of successive writes run in their
     * order); never if it rolls back. Call it from a write's {@link Work}; the task must be quick
     * and hand anything slow to the background. Its exception is logged, never the write's.
     */
    public void afterCommit(Runnable task) {
        registry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "a task after a repository write's commit failed", e);
                    }
                }
            }
        });
    }

    private <T> T inTransaction(RepositoryName name, SqliteStore store, Work<T> work) throws IOException {
        begin();
        WriteTransaction tx;
        try {
            tx = store.beginWrite();
        } catch (IOException | RuntimeException e) {
            rollback();
            throw e;
        }
        try {
            registry.registerInterposedSynchronization(new CommitAtCompletion(tx, name));
            T result;
            try {
                result = work.run(tx);
            } catch (IOException | RuntimeException e) {
                rollback();
                throw e;
            }
            if (tx.isRollbackOnly()) {
                rollback(); // the work has reported its own failure, a timeout included
            } else if (tx.abandonedReason() != null) {
                rollback();
                throw new CommitFailed(tx.abandonedReason());
            } else {
                commit(name, tx);
            }
            return result;
        } finally {
            tx.close(); // rolls back whatever was not committed
        }
    }

    private void begin() throws IOException {
        try {
            transaction.setTransactionTimeout((int) Math.min(Integer.MAX_VALUE, config.writeTimeout().toSeconds()));
            transaction.begin();
        } catch (NotSupportedException | SystemException e) {
            throw new IOException("cannot begin a transaction: " + e.getMessage(), e);
        }
    }

    private void commit(RepositoryName name, WriteTransaction tx) throws CommitFailed {
        try {
            transaction.commit();
        } catch (RollbackException | HeuristicMixedException | HeuristicRollbackException | SystemException e) {
            throw tx.abandonedReason() != null ? new CommitFailed(tx.abandonedReason()) : new CommitFailed(name, e);
        }
    }

    /** What a client reads about a write that outlived {@code gitwar.write-timeout-seconds}. */
    private String timeoutReason() {
        return "the write took longer than the server's write timeout of " + config.writeTimeout().toSeconds() + " s";
    }

    private void rollback() {
        try {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
        } catch (SystemException | IllegalStateException e) {
            LOG.log(Level.WARNING, "rollback of a repository write failed", e);
        }
    }

    private final class CommitAtCompletion implements Synchronization {
        private final WriteTransaction tx;
        private final RepositoryName name;
        private final Thread owner = Thread.currentThread();

        CommitAtCompletion(WriteTransaction tx, RepositoryName name) {
            this.tx = tx;
            this.name = name;
        }

        @Override
        public void beforeCompletion() {
            if (registry.getTransactionStatus() != Status.STATUS_ACTIVE) {
                return; // marked for rollback: the owner rolls back
            }
            try {
                tx.commit();
            } catch (IOException e) {
                throw new IllegalStateException("SQLite commit of " + name + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void afterCompletion(int status) {
            if (Thread.currentThread() != owner) {
                // the transaction manager ended it (timeout): only a mark; the owner stops, rolls back, closes
                // (the write's own log line says why it failed)
                tx.abandon(timeoutReason());
                LOG.fine(() -> "write transaction of " + name + " ended by the transaction manager (status "
                        + status + "): " + timeoutReason());
            }
        }
    }
}
