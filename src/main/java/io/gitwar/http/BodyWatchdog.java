package io.gitwar.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long one read of a request body may block. The servlet API has no read timeout, so a
 * check on the container's scheduler interrupts the reading thread when a read stalls longer than
 * the timeout; the container's blocking read then fails and the guarded stream reports an
 * {@link InterruptedIOException}. No thread of its own. Confined to the request's thread, closed by
 * it (which also clears an interrupt the check may have sent).
 */
final class BodyWatchdog implements AutoCloseable {

    /** The check runs this many times per timeout, so a stall is noticed within 1.25 timeouts. */
    private static final int CHECKS_PER_TIMEOUT = 4;

    private final Thread reader = Thread.currentThread();
    private final long timeoutNanos;
    private final ScheduledFuture<?> check;
    /** When the current read began; 0 between reads. */
    private volatile long readingSince;
    private volatile boolean fired;

    private BodyWatchdog(ScheduledExecutorService scheduler, Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        long period = Math.max(1, timeout.toMillis() / CHECKS_PER_TIMEOUT);
        this.check = scheduler.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    /** {@code in}, failing any read that blocks longer than {@code timeout} (none if it is zero). */
    static Guarded guard(InputStream in, ScheduledExecutorService scheduler, Duration timeout) {
        if (timeout.isZero() || timeout.isNegative()) {
            return new Guarded(in, null);
        }
        BodyWatchdog watchdog = new BodyWatchdog(scheduler, timeout);
        return new Guarded(in, watchdog);
    }

    private void check() {
        long since = readingSince;
        if (since != 0 && System.nanoTime() - since > timeoutNanos) {
            fired = true;
            reader.interrupt();
        }
    }

    @Override
    public void close() {
        check.cancel(false);
        if (fired) {
            Thread.interrupted(); // the interrupt was for the read that failed, not for what follows
        }
    }

    @FunctionalInterface
    private interface Read {
        int run() throws IOException;
    }

    /** The guarded body; closing it stops the watchdog (the body itself belongs to the container). */
    static final class Guarded extends FilterInputStream {
        private final BodyWatchdog watchdog;

        private Guarded(InputStream in, BodyWatchdog watchdog) {
            super(in);
            this.watchdog = watchdog;
        }

        @Override
        public int read() throws IOException {
            return guarded(in::read);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return guarded(() -> in.read(b, off, len));
        }

        private int guarded(Read read) throws IOException {
            if (watchdog == null) {
                return read.run();
            }
            watchdog.readingSince = System.nanoTime();
            try {
                return read.run();
            } catch (IOException e) {
                if (watchdog.fired) {
                    throw new InterruptedIOException("read timed out"); // however the container reported it
                }
                throw e;
            } finally {
                watchdog.readingSince = 0;
            }
        }

        @Override
        public void close() {
            if (watchdog != null) {
                watchdog.close();
            }
        }
    }
}
