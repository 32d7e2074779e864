package io.gitwar.service;

import io.gitwar.storage.ReadSnapshot;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps repositories to a few packs: after each push, {@link CompactionPolicy} decides whether a
 * repack is due, and if so one runs in the background on the container's managed executor, so the
 * push's client never waits for it. A repack takes the repository's write slot (pushes queue behind
 * it, in arrival order as always) but never blocks reads, which run on their own snapshots.
 * At most one repack per repository is scheduled at a time.
 */
@ApplicationScoped
public class RepositoryMaintenance {

    private static final Logger LOG = Logger.getLogger(RepositoryMaintenance.class.getName());

    /** After a failed repack, pushes do not start another for this long (each would fail the same way). */
    static final Duration BACKOFF_AFTER_FAILURE = Duration.ofMinutes(10);

    /** Repositories with a repack scheduled or running: pushes in a row schedule only one. */
    private final Set<RepositoryName> scheduled = ConcurrentHashMap.newKeySet();
    private final Map<RepositoryName, Instant> failedAt = new ConcurrentHashMap<>();

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    ActorRegistry registry;

    @Inject
    RepackTransaction repacks;

    @Inject
    GitwarConfig config;

    /** Schedules a repack of the repository if its packs call for one. Never throws, never blocks long. */
    public void afterPush(RepositoryActor actor) {
        Optional<String> reason;
        try (ReadSnapshot s = actor.openSnapshot()) {
            reason = CompactionPolicy.reason(s.packs(), config.maintenance());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot inspect the packs of " + actor.name(), e);
            return;
        }
        Instant failed = failedAt.get(actor.name());
        if (reason.isEmpty() || (failed != null && failed.plus(BACKOFF_AFTER_FAILURE).isAfter(Instant.now()))
                || !scheduled.add(actor.name())) {
            return;
        }
        ActorRegistry.Lease lease = registry.lease(actor.name()); // the actor stays while the task waits
        try {
            executor.execute(() -> repack(lease, reason.get()));
        } catch (RejectedExecutionException e) {
            LOG.warning(() -> "cannot schedule a repack of " + actor.name() + ": " + e.getMessage());
            scheduled.remove(actor.name());
            lease.close();
        }
    }

    /**
     * The packs a repack replaced are deleted once their grace period is over, not only by the next
     * repack, so a repository does not keep twice its size for long. (After a restart the next
     * repack deletes them.)
     */
    private void scheduleDeletionOfReplacedPacks(RepositoryName name) {
        Duration grace = config.maintenance().replacedPackGrace().plusSeconds(1);
        try {
            scheduler.schedule(() -> deleteReplacedPacks(name), grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.fine(() -> "replaced packs of " + name + " wait for the next repack: " + e.getMessage());
        }
    }

    private void deleteReplacedPacks(RepositoryName name) {
        try (ActorRegistry.Lease lease = registry.lease(name);
                RepositoryActor.WriteSlot slot = lease.actor().lockForWrite(config.pushQueueTimeout())) {
            int deleted = repacks.deleteExpiredRetiredPacks(lease.actor());
            if (deleted > 0) {
                LOG.info(() -> "deleted " + deleted + " packs of " + name + " replaced by a repack");
            }
        } catch (Exception e) {
            LOG.log(Level.INFO, "replaced packs of " + name + " wait for the next repack", e);
        }
    }

    private void repack(ActorRegistry.Lease lease, String reason) {
        RepositoryActor actor = lease.actor();
        try (lease; RepositoryActor.WriteSlot slot = actor.lockForWrite(config.pushQueueTimeout())) {
            long start = System.nanoTime();
            RepackTransaction.Result r = repacks.repack(actor);
            LOG.info(() -> String.format("repacked %s (%s): %d packs into %d in %d ms; %d replaced packs deleted",
                    actor.name(), reason, r.packsBefore(), r.packsWritten(), (System.nanoTime() - start) / 1_000_000,
                    r.retiredDeleted()));
            failedAt.remove(actor.name());
            scheduleDeletionOfReplacedPacks(actor.name());
        } catch (RepositoryBusy e) {
            LOG.info(() -> "repack of " + actor.name() + " postponed: " + e.getMessage());
        } catch (Exception e) {
            // includes the RollbackException of a failed SQLite commit: nothing changed
            failedAt.put(actor.name(), Instant.now());
            LOG.log(Level.WARNING, "repack of " + actor.name() + " failed; the next one is tried after a push "
                    + BACKOFF_AFTER_FAILURE.toMinutes() + " minutes from now or later", e);
        } finally {
            scheduled.remove(actor.name());
        }
    }
}
