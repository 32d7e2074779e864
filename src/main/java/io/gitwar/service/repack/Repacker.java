package io.gitwar.service.repack;

import io.gitwar.config.GitwarConfig;
import io.gitwar.config.RepackConfig;
import io.gitwar.failure.RepositoryBusy;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.Background;
import io.gitwar.service.Lease;
import io.gitwar.service.RepositoryActor;
import io.gitwar.service.RepositoryName;
import io.gitwar.service.RepositoryWrites;
import io.gitwar.storage.ReadSnapshot;
import io.gitwar.storage.WriteTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jgit.internal.storage.dfs.DfsGarbageCollector;
import org.eclipse.jgit.lib.NullProgressMonitor;

/**
 * Keeps repositories to a few packs: after each push, {@link RepackPolicy} decides whether a repack
 * is due, and if so one runs in the {@link Background} (the container's managed executor), so the
 * push's client never waits for it. At most one repack per repository is scheduled at a time.
 *
 * <p>A repack is a repository write like a push ({@link RepositoryWrites}): it takes the
 * repository's turn (pushes queue behind it, in arrival order as always) and commits atomically;
 * reads never wait, each on its own snapshot. JGit's DFS garbage collector rewrites every reachable
 * object into one pack with a reachability bitmap and a commit graph (plus one for refs outside
 * {@code refs/heads} and {@code refs/tags}, if any), moves unreachable objects into a garbage pack,
 * and drops garbage packs older than the TTL. Readers see the old packs or the new ones, never a
 * mix. Deltas are reused as stored; new ones are searched for only with
 * {@code gitwar.repack.find-deltas}.
 *
 * <p>Since a repack holds the repository's turn, no push runs meanwhile: every push either committed
 * before (its refs keep its objects reachable) or starts after the commit. A push whose objects were
 * advertised before a ref was deleted still finds them: unreachable objects stay in the garbage pack
 * until the TTL has passed, which is what that TTL is for. The packs a repack replaced are retired,
 * not deleted, and deleted once their grace period is over.
 */
@ApplicationScoped
public class Repacker {

    private static final Logger LOG = Logger.getLogger(Repacker.class.getName());

    /** After a failed repack, pushes do not start another for this long (each would fail the same way). */
    static final Duration BACKOFF_AFTER_FAILURE = Duration.ofMinutes(10);

    /** Repositories with a repack scheduled or running: pushes in a row schedule only one. */
    private final Set<RepositoryName> scheduled = ConcurrentHashMap.newKeySet();
    private final Map<RepositoryName, Instant> failedAt = new ConcurrentHashMap<>();

    @Inject
    Background background;

    @Inject
    ActorRegistry registry;

    @Inject
    RepositoryWrites writes;

    @Inject
    GitwarConfig config;

    /** What a repack did. */
    private record Result(int packsBefore, int packsWritten, int replacedDeleted) {
    }

    /** Schedules a repack of the repository if its packs call for one. Never throws, never blocks long. */
    public void afterPush(RepositoryActor actor) {
        Optional<String> reason;
        try (ReadSnapshot s = actor.openSnapshot()) {
            reason = RepackPolicy.reason(s.packs(), config.repack());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot inspect the packs of " + actor.name(), e);
            return;
        }
        Instant failed = failedAt.get(actor.name());
        if (reason.isEmpty() || (failed != null && failed.plus(BACKOFF_AFTER_FAILURE).isAfter(Instant.now()))
                || !scheduled.add(actor.name())) {
            return;
        }
        Lease lease = registry.lease(actor.name()); // the actor stays while the task waits
        try {
            background.run(() -> repack(lease, reason.get()));
        } catch (RejectedExecutionException e) {
            LOG.warning(() -> "cannot schedule a repack of " + actor.name() + ": " + e.getMessage());
            scheduled.remove(actor.name());
            lease.close();
        }
    }

    private void repack(Lease lease, String reason) {
        RepositoryName name = lease.name();
        try (lease) {
            long start = System.nanoTime();
            Result r = writes.maintain(lease.actor(), this::repack);
            LOG.info(() -> String.format("repacked %s (%s): %d packs into %d in %d ms; %d replaced packs deleted",
                    name, reason, r.packsBefore(), r.packsWritten(), (System.nanoTime() - start) / 1_000_000,
                    r.replacedDeleted()));
            failedAt.remove(name);
            scheduleDeletionOfReplacedPacks(name);
        } catch (RepositoryBusy e) {
            LOG.info(() -> "repack of " + name + " postponed: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            // includes a failed commit: nothing changed
            failedAt.put(name, Instant.now());
            LOG.log(Level.WARNING, "repack of " + name + " failed; the next one is tried after a push "
                    + BACKOFF_AFTER_FAILURE.toMinutes() + " minutes from now or later", e);
        } finally {
            scheduled.remove(name);
        }
    }

    private Result repack(WriteTransaction tx) throws IOException {
        RepackConfig c = config.repack();
        DfsGarbageCollector gc = new DfsGarbageCollector(tx.repository())
                .setGarbageTtl(c.garbageTtl().toMillis(), TimeUnit.MILLISECONDS)
                .setWriteCommitGraph(true);
        gc.getPackConfig().setDeltaCompress(c.findDeltas()); // stored deltas are reused either way
        gc.pack(NullProgressMonitor.INSTANCE);
        int deleted = deleteReplacedPacks(tx);
        return new Result(gc.getSourcePacks().size(), gc.getNewPacks().size(), deleted);
    }

    private int deleteReplacedPacks(WriteTransaction tx) throws IOException {
        return tx.deleteRetiredPacks(Instant.now().minus(config.repack().replacedPackGrace()));
    }

    /**
     * The packs a repack replaced are deleted once their grace period is over, not only by the next
     * repack, so a repository does not keep twice its size for long. (After a restart the next
     * repack deletes them.)
     */
    private void scheduleDeletionOfReplacedPacks(RepositoryName name) {
        Duration grace = config.repack().replacedPackGrace().plusSeconds(1);
        try {
            background.runLater(grace, "deletion of the packs of " + name + " replaced by a repack",
                    () -> deleteReplacedPacks(name));
        } catch (RejectedExecutionException e) {
            LOG.fine(() -> "replaced packs of " + name + " wait for the next repack: " + e.getMessage());
        }
    }

    private void deleteReplacedPacks(RepositoryName name) {
        try (Lease lease = registry.lease(name)) {
            int deleted = writes.maintain(lease.actor(), this::deleteReplacedPacks);
            if (deleted > 0) {
                LOG.info(() -> "deleted " + deleted + " packs of " + name + " replaced by a repack");
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.INFO, "replaced packs of " + name + " wait for the next repack", e);
        }
    }
}
