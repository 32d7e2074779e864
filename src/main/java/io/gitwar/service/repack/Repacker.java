package io.gitwar.service.repack;

import io.gitwar.config.GitwarConfig;
import io.gitwar.config.RepackConfig;
import io.gitwar.failure.RepositoryBusy;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.Background;
import io.gitwar.service.Lease;
import io.gitwar.service.LoosePacks;
import io.gitwar.service.PackListings;
import io.gitwar.service.RepositoryActor;
import io.gitwar.service.RepositoryName;
import io.gitwar.service.RepositoryWrites;
import io.gitwar.service.event.RepackCompleted;
import io.gitwar.storage.ReadSnapshot;
import io.gitwar.storage.WriteTransaction;
import io.gitwar.storage.file.StoredPack;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jgit.internal.storage.dfs.DfsGarbageCollector;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.storage.pack.PackConfig;

/**
 * Keeps repositories to a few packs: after each push, {@link RepackPolicy} decides whether a repack
 * is due, and if so one runs in the {@link Background} (the container's managed executor), so the
 * push's client never waits for it. At most one repack per repository is scheduled at a time, and
 * pushes start at most one per {@code gitwar.repack.min-interval-minutes} (unless the repository
 * reached {@code gitwar.repack.auto-pack-limit} packs): one due sooner runs when the interval is over.
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
 * not deleted, and deleted once their grace period is over, or earlier, oldest first, when all
 * replaced packs together would take more than {@code gitwar.repack.replaced-pack-max-percent} of
 * the live ones (those the latest repack replaced stay for their grace period in any case).
 *
 * <p>Every repack that ran or was due is told as a {@link RepackCompleted}.
 */
@ApplicationScoped
public class Repacker {

    private static final Logger LOG = Logger.getLogger(Repacker.class.getName());

    /** After a failed repack, pushes do not start another for this long (each would fail the same way). */
    static final Duration BACKOFF_AFTER_FAILURE = Duration.ofMinutes(10);

    /** Repositories with a repack scheduled or running: pushes in a row schedule only one. */
    private final Set<RepositoryName> scheduled = ConcurrentHashMap.newKeySet();
    /** Those of {@link #scheduled} whose repack waits for the minimum interval. */
    private final Map<RepositoryName, Background.Pending> postponed = new ConcurrentHashMap<>();
    private final Map<RepositoryName, Instant> failedAt = new ConcurrentHashMap<>();

    @Inject
    Background background;

    @Inject
    ActorRegistry registry;

    @Inject
    RepositoryWrites writes;

    @Inject
    GitwarConfig config;

    @Inject
    LoosePacks loosePacks;

    @Inject
    PackListings listings;

    @Inject
    Event<RepackCompleted> repacked;

    /** What a repack did; {@code replaced}: the names of the packs it replaced. */
    private record Result(int packsBefore, int packsWritten, int replacedDeleted, List<StoredPack> overBound,
            long liveBytes, Set<String> replaced, boolean inPlace) {
    }

    /** How often a replaced pack waiting for the snapshots that could read it looks again. */
    static final Duration EARLY_DELETION_RETRY = Duration.ofSeconds(2);

    /**
     * Schedules a repack of the repository if its packs call for one: now, or when the minimum
     * interval since the last one is over (see {@link RepackPolicy}). Never throws, never blocks long.
     */
    public void afterPush(RepositoryActor actor) {
        RepackPolicy.Decision decision = decide(actor);
        Instant failed = failedAt.get(actor.name());
        if (decision == null || decision instanceof RepackPolicy.Fine
                || (failed != null && failed.plus(BACKOFF_AFTER_FAILURE).isAfter(Instant.now()))) {
            return;
        }
        if (decision instanceof RepackPolicy.Now) {
            Background.Pending waiting = postponed.remove(actor.name());
            if (waiting != null && waiting.cancel()) {
                scheduled.remove(actor.name()); // the ceiling does not wait for the interval
            }
        }
        if (!scheduled.add(actor.name())) {
            return;
        }
        if (decision instanceof RepackPolicy.Later later) {
            postpone(actor.name(), later);
            return;
        }
        Lease lease = registry.lease(actor.name()); // the actor stays while the task waits
        try {
            background.run(() -> repack(lease, ((RepackPolicy.Now) decision).reason()));
        } catch (RejectedExecutionException e) {
            LOG.warning(() -> "cannot schedule a repack of " + actor.name() + ": " + e.getMessage());
            scheduled.remove(actor.name());
            lease.close();
        }
    }

