package io.gitwar.service.push;

import io.gitwar.service.ClientMessages;
import io.gitwar.service.event.PushCompleted;
import java.util.List;
import org.eclipse.jgit.errors.UnpackException;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivedPackStatistics;

/**
 * What JGit made of one push, as its transaction ends: the commands with their results, the
 * statistics of the received pack (null without one), and the failure JGit already reported to the
 * client (null if none), and when the write began (its turn came), for the push's log line.
 */
record PushOutcome(List<ReceiveCommand> commands, ReceivedPackStatistics stats, Exception failure,
        long startedNanos) {

    PushOutcome {
        commands = List.copyOf(commands);
    }

    boolean anyRefUpdated() {
        return commands.stream().anyMatch(c -> c.getResult() == ReceiveCommand.Result.OK);
    }

    /** Whether the push's transaction is to be committed: it was received and moved a ref. */
    boolean storesSomething() {
        return failure == null && anyRefUpdated();
    }

    /** What became of the push once its transaction committed (or was rolled back, storing nothing). */
    PushCompleted.Result result() {
        if (storesSomething()) {
            return PushCompleted.Result.STORED;
        }
        Throwable cause = failure instanceof UnpackException && failure.getCause() != null ? failure.getCause() : failure;
        return cause != null && ClientMessages.isServerFault(cause) ? PushCompleted.Result.FAILED
                : PushCompleted.Result.REJECTED;
    }
}
