package io.gitwar.service;

import io.gitwar.storage.WriteTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.internal.storage.dfs.DfsGarbageCollector;
import org.eclipse.jgit.lib.NullProgressMonitor;

/**
 * One full repack as one JTA transaction, written through the same path as a push (the repository's
 * SQLite write transaction, bound by {@link TransactionalWrites}): JGit's DFS garbage collector
 * rewrites every reachable object into one pack with a reachability bitmap and a commit graph (plus
 * one for refs outside {@code refs/heads} and {@code refs/tags}, if any), moves unreachable objects
 * into a garbage pack, and drops garbage packs older than the TTL. The packs it replaced are retired
 * (see {@link io.gitwar.storage.StoreSession#packsIncludingRetired()}); those retired longer than the
 * grace period are deleted. Readers see the old packs or the new ones, never a mix. Deltas are reused
 * as stored; new ones are searched for only with {@code gitwar.gc.find-deltas}.
 *
 * <p>The caller holds the repository's write slot, so no push runs meanwhile: every push either
 * committed before (its refs keep its objects reachable) or starts after the commit. A push whose
 * objects were advertised before a ref was deleted still finds them: unreachable objects stay in the
 * garbage pack until the TTL has passed, which is what that TTL is for.
 */
@ApplicationScoped
public class RepackTransaction {

    @Inject
    TransactionalWrites writes;

    @Inject
    GitwarConfig config;

    /** What a repack did. */
    public record Result(int packsBefore, int packsWritten, int retiredDeleted) {
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Result repack(RepositoryActor actor) throws IOException {
        WriteTransaction tx = writes.begin(actor);
        MaintenanceConfig m = config.maintenance();
        DfsGarbageCollector gc = new DfsGarbageCollector(tx.repository())
                .setGarbageTtl(m.garbageTtl().toMillis(), TimeUnit.MILLISECONDS)
                .setWriteCommitGraph(true);
        gc.getPackConfig().setDeltaCompress(m.findDeltas()); // stored deltas are reused either way
        gc.pack(NullProgressMonitor.INSTANCE);
        int deleted = tx.deleteRetiredPacks(Instant.now().minus(m.replacedPackGrace()));
        return new Result(gc.getSourcePacks().size(), gc.getNewPacks().size(), deleted);
    }

    /** Deletes the packs retired longer than the grace period ago; returns how many. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int deleteExpiredRetiredPacks(RepositoryActor actor) throws IOException {
        return writes.begin(actor).deleteRetiredPacks(Instant.now().minus(config.maintenance().replacedPackGrace()));
    }
}
