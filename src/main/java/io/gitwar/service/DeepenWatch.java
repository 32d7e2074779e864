package io.gitwar.service;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Passes a v0/v1 upload-pack request through unchanged while noting whether its first section (the
 * wants, up to the first flush) asks for {@code deepen-since} or {@code deepen-not}. Reads the
 * pkt-line framing only as far as that section goes; holds a few bytes, whatever the request's size.
 *
 * <p>Needed for one JGit quirk (see {@link UploadSession}): JGit's request object, which knows the
 * answer, is not reachable from outside its engine.
 */
final class DeepenWatch extends FilterInputStream {

    private static final byte[] DEEPEN_SINCE = "deepen-since ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DEEPEN_NOT = "deepen-not ".getBytes(StandardCharsets.US_ASCII);

    private final byte[] header = new byte[4];
    private int headerFill;
    private int payloadLeft;
    private final byte[] lineStart = new byte[DEEPEN_SINCE.length];
    private int lineStartFill;
    private boolean sectionOver;
    private boolean deepenSinceOrNot;

    DeepenWatch(InputStream in) {
        super(in);
    }

    /** Whether the first section asked for {@code deepen-since} or {@code deepen-not}. */
    boolean deepenSinceOrNot() {
        return deepenSinceOrNot;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            observe((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        for (int i = 0; i < n && !sectionOver; i++) {
            observe(b[off + i]);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        sectionOver = true; // JGit skips only to discard the rest of a request
        return super.skip(n);
    }

    private void observe(byte b) {
        if (sectionOver) {
            return;
        }
        if (payloadLeft > 0) {
            if (lineStartFill < lineStart.length) {
                lineStart[lineStartFill++] = b;
            }
            if (--payloadLeft == 0) {
                endOfLine();
            }
            return;
        }
        header[headerFill++] = b;
        if (headerFill < header.length) {
            return;
        }
        headerFill = 0;
        int length = pktLength(header);
        if (length < 4) {
            sectionOver = true; // flush (0000), a delimiter, or not pkt-line framing at all
        } else if (length > 4) {
            payloadLeft = length - 4;
            lineStartFill = 0;
        }
    }

    private void endOfLine() {
        if (startsWith(DEEPEN_SINCE) || startsWith(DEEPEN_NOT)) {
            deepenSinceOrNot = true;
        }
    }

    private boolean startsWith(byte[] prefix) {
        if (lineStartFill < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (lineStart[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int pktLength(byte[] hex) {
        int n = 0;
        for (byte h : hex) {
            int d = Character.digit(h, 16);
            if (d < 0) {
                return -1;
            }
            n = n * 16 + d;
        }
        return n;
    }
}
