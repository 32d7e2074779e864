package io.gitwar.service.push;

import io.gitwar.protocol.receive.PushRequest;
import io.gitwar.service.ClientMessages;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jgit.internal.JGitText;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UnpackErrorHandler;

/**
 * JGit's receive-pack engine as gitwar runs it: object and connectivity checks on, the client decides
 * about non-fast-forwards (git's default for bare repositories), and once the refs are updated the
 * report to the client is held back until the transaction commits (see {@link OutputGate}). What
 * JGit writes while it updates the refs (its "Updating references" meter, which it sends even to a
 * client that asked for {@code quiet}) is dropped: git's own receive-pack prints nothing there.
 */
final class GatedReceivePack extends ReceivePack {

    private static final Logger LOG = Logger.getLogger(GatedReceivePack.class.getName());

    private final OutputGate gate;
    private final long maxRefs;
    /** What JGit decided, kept because JGit forgets it when the exchange ends. */
    private List<ReceiveCommand> decided = List.of();

    /**
     * @param allowNonFastForwards git's {@code receive.denyNonFastForwards}, negated
     * @param maxObjectBytes the largest object accepted, inflated
     * @param maxRefs the most refs the repository may have after the push
     */
    private GatedReceivePack(Repository repository, OutputGate gate, boolean allowNonFastForwards,
            long maxObjectBytes, long maxRefs) {
        super(repository);
        this.gate = gate;
        this.maxRefs = maxRefs;
        setBiDirectionalPipe(false); // stateless HTTP: one request, one response
        setAllowCreates(true);
        setAllowDeletes(true);
        setAllowBranchDeletes(true);
        setAllowNonFastForwards(allowNonFastForwards);
        setObjectChecker(gitLikeObjectChecker());
        setCheckReferencedObjectsAreReachable(true); // connectivity: no ref may point at what is not stored
        // checked by JGit as each object's header is read, before anything is inflated
        setMaxObjectSizeLimit(maxObjectBytes);
        UnpackErrorHandler jgits = getUnpackErrorHandler();
        setUnpackErrorHandler(t -> jgits.handleUnpackException(clientSafe(t)));
        repository.getConfig().setBoolean("receive", null, "autogc", false); // gitwar compacts itself
    }

    /**
     * What the client may read of a failure to receive its pack ({@link ClientMessages#forPush}); a
     * server fault is logged here in full, since JGit puts the message of any failure into the
     * {@code unpack} line.
     */
    private Throwable clientSafe(Throwable t) {
        if (!ClientMessages.isServerFault(t)) {
            return t;
        }
        LOG.log(Level.SEVERE, "push to " + getRepository().getIdentifier() + " failed on the server", t);
        return new IOException(ClientMessages.forPush(t));
    }

    /**
     * git's {@code receive.fsckObjects}: what git's fsck treats as an error is refused; what it only
     * warns about (quirks of old repositories such as zero-padded file modes) is accepted, as git does.
     */
    private static ObjectChecker gitLikeObjectChecker() {
        return new ObjectChecker().setIgnore(EnumSet.of(
                ObjectChecker.ErrorType.NULL_SHA1,
                ObjectChecker.ErrorType.ZERO_PADDED_FILEMODE,
                ObjectChecker.ErrorType.EMPTY_NAME,
                ObjectChecker.ErrorType.FULL_PATHNAME,
                ObjectChecker.ErrorType.HAS_DOT,
                ObjectChecker.ErrorType.HAS_DOTDOT,
                ObjectChecker.ErrorType.HAS_DOTGIT));
    }

    @Override
    protected void executeCommands() {
        explainStaleOldIds();
        refuseRefsOverTheLimit();
        gate.hold();
        super.executeCommands();
        gate.discard(); // JGit's progress meter of the ref updates
        try {
            pointUnbornHeadAtNewBranch(filterCommands(ReceiveCommand.Result.OK));
        } catch (IOException e) {
            // HEAD stays as it was; the push itself is fine
            LOG.log(Level.WARNING, "could not move HEAD of a new repository", e);
        }
        decided = List.copyOf(getAllCommands());
        gate.hold();
    }

