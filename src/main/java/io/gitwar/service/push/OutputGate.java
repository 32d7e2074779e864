package io.gitwar.service.push;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes a push's response through to the client (so progress shows live) until {@link #hold()};
 * from then on keeps it back until {@link #release()} or {@link #discard()}. gitwar holds the final
 * report ("ok refs/heads/main") until the transaction that stored the push has committed: a client
 * must never read "ok" for a push that a failed commit then loses. What is held is a few lines per
 * ref; the number of refs per push is bounded.
 */
final class OutputGate extends OutputStream {

    private final OutputStream out;
    private ByteArrayOutputStream held;

    OutputGate(OutputStream out) {
        this.out = out;
    }

    void hold() {
        if (held == null) {
            held = new ByteArrayOutputStream();
        }
    }

    boolean isHolding() {
        return held != null;
    }

    /** Sends what was held and stops holding. */
    void release() throws IOException {
        if (held != null) {
            ByteArrayOutputStream h = held;
            held = null;
            h.writeTo(out);
        }
        out.flush();
    }

    /** Drops what was held (the caller sends something else instead) and stops holding. */
    void discard() {
        held = null;
    }

    @Override
    public void write(int b) throws IOException {
        if (held != null) {
            held.write(b);
        } else {
            out.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (held != null) {
            held.write(b, off, len);
        } else {
            out.write(b, off, len);
        }
    }

    @Override
    public void flush() throws IOException {
        if (held == null) {
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        flush(); // the servlet container owns the underlying stream
    }
}