    /**
     * Schedules a repack of the repository now, whatever its packs call for (an operator asked): a
     * postponed one is brought forward; one already scheduled or running does it.
     *
     * @throws RepositoryBusy if the executor takes no more tasks
     */
    public void repackNow(RepositoryActor actor) {
        Background.Pending waiting = postponed.remove(actor.name());
        if (waiting != null && waiting.cancel()) {
            scheduled.remove(actor.name());
        }
        if (!scheduled.add(actor.name())) {
            return;
        }
        failedAt.remove(actor.name());
        Lease lease = registry.lease(actor.name());
        try {
            background.run(() -> repack(lease, "asked for"));
        } catch (RejectedExecutionException e) {
            scheduled.remove(actor.name());
            lease.close();
            throw new RepositoryBusy("cannot schedule a repack of " + actor.name() + " now; try again");
        }
    }

    /** What the repository's packs call for now; null if they cannot be read. */
    private RepackPolicy.Decision decide(RepositoryActor actor) {
        try (ReadSnapshot s = actor.openSnapshot()) {
            List<StoredPack> packs = s.packs();
            return RepackPolicy.decide(packs, loosePacks.of(s, packs, config.repack().unpackLimit()), config.repack(),
                    Instant.now());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot inspect the packs of " + actor.name(), e);
            return null;
        }
    }

    /**
     * A repack that is due but within the minimum interval of the last one waits for its end, as
     * the repository's one scheduled repack (pushes meanwhile schedule nothing), and then runs if
     * the packs still call for it, even if no push comes. The actor is leased only when it runs.
     */
    private void postpone(RepositoryName name, RepackPolicy.Later later) {
        LOG.info(() -> "repack of " + name + " (" + later.reason() + ") postponed until " + later.at()
                + ": one per gitwar.repack.min-interval-minutes " + config.repack().minInterval().toMinutes());
        long delay = Math.max(0, Duration.between(Instant.now(), later.at()).toMillis());
        try {
            postponed.put(name, background.runLater(Duration.ofMillis(delay), "postponed repack of " + name,
                    () -> repackIfDue(name)));
        } catch (RejectedExecutionException e) {
            LOG.fine(() -> "the postponed repack of " + name + " waits for the next push: " + e.getMessage());
            scheduled.remove(name);
        }
    }

    private void repackIfDue(RepositoryName name) {
        postponed.remove(name);
        Lease lease = registry.lease(name);
        RepackPolicy.Decision decision = decide(lease.actor());
        if (decision instanceof RepackPolicy.Now now) {
            repack(lease, now.reason());
            return;
        }
        scheduled.remove(name);
        lease.close();
        if (decision instanceof RepackPolicy.Later later && scheduled.add(name)) {
            postpone(name, later);
        }
    }

