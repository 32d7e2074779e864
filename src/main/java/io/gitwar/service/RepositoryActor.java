package io.gitwar.service;

import io.gitwar.failure.Conflict;
import io.gitwar.failure.RepositoryBusy;
import io.gitwar.failure.RepositoryDamaged;
import io.gitwar.failure.RepositoryNotFound;
import io.gitwar.storage.OutdatedSchemaException;
import io.gitwar.storage.ReadSnapshot;
import io.gitwar.storage.RepositoryDamagedException;
import io.gitwar.storage.RepositoryHeldException;
import io.gitwar.storage.RepositoryMissingException;
import io.gitwar.storage.SqliteStore;
import io.gitwar.storage.StagedFile;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one owner of a repository in this server: writes to it run through {@link #write} one at a
 * time, in arrival order; reads open snapshots concurrently and never wait for a writer.
 *
 * <p>Thread-safe. Handed out by {@link ActorRegistry} under a {@link Lease}; an actor is retired
 * (its store closed) only when no lease is held, and a retired actor is never leased again, so
 * there is exactly one live actor per repository name.
 */
public final class RepositoryActor {

    /** {@link #leases} of a retired actor. */
    private static final int RETIRED = -1;

    private final RepositoryName name;
    private final SqliteStore store;
    /** How long a read of a file of an older schema waits for the write turn that migrates it. */
    private final Duration migrationWait;
    /** Fair: writes are served in arrival order, so none starves. */
    private final ReentrantLock writer = new ReentrantLock(true);
    /** Writes waiting for {@link #writer}; bounded so that one busy repository cannot take every thread. */
    private final AtomicInteger waiting = new AtomicInteger();
    /** Writes whose turn has ended: a copy begun before the count last changed may miss one. */
    private final AtomicLong writesEnded = new AtomicLong();
    private final AtomicInteger leases = new AtomicInteger();
    private volatile long lastUsedNanos = System.nanoTime();
    /** Why the repository is no longer this actor's (deleted, renamed, replaced); null while it is. */
    private volatile String removal;

    RepositoryActor(RepositoryName name, SqliteStore store, Duration migrationWait) {
        this.name = name;
        this.store = store;
        this.migrationWait = migrationWait;
    }

    public RepositoryName name() {
        return name;
    }

    /** True once something was committed to the repository. */
    public boolean exists() {
        return store.exists();
    }

    /**
     * A consistent read-only view of the repository; close it when done. A file of an older schema
     * version is first migrated as a write, in this actor's write turn (reads never write); it
     * then waits for the writes before it, like a push.
     *
     * @throws RepositoryNotFound if the repository does not exist
     * @throws RepositoryDamaged if its file is not a gitwar repository
     * @throws RepositoryBusy if the migration's turn did not come in time
     */
    public ReadSnapshot openSnapshot() throws IOException {
        return read(store::openSnapshot);
    }

    /** A mark among this repository's snapshots (see {@link SqliteStore#snapshotMark}). */
    public long snapshotMark() {
        return store.snapshotMark();
    }

    /** Whether a snapshot opened up to {@code mark} is still open (see {@link SqliteStore#snapshotOpenFrom}). */
    public boolean snapshotOpenFrom(long mark) {
        return store.snapshotOpenFrom(mark);
    }

    /**
     * Writes a copy of the repository, consistent at one instant, into {@code staged}: a read, which
     * takes no write turn (a file of an older schema is first migrated, as for {@link #openSnapshot}).
     */
    public void copyTo(StagedFile staged) throws IOException {
        read(() -> {
            staged.copyOf(store);
            return null;
        });
    }

    @FunctionalInterface
    private interface Read<T> {
        T run() throws IOException;
    }

    private <T> T read(Read<T> read) throws IOException {
        requireNotRemoved();
        try {
            try {
                return read.run();
            } catch (OutdatedSchemaException e) {
                write(migrationWait, Integer.MAX_VALUE, s -> {
                    s.migrate();
                    return null;
                });
                return read.run();
            }
        } catch (RepositoryMissingException e) {
            throw new RepositoryNotFound("repository not found: " + name);
        } catch (RepositoryDamagedException e) {
            throw damaged();
        } catch (RepositoryHeldException e) {
            throw new RepositoryBusy(e.getMessage());
        }
    }

    private void requireNotRemoved() {
        String why = removal;
        if (why != null) {
            throw new RepositoryNotFound(why);
        }
    }

    /** What a client is told of a damaged file: not why (the log says that, and may name files). */
    private RepositoryDamaged damaged() {
        return new RepositoryDamaged("repository " + name + " is damaged and cannot be served;"
                + " the server's administrator can see why in its log");
    }

    /** What a write does while it holds the repository. */
    @FunctionalInterface
    public interface Work<T> {
        T run(SqliteStore store) throws IOException;
    }

    /**
     * Runs {@code work} as the repository's only writer: waits for the writes before it (at most
     * {@code wait}), unless {@code maxWaiting} others are already waiting.
     *
     * @throws RepositoryBusy if the queue is full or the turn did not come within {@code wait}
     * @throws RepositoryDamaged if the repository's file is not a gitwar repository (nothing is written)
     */
    public <T> T write(Duration wait, int maxWaiting, Work<T> work) throws IOException {
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
        try {
            String why = removal;
            if (why != null) {
                throw new Conflict(why + " while this request waited; nothing was stored");
            }
            return work.run(store);
        } catch (RepositoryDamagedException e) {
            throw damaged();
        } catch (RepositoryHeldException e) {
            throw new RepositoryBusy(e.getMessage());
        } finally {
            writesEnded.incrementAndGet(); // in the turn: whoever holds the next one sees it
            writer.unlock();
        }
    }

    /**
     * Writes whose turn has ended on this actor so far, whatever they stored: a copy begun after this
     * count was read holds every write counted; the same count read again in a later write turn means
     * no write ended since, so the copy holds everything written.
     */
    public long writesEnded() {
        return writesEnded.get();
    }

    /** Writes waiting for their turn now. */
    int waitingWrites() {
        return waiting.get();
    }

    /** True while some write waits for its turn. */
    boolean hasWaitingWriters() {
        return writer.hasQueuedThreads();
    }

    /** Takes a lease, unless the actor was retired. */
    boolean tryLease() {
        if (removal != null) {
            return false;
        }
        while (true) {
            int n = leases.get();
            if (n == RETIRED) {
                return false;
            }
            if (leases.compareAndSet(n, n + 1)) {
                lastUsedNanos = System.nanoTime();
                return true;
            }
        }
    }

    void release() {
        lastUsedNanos = System.nanoTime();
        leases.decrementAndGet();
    }

    /** Retires the actor if no lease is held and it has not been used for {@code idle}; then it is never leased again. */
    boolean retireIfIdle(Duration idle) {
        return System.nanoTime() - lastUsedNanos > idle.toNanos() && leases.compareAndSet(0, RETIRED);
    }

    /**
     * Gives the repository up ({@code why}: it was deleted, renamed or replaced), in the caller's
     * write turn: from now on this actor is never leased, its waiting and later writes fail with
     * {@link Conflict}, its new snapshots with {@link RepositoryNotFound}, and its store is closed;
     * snapshots already open read on to their end.
     *
     * @return the closed store, in use until those snapshots are closed
     */
    SqliteStore remove(String why) {
        removal = why;
        store.close();
        return store;
    }

    /** Retires the actor whatever it does (the application is stopping). */
    void retire() {
        leases.set(RETIRED);
    }

    /** Closes the store's connections; on a retired actor, with no lease left. */
    void close() {
        store.close();
    }
}