    /**
     * A command whose old id is not the ref's current value lost a race with another push (the
     * client's view is stale). JGit says "invalid old id sent"; git users know this as "fetch first".
     */
    private void explainStaleOldIds() {
        String jgits = JGitText.get().invalidOldIdSent;
        for (ReceiveCommand c : getAllCommands()) {
            if (c.getResult() == ReceiveCommand.Result.REJECTED_OTHER_REASON && jgits.equals(c.getMessage())) {
                c.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON,
                        "stale info: the ref moved since you fetched; fetch first");
            }
        }
    }

    /**
     * Every ref is held in memory and listed by each ref advertisement: creations that would leave
     * the repository with more than {@code maxRefs} refs are refused (all of them, so the outcome does
     * not depend on the order of the commands); updates and deletions go on.
     */
    private void refuseRefsOverTheLimit() {
        List<ReceiveCommand> pending = filterCommands(ReceiveCommand.Result.NOT_ATTEMPTED);
        long creates = pending.stream().filter(c -> c.getType() == ReceiveCommand.Type.CREATE).count();
        if (creates == 0) {
            return;
        }
        long deletes = pending.stream().filter(c -> c.getType() == ReceiveCommand.Type.DELETE).count();
        long existing;
        try {
            existing = getRepository().getRefDatabase().getRefsByPrefix(Constants.R_REFS).size();
        } catch (IOException e) {
            return; // JGit reads the refs again to update them, and reports that failure
        }
        long after = existing - deletes + creates;
        if (after > maxRefs) {
            String reason = "the repository would have " + after + " refs, more than its limit of " + maxRefs;
            for (ReceiveCommand c : pending) {
                if (c.getType() == ReceiveCommand.Type.CREATE) {
                    c.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, reason);
                }
            }
        }
    }

    /**
     * Receives the push {@code request} into {@code repository}, writing git's response to {@code gate}:
     * progress passes through, the report is held once the refs are updated. JGit reports its own
     * failures to the client; they come back in the outcome.
     */
    static PushOutcome run(Repository repository, PushRequest request, OutputGate gate, boolean allowNonFastForwards,
            long maxObjectBytes, long maxRefs) throws IOException {
        long started = System.nanoTime();
        GatedReceivePack engine = new GatedReceivePack(repository, gate, allowNonFastForwards, maxObjectBytes,
                maxRefs);
        Exception failure = null;
        try {
            engine.receive(request.forJGit(), gate, null);
        } catch (IOException | RuntimeException e) {
            failure = e; // JGit has already told the client (unpack error, protocol error)
        }
        return new PushOutcome(engine.decided, engine.getReceivedPackStatistics(), failure, started);
    }

    /**
     * While HEAD names a branch that does not exist, a push that creates branches gives it one, so
     * that clones check something out: the pushed branch if it was the only one, else master.
     */
    private void pointUnbornHeadAtNewBranch(List<ReceiveCommand> applied) throws IOException {
        Repository repo = getRepository();
        Ref head = repo.exactRef(Constants.HEAD);
        if (head == null || !head.isSymbolic() || head.getObjectId() != null) {
            return; // HEAD is born (or detached): leave it
        }
        List<String> created = applied.stream()
                .filter(c -> c.getType() == ReceiveCommand.Type.CREATE)
                .map(ReceiveCommand::getRefName)
                .filter(n -> n.startsWith(Constants.R_HEADS))
                .toList();
        String target = created.size() == 1 ? created.get(0)
                : created.contains(Constants.R_HEADS + Constants.MASTER) ? Constants.R_HEADS + Constants.MASTER
                : null;
        if (target != null) {
            RefUpdate.Result r = repo.updateRef(Constants.HEAD).link(target);
            LOG.fine(() -> "HEAD of new repository -> " + target + ": " + r);
        }
    }
}
