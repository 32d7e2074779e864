package io.gitwar.storage.dfs;

import io.gitwar.storage.file.RefRows;
import java.io.IOException;
import java.util.List;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * Ref updates of one push. Each command is a compare-and-swap row update inside the repository's
 * transaction; an atomic batch runs inside a savepoint and is undone as a whole if any command
 * fails, leaving every command rejected ("transaction aborted"), as git's atomic push requires.
 */
final class SqliteBatchRefUpdate extends BatchRefUpdate {

    private static final String SAVEPOINT = "atomic_ref_update";

    private final SqliteRefDatabase refDb;
    private final RefRows rows;

    SqliteBatchRefUpdate(SqliteRefDatabase refDb, RefRows rows) {
        super(refDb);
        this.refDb = refDb;
        this.rows = rows;
    }

    @Override
    public void execute(RevWalk walk, ProgressMonitor monitor, List<String> options) throws IOException {
        if (!isAtomic()) {
            super.execute(walk, monitor, options);
            return;
        }
        List<ReceiveCommand> commands = getCommands();
        if (commands.stream().anyMatch(c -> c.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED)) {
            ReceiveCommand.abort(commands);
            return;
        }
        rows.savepoint(SAVEPOINT);
        boolean allApplied = false;
        try {
            super.execute(walk, monitor, options);
            allApplied = commands.stream().allMatch(c -> c.getResult() == ReceiveCommand.Result.OK);
        } finally {
            if (allApplied) {
                rows.release(SAVEPOINT);
            } else {
                rows.rollbackTo(SAVEPOINT);
                refDb.refresh(); // its cache saw the undone updates
                for (ReceiveCommand c : commands) {
                    if (c.getResult() == ReceiveCommand.Result.OK
                            || c.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED) {
                        c.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "transaction aborted");
                    }
                }
            }
        }
    }
}
