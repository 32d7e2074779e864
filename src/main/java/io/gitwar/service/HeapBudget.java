package io.gitwar.service;

import io.gitwar.config.GitwarConfig;
import io.gitwar.failure.TooManyRequests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission of the expensive requests (smart fetches and pushes) by the heap they may need: each
 * reserves its estimate before JGit runs and gives it back at the end; one that does not fit waits
 * its turn (fairly, in arrival order) up to {@code gitwar.admission-wait-seconds}, and is refused
 * with 429 only then, or at once when as many requests already wait as could run. So a given heap
 * serves a given concurrency by queueing, never by failing mid-response with an OutOfMemoryError.
 *
 * <p>The estimates are upper bounds measured on JGit's engines (see {@link #forFetch} and
 * {@link #forPush}); a push's reservation grows as its parser asks for the memory its deltas need. A
 * request larger than the whole budget waits until it has the heap to itself. A reservation that
 * must grow while others hold the rest waits at most the admission wait, so two pushes that each
 * wait for the other end with a refusal, not a deadlock.
 */
@ApplicationScoped
public class HeapBudget {

    /** Units of the semaphore: KiB, so that an int covers any heap. */
    private static final int UNIT = 1024;

    private final Semaphore free;
    private final int total;
    private final Duration wait;
    private final AtomicInteger waiting = new AtomicInteger();

    @Inject
    public HeapBudget(GitwarConfig config) {
        this(config.clients().admissionHeapBytes(), config.clients().admissionWait());
    }

    HeapBudget(long bytes, Duration wait) {
        this.total = (int) Math.min(Integer.MAX_VALUE, bytes / UNIT);
        this.wait = wait;
        this.free = new Semaphore(total, true);
    }

    /** For CDI's proxy; never called by gitwar. */
    protected HeapBudget() {
        this.total = 0;
        this.wait = null;
        this.free = null;
    }

    /**
     * The heap a fetch from a repository of {@code objects} objects may need: JGit's pack writer keeps
     * an entry per object it sends, plus buffers. Measured at -Xmx512m (serial collector, heap after a
     * full GC while clones ran): a clone of 41,317 objects (with a bitmap) added 5 MiB, four at once 10
     * MiB; without a bitmap JGit also walks every object (its RevObjects). 200 bytes per object and 4 MiB
     * is an upper bound of both.
     */
    public static long forFetch(long objects) {
        return (4L << 20) + 200 * objects;
    }

    /**
     * The heap a push of {@code objects} objects needs before its deltas are resolved: JGit's pack
     * parser keeps about 160 bytes per object until the pack is indexed (measured with a million
     * objects). What resolving needs on top is granted as the parser asks ({@link Reservation#growTo}).
     */
    public static long forPush(long objects) {
        return (8L << 20) + 160 * Math.max(0, objects);
    }

    /** Heap reserved for one request; closing it gives the heap back. Confined to its request's thread. */
    public final class Reservation implements AutoCloseable {
        private final String what;
        private int units;

        private Reservation(String what, int units) {
            this.what = what;
            this.units = units;
        }

        /**
         * Makes the reservation at least {@code bytes}, waiting for the heap if need be.
         *
         * @throws TooManyRequests if the heap does not come free in time
         */
        public void growTo(long bytes) {
            int wanted = units(bytes);
            if (wanted > units) {
                acquire(wanted - units, what);
                units = wanted;
            }
        }

        @Override
        public void close() {
            free.release(units);
            units = 0;
        }
    }

    private int units(long bytes) {
        return (int) Math.min(total, Math.max(1, (bytes + UNIT - 1) / UNIT));
    }

    /**
     * Reserves {@code bytes} of heap for {@code what}, waiting for room if need be.
     *
     * @throws TooManyRequests if no room came within the wait, or too many requests wait already
     */
    public Reservation reserve(long bytes, String what) {
        int units = units(bytes);
        acquire(units, what);
        return new Reservation(what, units);
    }

    private void acquire(int units, String what) {
        // tryAcquire with a timeout, even of zero, keeps the queue's order; the plain tryAcquire would let
        // small requests overtake a large one that waits, for ever on a busy server
        if (!tryAcquire(units, Duration.ZERO)) {
            if (waiting.incrementAndGet() > Math.max(1, total / Math.max(1, units))) {
                waiting.decrementAndGet();
                throw new TooManyRequests("server busy: " + what + " waits behind too many others; try again");
            }
            try {
                if (!tryAcquire(units, wait)) {
                    throw new TooManyRequests("server busy: no room for " + what + " within "
                            + wait.toSeconds() + " s; try again");
                }
            } finally {
                waiting.decrementAndGet();
            }
        }
    }

    private boolean tryAcquire(int units, Duration within) {
        try {
            return free.tryAcquire(units, within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TooManyRequests("interrupted while waiting for room");
        }
    }

    /** Requests queued for room now, for metrics and tests. */
    public int waiting() {
        return free.getQueueLength();
    }

    /** Bytes reserved now, for metrics and health. */
    public long inUse() {
        return (long) (total - free.availablePermits()) * UNIT;
    }
}