    private void repack(Lease lease, String reason) {
        RepositoryName name = lease.name();
        long start = System.nanoTime();
        RepackCompleted.Result result = RepackCompleted.Result.FAILED;
        try (lease) {
            Result r = writes.maintain(lease.actor(), this::repack);
            result = RepackCompleted.Result.DONE;
            LOG.info(() -> String.format("repacked %s (%s): %s in %d ms; %d replaced packs deleted", name, reason,
                    r.inPlace() ? "its only pack, its first push, given a bitmap and a commit graph in place"
                            : r.packsBefore() + " packs into " + r.packsWritten(),
                    (System.nanoTime() - start) / 1_000_000, r.replacedDeleted()));
            if (!r.overBound().isEmpty()) {
                LOG.info(() -> String.format("deleted %d packs of %s replaced by earlier repacks (%d bytes) before their"
                        + " grace period: replaced packs may take %d%% of the %d bytes of live packs"
                        + " (gitwar.repack.replaced-pack-max-percent)", r.overBound().size(), name,
                        r.overBound().stream().mapToLong(RepackPolicy::bytes).sum(),
                        config.repack().replacedPackMaxPercent(), r.liveBytes()));
            }
            failedAt.remove(name);
            scheduleDeletionOfReplacedPacks(name);
            deleteUnneededReplacedPacks(lease.actor(), lease.actor().snapshotMark(), r.replaced(),
                    Instant.now().plus(config.repack().replacedPackGrace()));
        } catch (RepositoryBusy e) {
            result = RepackCompleted.Result.BUSY;
            LOG.info(() -> "repack of " + name + " postponed: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            // includes a failed commit: nothing changed
            failedAt.put(name, Instant.now());
            LOG.log(Level.WARNING, "repack of " + name + " failed; the next one is tried after a push "
                    + BACKOFF_AFTER_FAILURE.toMinutes() + " minutes from now or later", e);
        } finally {
            scheduled.remove(name);
            repacked.fire(new RepackCompleted(name, result, Duration.ofNanos(System.nanoTime() - start)));
        }
    }

    private Result repack(WriteTransaction tx) throws IOException {
        RepackConfig c = config.repack();
        if (tx.indexSolePack(new PackConfig(tx.repository()))) {
            // a first push: already one pack of what its refs reach, now with a bitmap; nothing replaced
            List<StoredPack> packs = tx.packsIncludingRetired();
            long live = packs.stream().filter(p -> !p.retired()).mapToLong(RepackPolicy::bytes).sum();
            return new Result(1, 1, deleteReplacedPacks(tx), List.of(), live, Set.of(), true);
        }
        DfsGarbageCollector gc = new DfsGarbageCollector(tx.repository())
                .setGarbageTtl(c.garbageTtl().toMillis(), TimeUnit.MILLISECONDS)
                .setWriteCommitGraph(true);
        gc.getPackConfig().setDeltaCompress(c.findDeltas()); // stored deltas are reused either way
        gc.pack(NullProgressMonitor.INSTANCE);
        int deleted = deleteReplacedPacks(tx);
        List<StoredPack> packs = tx.packsIncludingRetired();
        List<StoredPack> overBound = RepackPolicy.replacedOverBound(packs, c.replacedPackMaxPercent());
        for (StoredPack p : overBound) {
            tx.deleteRetiredPack(p.name());
        }
        long live = packs.stream().filter(p -> !p.retired()).mapToLong(RepackPolicy::bytes).sum();
        Set<String> replaced = gc.getSourcePacks().stream().map(d -> d.getPackName())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        return new Result(gc.getSourcePacks().size(), gc.getNewPacks().size(), deleted, overBound, live, replaced, false);
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

    /**
     * Deletes the packs a repack just replaced before their grace period if nobody can need them:
     * no snapshot opened before the repack's commit (the {@code mark}) is still open (it could still
     * read them), no {@code objects/info/packs} answer named them lately ({@link PackListings}: a
     * dumb client may download them next), and they were not loose-served (a dumb client walking
     * loose objects may still ask for theirs; small anyway). So a first push's pack, replaced at
     * once by the repack that gives it a bitmap, does not double the file for the grace period.
     * While old snapshots are open this looks again every {@link #EARLY_DELETION_RETRY} until
     * {@code until}, when the grace period's own deletion takes over.
     */
    private void deleteUnneededReplacedPacks(RepositoryActor repacked, long mark, Set<String> replaced, Instant until) {
        if (replaced.isEmpty() || !Instant.now().isBefore(until)) {
            return;
        }
        RepositoryName name = repacked.name();
        try (Lease lease = registry.lease(name)) {
            // another actor means the repacked one was let go, which it is only with nothing open
            if (lease.actor() == repacked && repacked.snapshotOpenFrom(mark)) {
                background.runLater(EARLY_DELETION_RETRY, "deletion of the packs of " + name + " replaced by a repack",
                        () -> deleteUnneededReplacedPacks(repacked, mark, replaced, until));
                return;
            }
            if (!lease.exists()) {
                return;
            }
            int deleted = writes.maintain(lease.actor(), tx -> {
                List<StoredPack> packs = tx.packsIncludingRetired();
                Set<String> looseServed = loosePacks.of(tx, packs, config.repack().unpackLimit());
                int n = 0;
                for (StoredPack p : packs) {
                    if (p.retired() && replaced.contains(p.name()) && !looseServed.contains(p.name())
                            && !listings.namedLately(name, p.name()) && tx.deleteRetiredPack(p.name())) {
                        n++;
                    }
                }
                return n;
            });
            if (deleted > 0) {
                LOG.info(() -> "deleted " + deleted + " packs of " + name + " replaced by a repack: no reader needs them");
            }
        } catch (RejectedExecutionException e) {
            LOG.fine(() -> "replaced packs of " + name + " wait for their grace period: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.INFO, "replaced packs of " + name + " wait for their grace period", e);
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
