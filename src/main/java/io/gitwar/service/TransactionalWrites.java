package io.gitwar.service;

import io.gitwar.storage.WriteTransaction;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Binds a repository's SQLite write transaction to the caller's JTA transaction.
 *
 * <p>The SQLite COMMIT runs in {@code beforeCompletion}: if it fails, the exception marks the JTA
 * transaction for rollback and the caller's commit fails, so nothing is acknowledged that was not
 * stored. (Committing in {@code afterCompletion} could not fail the transaction any more.) gitwar's
 * SQLite file is the transaction's only resource, so no later participant can roll back what it
 * committed. Whatever the outcome, {@code afterCompletion} rolls back anything uncommitted and
 * returns the connection.
 */
@ApplicationScoped
public class TransactionalWrites {

    private static final Logger LOG = Logger.getLogger(TransactionalWrites.class.getName());

    @Resource
    TransactionSynchronizationRegistry registry;

    /**
     * The repository's write transaction within the current JTA transaction, begun on first use.
     * The caller must hold the actor's write slot until the JTA transaction has completed.
     */
    public WriteTransaction begin(RepositoryActor actor) throws IOException {
        if (registry.getTransactionKey() == null) {
            throw new IllegalStateException("a repository write needs an active JTA transaction");
        }
        String key = TransactionalWrites.class.getName() + ":" + actor.name();
        WriteTransaction tx = (WriteTransaction) registry.getResource(key);
        if (tx == null) {
            tx = actor.store().beginWrite();
            registry.putResource(key, tx);
            registry.registerInterposedSynchronization(new CommitAtCompletion(tx, actor.name()));
        }
        return tx;
    }

    /** Makes the current JTA transaction roll back (the caller returns normally). */
    public void rollbackOnly() {
        registry.setRollbackOnly();
    }

    private final class CommitAtCompletion implements Synchronization {
        private final WriteTransaction tx;
        private final RepositoryName name;

        CommitAtCompletion(WriteTransaction tx, RepositoryName name) {
            this.tx = tx;
            this.name = name;
        }

        @Override
        public void beforeCompletion() {
            if (registry.getTransactionStatus() != Status.STATUS_ACTIVE) {
                return; // marked for rollback: afterCompletion rolls back
            }
            try {
                tx.commit();
            } catch (IOException e) {
                throw new IllegalStateException("SQLite commit of " + name + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void afterCompletion(int status) {
            try {
                if (!tx.isFinished()) {
                    tx.rollback();
                }
                if (status != Status.STATUS_COMMITTED && status != Status.STATUS_ROLLEDBACK) {
                    LOG.warning(() -> "write transaction of " + name + " completed with JTA status " + status);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "rollback of " + name + " failed", e);
            } finally {
                tx.close();
            }
        }
    }
}
