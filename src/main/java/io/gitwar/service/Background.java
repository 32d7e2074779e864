package io.gitwar.service;

import io.gitwar.storage.dfs.JGitEnvironment;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * gitwar's background work (repacks, deletions of replaced packs, the release of idle repositories)
 * on the container's default managed executors. The work always runs on the
 * {@link ManagedExecutorService}; the {@link ManagedScheduledExecutorService} only decides when and
 * hands it over, so it stays free for what must be on time: Payara's default scheduler runs
 * everything on one thread, where a repack of minutes would hold up every other scheduled check.
 *
 * <p>Every task ends with JGit's thread state released ({@link JGitEnvironment#releaseThread()}):
 * the executors' threads outlive this deployment. {@link #stop()} cancels whatever is scheduled and
 * waits a while for running tasks, so nothing of gitwar runs after the application stopped.
 * Thread-safe.
 */
@ApplicationScoped
public class Background {

    private static final Logger LOG = Logger.getLogger(Background.class.getName());

    /** How long {@link #stop()} waits for running tasks (a repack commits or rolls back meanwhile). */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final Set<ScheduledFuture<?>> scheduled = ConcurrentHashMap.newKeySet();
    private final Object runningLock = new Object();
    private int running;
    private volatile boolean stopped;

    /**
     * Runs {@code task} on the executor as soon as it has a thread for it.
     *
     * @throws RejectedExecutionException if the executor takes no more work, or gitwar is stopping
     */
    public void run(Runnable task) {
        if (stopped) {
            throw new RejectedExecutionException("gitwar is stopping");
        }
        executor.execute(tracked(task));
    }

    /** Runs {@code task} on the executor after {@code delay}. */
    public void runLater(Duration delay, String what, Runnable task) {
        schedule(scheduler.schedule(() -> handOver(what, task), delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * Runs {@code task} on the executor every {@code period}; a run still going when the next is due
     * makes that one skip, so runs never overlap.
     */
    public void runEvery(Duration period, String what, Runnable task) {
        AtomicBoolean busy = new AtomicBoolean();
        Runnable once = () -> {
            try {
                task.run();
            } finally {
                busy.set(false);
            }
        };
        schedule(scheduler.scheduleWithFixedDelay(() -> {
            if (busy.compareAndSet(false, true) && !handOver(what, once)) {
                busy.set(false);
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Cancels every scheduled task, starts no more, and waits up to 30 s for running ones. */
    public void stop() {
        stopped = true;
        scheduled.forEach(f -> f.cancel(false));
        scheduled.clear();
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        synchronized (runningLock) {
            while (running > 0 && System.nanoTime() < deadline) {
                try {
                    runningLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (running > 0) {
                LOG.warning(running + " background tasks still running after " + STOP_WAIT.toSeconds() + " s");
            }
        }
    }

    private void schedule(ScheduledFuture<?> future) {
        scheduled.removeIf(ScheduledFuture::isDone);
        scheduled.add(future);
        if (stopped) {
            future.cancel(false);
        }
    }

    /** On the scheduler's thread: gives the task to the executor; false if it did not take it. */
    private boolean handOver(String what, Runnable task) {
        try {
            run(task);
            return true;
        } catch (RejectedExecutionException e) {
            LOG.info(() -> what + " not started: " + e.getMessage());
            return false;
        }
    }

    private Runnable tracked(Runnable task) {
        return () -> {
            synchronized (runningLock) {
                if (stopped) {
                    return;
                }
                running++;
            }
            try {
                task.run();
            } finally {
                JGitEnvironment.releaseThread();
                synchronized (runningLock) {
                    running--;
                    runningLock.notifyAll();
                }
            }
        };
    }
}
