package io.gitwar.http;

import io.gitwar.config.ClientLimits;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * How long one request may hold its worker thread (and, through it, a read snapshot or the
 * repository's turn): no read of its body may block longer than the read timeout, the body must
 * average the minimum rate once it had its grace period, no write of its response may block longer
 * than the write timeout, and the whole exchange ends within the request time limit. The servlet API
 * has none of these, so the {@link Watchdog} checks every guard periodically and interrupts a request
 * that broke one: the container's blocked read or write then fails, and so does every later one.
 *
 * <p>Created and closed by the request's thread ({@link GitFilter}); closing it clears an interrupt
 * the watchdog sent, so the container's pooled thread goes on clean.
 */
final class RequestGuard implements AutoCloseable {

    private final Thread thread = Thread.currentThread();
    private final long started = System.nanoTime();
    private final Duration readTimeout;
    private final ClientLimits limits;
    private final Runnable onClose;
    /** When the current read or write began; 0 between them. */
    private volatile long readingSince;
    private volatile long writingSince;
    private volatile long firstRead;
    private volatile long bytesRead;
    /** Why reading the request, or writing its response, was stopped; null while allowed. */
    private volatile String brokenReads;
    private volatile String brokenWrites;

    RequestGuard(Duration readTimeout, ClientLimits limits, Runnable onClose) {
        this.readTimeout = readTimeout;
        this.limits = limits;
        this.onClose = onClose;
    }

    /** The request whose body is read under this guard. */
    HttpServletRequest guard(HttpServletRequest request) {
        return new HttpServletRequestWrapper(request) {
            private ServletInputStream in;

            @Override
            public ServletInputStream getInputStream() throws IOException {
                if (in == null) {
                    in = new GuardedInput(super.getInputStream());
                }
                return in;
            }
        };
    }

    /** The response whose body is written under this guard. */
    HttpServletResponse guard(HttpServletResponse response) {
        return new HttpServletResponseWrapper(response) {
            private ServletOutputStream out;

            @Override
            public ServletOutputStream getOutputStream() throws IOException {
                if (out == null) {
                    out = new GuardedOutput(super.getOutputStream());
                }
                return out;
            }
        };
    }

    /** Why the watchdog stopped this request, or null if it did not. */
    String broken() {
        return brokenReads != null ? brokenReads : brokenWrites;
    }

    /** Called by the {@link Watchdog}: stops the request if it broke a bound. */
    void check(long now) {
        if (broken() != null) {
            return;
        }
        long reading = readingSince;
        long writing = writingSince;
        if (reading != 0 && exceeds(now - reading, readTimeout)) {
            // reads fail from now on; the answer that says why can still be written
            brokenReads = "no data from the client for " + readTimeout.toSeconds() + " s";
        } else if (reading != 0 && tooSlow(now)) {
            brokenReads = "the request body arrives slower than " + limits.minBodyRate() + " bytes/s";
        } else if (writing != 0 && exceeds(now - writing, limits.writeTimeout())) {
            brokenWrites = "the client read nothing of the response for " + limits.writeTimeout().toSeconds() + " s";
        } else if (exceeds(now - started, limits.maxRequestTime())) {
            brokenReads = "the request took longer than " + limits.maxRequestTime().toSeconds() + " s";
            brokenWrites = brokenReads;
        } else {
            return;
        }
        thread.interrupt();
    }

    private static boolean exceeds(long nanos, Duration bound) {
        return !bound.isZero() && !bound.isNegative() && nanos > bound.toNanos();
    }

    private boolean tooSlow(long now) {
        long since = firstRead;
        if (limits.minBodyRate() <= 0 || since == 0) {
            return false;
        }
        long elapsed = now - since;
        return elapsed > limits.bodyGrace().toNanos() && bytesRead < limits.minBodyRate() * elapsed / 1_000_000_000L;
    }

    @Override
    public void close() {
        onClose.run();
        if (broken() != null) {
            Thread.interrupted(); // the interrupt was for the read or write that failed
        }
    }

    /**
     * Fails at once in a direction the watchdog stopped, whatever the container would do, and takes
     * back the interrupt that stopped it, so that what follows (the answer saying why) is not hit.
     */
    private static void requireIntact(String broken) throws InterruptedIOException {
        if (broken != null) {
            Thread.interrupted();
            throw new InterruptedIOException(broken);
        }
    }

    @FunctionalInterface
    private interface Io {
        int run() throws IOException;
    }

    private int read(Io read) throws IOException {
        requireIntact(brokenReads);
        long now = System.nanoTime();
        if (firstRead == 0) {
            firstRead = now;
        }
        readingSince = now;
        try {
            int n = read.run();
            if (n > 0) {
                bytesRead += n;
            }
            return n;
        } catch (IOException e) {
            requireIntact(brokenReads); // however the container reported the interrupt
            throw e;
        } finally {
            readingSince = 0;
        }
    }

    private void write(Io write) throws IOException {
        requireIntact(brokenWrites);
        writingSince = System.nanoTime();
        try {
            write.run();
        } catch (IOException e) {
            requireIntact(brokenWrites);
            throw e;
        } finally {
            writingSince = 0;
        }
    }

    private final class GuardedInput extends ServletInputStream {
        private final ServletInputStream in;

        GuardedInput(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return RequestGuard.this.read(in::read);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return RequestGuard.this.read(() -> in.read(b, off, len));
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }

    private final class GuardedOutput extends ServletOutputStream {
        private final ServletOutputStream out;

        GuardedOutput(ServletOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            RequestGuard.this.write(() -> {
                out.write(b);
                return 1;
            });
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            RequestGuard.this.write(() -> {
                out.write(b, off, len);
                return len;
            });
        }

        @Override
        public void flush() throws IOException {
            RequestGuard.this.write(() -> {
                out.flush();
                return 0;
            });
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }
    }
}
