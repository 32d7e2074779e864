package io.gitwar.service;

import io.gitwar.config.GitwarConfig;
import io.gitwar.failure.TooManyRequests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admission of the expensive requests (smart fetches and pushes) by the heap they may need: each
 * reserves its estimate before JGit runs and gives it back at the end; one that does not fit waits
 * its turn (fairly, in arrival order) up to {@code gitwar.admission-wait-seconds}, and is refused
 * with 429 only then, or at once when as many requests already wait as could run. So a given heap
 * serves a given concurrency by queueing, never by failing mid-response with an OutOfMemoryError.
 *
 * <p>The estimates are upper bounds measured on JGit's engines (see {@link #forFetch} and
 * {@link #forPush}); a push's reservation grows as its parser asks for the memory its deltas need. A
 * request larger than the whole budget waits until it has the heap to itself.
 *
 * <p>Growing goes before admitting: a reservation that grows is a request already running, and only
 * its end gives heap back, so the heap that comes free goes to it before any new request. When every
 * open reservation waits to grow, none will ever give heap back: the last to ask is refused at once
 * (and gives its heap back), rather than all of them after the admission wait. 16 pushes of a MiB
 * to 16 repositories on a 256 MiB server once all waited 60 s that way, each holding its first
 * reservation and waiting for another's.
 */
@ApplicationScoped
public class HeapBudget {

    /** Units of the budget: KiB, so that an int covers any heap. */
    private static final int UNIT = 1024;

    private final int total;
    private final Duration wait;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever heap is given back or a waiter leaves: every waiter looks again. */
    private final Condition changed = lock.newCondition();
    /** Units not reserved. Guarded by {@link #lock}, as are the counts below. */
    private int free;
    /** Reservations open now. */
    private int open;
    /** Open reservations waiting to grow. */
    private int growing;
    /** New requests waiting for room, in arrival order. */
    private final ArrayDeque<Object> arrivals = new ArrayDeque<>();

    @Inject
    public HeapBudget(GitwarConfig config) {
        this(config.clients().admissionHeapBytes(), config.clients().admissionWait());
    }

    HeapBudget(long bytes, Duration wait) {
        this.total = (int) Math.min(Integer.MAX_VALUE, bytes / UNIT);
        this.wait = wait;
        this.free = total;
    }

    /** For CDI's proxy; never called by gitwar. */
    protected HeapBudget() {
        this.total = 0;
        this.wait = null;
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
        /** Units held; -1 once given back. Guarded by the budget's lock. */
        private int units;

        private Reservation(String what, int units) {
            this.what = what;
            this.units = units;
        }

        /**
         * Makes the reservation at least {@code bytes}, waiting for the heap if need be.
         *
         * @throws TooManyRequests if the heap does not come free in time, or would never come because
         *         every open reservation waits to grow (this one's heap is then given back)
         */
        public void growTo(long bytes) {
            grow(this, units(bytes));
        }

        @Override
        public void close() {
            lock.lock();
            try {
                giveBack(this);
            } finally {
                lock.unlock();
            }
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
        lock.lock();
        try {
            if (!admits(null, units)) {
                if (arrivals.size() >= Math.max(1, total / units)) {
                    throw new TooManyRequests("server busy: " + what + " waits behind too many others; try again");
                }
                Object ticket = new Object();
                arrivals.add(ticket);
                try {
                    long nanos = wait.toNanos();
                    while (!admits(ticket, units)) {
                        if (nanos <= 0) {
                            throw new TooManyRequests("server busy: no room for " + what + " within "
                                    + wait.toSeconds() + " s; try again");
                        }
                        nanos = await(nanos);
                    }
                } finally {
                    arrivals.remove(ticket);
                    changed.signalAll(); // the next in line may fit now
                }
            }
            free -= units;
            open++;
            return new Reservation(what, units);
        } finally {
            lock.unlock();
        }
    }

    /** Whether a new request ({@code ticket}: its place in line, null if it just came) may take its room now. */
    private boolean admits(Object ticket, int units) {
        return growing == 0 && arrivals.peek() == ticket && free >= units;
    }

    private void grow(Reservation r, int wanted) {
        lock.lock();
        try {
            if (r.units < 0 || wanted <= r.units) {
                return;
            }
            int more = wanted - r.units;
            if (free < more) {
                growing++;
                try {
                    long nanos = wait.toNanos();
                    while (free < more) {
                        if (growing == open) {
                            giveBack(r);
                            throw new TooManyRequests("server busy: " + r.what + " needs more heap while every"
                                    + " other request waits for heap too; try again");
                        }
                        if (nanos <= 0) {
                            throw new TooManyRequests("server busy: no room for " + r.what + " to grow within "
                                    + wait.toSeconds() + " s; try again");
                        }
                        nanos = await(nanos);
                    }
                } finally {
                    growing--;
                    changed.signalAll(); // new requests may go in again
                }
            }
            free -= more;
            r.units = wanted;
        } finally {
            lock.unlock();
        }
    }

    private void giveBack(Reservation r) {
        if (r.units >= 0) {
            free += r.units;
            r.units = -1;
            open--;
            changed.signalAll();
        }
    }

    private long await(long nanos) {
        try {
            return changed.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TooManyRequests("interrupted while waiting for room");
        }
    }

    /** Requests waiting for room now (new ones and growing ones), for metrics and tests. */
    public int waiting() {
        lock.lock();
        try {
            return arrivals.size() + growing;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes reserved now, for metrics and health. */
    public long inUse() {
        lock.lock();
        try {
            return (long) (total - free) * UNIT;
        } finally {
            lock.unlock();
        }
    }
}
