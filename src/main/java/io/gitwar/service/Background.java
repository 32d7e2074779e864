package io.gitwar.service;

import io.gitwar.storage.dfs.JGitEnvironment;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * gitwar's background work (repacks, deletions of replaced packs, the release of idle repositories)
 * on the container's default managed executors. The work always runs on the
 * {@link ManagedExecutorService}; the {@link ManagedScheduledExecutorService} only runs a tick every
 * second that hands over what is due, so it stays free for what must be on time: Payara's default
 * scheduler runs everything on one thread, where a repack of minutes would hold up every other
 * scheduled check.
 *
 * <p>One tick rather than a scheduled task per piece of work, because a cancelled task stays in the
 * container's scheduler queue, with this deployment's context, until the time it was due: the
 * deletion of replaced packs, an hour away, would keep an undeployed gitwar's class loader for that
 * hour. The tick is due within a second.
 *
 * <p>Every task ends with JGit's thread state released ({@link JGitEnvironment#releaseThread()}):
 * the executors' threads outlive this deployment. {@link #stop()} cancels the tick, starts nothing
 * more and waits a while for running tasks, so nothing of gitwar runs after the application stopped.
 * Thread-safe.
 */
@ApplicationScoped
public class Background {

    private static final Logger LOG = Logger.getLogger(Background.class.getName());

    /** How often due work is handed to the executor: the precision of {@link #runLater} and {@link #runEvery}. */
    private static final Duration TICK = Duration.ofSeconds(1);

    /** How long {@link #stop()} waits for running tasks (a repack commits or rolls back meanwhile). */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /** A piece of work waiting for its time; {@code period} null: once. */
    private record Due(long atNanos, String what, Runnable task, Duration period) {
        Due next() {
            return new Due(atNanos + period.toNanos(), what, task, period);
        }
    }

    /** Earliest first (nanoTime values are compared by their difference: they may overflow). */
    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> Long.signum(a.atNanos() - b.atNanos()));
    private ScheduledFuture<?> tick;
    private boolean stopped;
    private int running;

    /**
     * Runs {@code task} on the executor as soon as it has a thread for it.
     *
     * @throws RejectedExecutionException if the executor takes no more work, or gitwar is stopping
     */
    public void run(Runnable task) {
        synchronized (this) {
            if (stopped) {
                throw new RejectedExecutionException("gitwar is stopping");
            }
        }
        executor.execute(tracked(task));
    }

    /** Work given to {@link #runLater}, which can be taken back until it is due. */
    public interface Pending {
        /** Takes the work back: true if it will not run, false if it was already handed to the executor. */
        boolean cancel();
    }

    /**
     * Runs {@code task} on the executor after {@code delay} (to the next second).
     *
     * @throws RejectedExecutionException if gitwar is stopping
     */
    public Pending runLater(Duration delay, String what, Runnable task) {
        Due work = new Due(System.nanoTime() + delay.toNanos(), what, task, null);
        add(work);
        return () -> {
            synchronized (this) {
                return due.remove(work);
            }
        };
    }

    /**
     * Runs {@code task} on the executor every {@code period}; a run still going when the next is due
     * makes that one skip, so runs never overlap.
     *
     * @throws RejectedExecutionException if gitwar is stopping
     */
    public void runEvery(Duration period, String what, Runnable task) {
        AtomicBoolean busy = new AtomicBoolean();
        Runnable once = () -> {
            if (busy.compareAndSet(false, true)) {
                try {
                    task.run();
                } finally {
                    busy.set(false);
                }
            }
        };
        add(new Due(System.nanoTime() + period.toNanos(), what, once, period));
    }

    /** Cancels the tick and whatever waits for it, starts nothing more, and waits up to 30 s for running tasks. */
    public synchronized void stop() {
        stopped = true;
        if (tick != null) {
            tick.cancel(false);
        }
        due.clear();
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (running > 0 && deadline - System.nanoTime() > 0) {
            try {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (running > 0) {
            LOG.warning(running + " background tasks still running after " + STOP_WAIT.toSeconds() + " s");
        }
    }

    private synchronized void add(Due work) {
        if (stopped) {
            throw new RejectedExecutionException("gitwar is stopping");
        }
        due.add(work);
        if (tick == null) {
            tick = scheduler.scheduleWithFixedDelay(this::handOverDue, TICK.toMillis(), TICK.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** On the scheduler's thread: gives what is due to the executor. */
    private void handOverDue() {
        List<Due> ready = new ArrayList<>();
        synchronized (this) {
            long now = System.nanoTime();
            while (!due.isEmpty() && due.peek().atNanos() - now <= 0) {
                Due d = due.poll();
                ready.add(d);
                if (d.period() != null) {
                    due.add(d.next());
                }
            }
        }
        for (Due d : ready) {
            try {
                run(d.task());
            } catch (RejectedExecutionException e) {
                LOG.info(() -> d.what() + " not started: " + e.getMessage());
            }
        }
    }

    private Runnable tracked(Runnable task) {
        return () -> {
            synchronized (this) {
                if (stopped) {
                    return;
                }
                running++;
            }
            try {
                task.run();
            } finally {
                JGitEnvironment.releaseThread();
                synchronized (this) {
                    running--;
                    notifyAll();
                }
            }
        };
    }
}
