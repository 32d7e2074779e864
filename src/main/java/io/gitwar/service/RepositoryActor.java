package io.gitwar.service;

import io.gitwar.storage.ReadSnapshot;
import io.gitwar.storage.RepositoryMissingException;
import io.gitwar.storage.SqliteStore;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one owner of a repository's storage (gitwar's Durable Object): writes to the repository go
 * through {@link #lockForWrite(Duration)} one at a time, in arrival order; reads open snapshots
 * concurrently and never wait for a writer.
 *
 * <p>Thread-safe. Handed out by {@link ActorRegistry} under a lease, so it is never retired while a
 * request still uses it, and there is exactly one per repository name.
 */
public final class RepositoryActor {

    private final RepositoryName name;
    private final SqliteStore store;
    /** Fair: pushes are served in arrival order, so none starves. */
    private final ReentrantLock writer = new ReentrantLock(true);
    private final AtomicInteger leases = new AtomicInteger();
    /** Pushes waiting for {@link #writer}; bounded so that one busy repository cannot take every thread. */
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile long lastUsedNanos = System.nanoTime();

    RepositoryActor(RepositoryName name, SqliteStore store) {
        this.name = name;
        this.store = store;
    }

    public RepositoryName name() {
        return name;
    }

    public boolean exists() {
        return store.exists();
    }

    /**
     * A consistent read-only view of the repository; close it when done.
     *
     * @throws RepositoryNotFound if nothing was ever pushed to it
     */
    public ReadSnapshot openSnapshot() throws IOException {
        try {
            return store.openSnapshot();
        } catch (RepositoryMissingException e) {
            throw new RepositoryNotFound("repository not found: " + name);
        }
    }

    /**
     * Waits for the repository's single writer slot. The caller writes through {@link #store()} and
     * must call {@link WriteSlot#close()} after its transaction completed.
     *
     * @throws RepositoryBusy if the slot did not free up within {@code wait}
     */
    public WriteSlot lockForWrite(Duration wait) {
        return lockForWrite(wait, Integer.MAX_VALUE);
    }

    /**
     * Like {@link #lockForWrite(Duration)}, but refuses at once when {@code maxWaiting} others are
     * already waiting (the queue is bounded, not only its wait).
     *
     * @throws RepositoryBusy if the queue is full or the slot did not free up within {@code wait}
     */
    public WriteSlot lockForWrite(Duration wait, int maxWaiting) {
        if (waiting.incrementAndGet() > maxWaiting && writer.isLocked()) {
            waiting.decrementAndGet();
            throw new RepositoryBusy("repository " + name + " is busy: " + maxWaiting
                    + " pushes are already waiting; try again");
        }
        try {
            if (!writer.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new RepositoryBusy("repository " + name + " is busy with other pushes (waited "
                        + wait.toSeconds() + " s); try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RepositoryBusy("interrupted while waiting for repository " + name);
        } finally {
            waiting.decrementAndGet();
        }
        return writer::unlock;
    }

    /** True while some push waits for the writer slot. */
    boolean hasWaitingWriters() {
        return writer.hasQueuedThreads();
    }

    /** The storage; writes only under a {@link WriteSlot}. */
    public SqliteStore store() {
        return store;
    }

    /** Held while a request writes; closing it lets the next writer in. */
    @FunctionalInterface
    public interface WriteSlot extends AutoCloseable {
        @Override
        void close();
    }

    void lease() {
        leases.incrementAndGet();
        lastUsedNanos = System.nanoTime();
    }

    void release() {
        lastUsedNanos = System.nanoTime();
        leases.decrementAndGet();
    }

    boolean idleFor(Duration d) {
        return leases.get() == 0 && System.nanoTime() - lastUsedNanos > d.toNanos();
    }

    void retire() {
        store.close();
    }
}
