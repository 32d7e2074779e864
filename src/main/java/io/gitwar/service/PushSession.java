package io.gitwar.service;

import java.io.InputStream;
import java.util.List;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * The state of one push while it crosses the transaction boundary: what came in, where the answer
 * goes, and what JGit made of it. Confined to the request's thread.
 */
public final class PushSession {

    final RepositoryActor actor;
    final InputStream body;
    final OutputGate gate;
    GatedReceivePack receivePack;
    Exception receiveFailure;

    PushSession(RepositoryActor actor, InputStream body, OutputGate gate) {
        this.actor = actor;
        this.body = body;
        this.gate = gate;
    }

    List<ReceiveCommand> commands() {
        return receivePack == null ? List.of() : receivePack.decidedCommands();
    }

    boolean anyRefUpdated() {
        return commands().stream().anyMatch(c -> c.getResult() == ReceiveCommand.Result.OK);
    }
}
