package io.gitwar.service;

import io.gitwar.storage.WriteTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;

/**
 * One push as one JTA transaction: JGit parses the pack into chunk rows and updates the refs, all in
 * the repository's SQLite write transaction, which commits when this method returns (see
 * {@link TransactionalWrites}). A push that updated no ref is rolled back whole, so a rejected push
 * stores nothing.
 */
@ApplicationScoped
public class PushTransaction {

    @Inject
    TransactionalWrites writes;

    @Inject
    GitwarConfig config;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void receive(PushSession push) throws IOException {
        WriteTransaction tx = writes.begin(push.actor);
        push.receivePack = new GatedReceivePack(tx.repository(), push.gate, config);
        try {
            push.receivePack.receive(push.body, push.gate, null);
        } catch (IOException | RuntimeException e) {
            // JGit has already told the client (unpack error, protocol error); nothing is kept
            push.receiveFailure = e;
        }
        if (push.receiveFailure != null || !push.anyRefUpdated()) {
            writes.rollbackOnly();
        }
    }
}
