package io.gitwar.http;

import java.io.InputStream;
import java.time.Duration;
import org.eclipse.jgit.util.io.InterruptTimer;
import org.eclipse.jgit.util.io.TimeoutInputStream;

/**
 * Bounds how long one read of a request body may block: the servlet API has no read timeout, so
 * JGit's {@link TimeoutInputStream} interrupts the reading thread when a read stalls (the container's
 * blocking read then fails with an {@link java.io.InterruptedIOException}). One timer thread per
 * guarded request, ended by {@link #close()}; confined to the request's thread.
 */
final class ReadTimeout implements AutoCloseable {

    private final Duration timeout;
    private InterruptTimer timer;

    ReadTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    /** {@code in}, failing any read that blocks longer than the timeout (none if it is zero). */
    InputStream guard(InputStream in) {
        if (timeout.isZero() || timeout.isNegative()) {
            return in;
        }
        timer = new InterruptTimer("gitwar-read-timeout");
        TimeoutInputStream guarded = new TimeoutInputStream(in, timer);
        guarded.setTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        return guarded;
    }

    Duration timeout() {
        return timeout;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.terminate();
            timer = null;
        }
    }
}
