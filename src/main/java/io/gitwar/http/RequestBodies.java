package io.gitwar.http;

import io.gitwar.failure.ClientFailure;
import io.gitwar.failure.LimitExceeded;
import io.gitwar.failure.UnsupportedMediaType;
import jakarta.servlet.http.HttpServletRequest;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Checks and decodes the bodies of smart protocol requests. */
final class RequestBodies {

    /**
     * A gzip-encoded push body may decode to at most this many times the bytes that came over the
     * wire, plus {@link #INFLATION_SLACK}. git never compresses push bodies (remote-curl.c gzips
     * upload-pack requests only); JGit's HTTP client gzips any request that fits its
     * {@code http.postBuffer} when that makes it smaller. A push body is mostly a pack of
     * zlib-compressed objects, which gzip barely shrinks (measured: 1.03x for this project's
     * history, 1.57x for 3000 one-line files; a command list of hex ids, about 2-4x), while zeros
     * inflate 1000-fold: a megabyte on the wire must not become a gigabyte on the server's disk.
     */
    static final int MAX_INFLATION = 8;

    /** Small bodies (a command list and a little pack) may inflate beyond the ratio up to this. */
    static final long INFLATION_SLACK = 1 << 20;

    private RequestBodies() {
    }

    /**
     * The request body, gunzipped if the client compressed it (git does for fetch negotiations over
     * 1 KiB).
     *
     * @throws UnsupportedMediaType for a wrong Content-Type or an encoding other than gzip
     * @throws ClientFailure for a body that says it is gzip but is not (also when read later)
     */
    static InputStream open(HttpServletRequest request, String expectedType) throws IOException {
        return decode(request, expectedType, Long.MAX_VALUE);
    }

    /**
     * Like {@link #open(HttpServletRequest, String)}, for a push: a gzip-encoded body is refused once
     * it inflates more than {@value #MAX_INFLATION} times (see there).
     *
     * @throws LimitExceeded (when read) if a gzip-encoded body inflates more than that
     */
    static InputStream openPush(HttpServletRequest request, String expectedType) throws IOException {
        return decode(request, expectedType, MAX_INFLATION);
    }

    private static InputStream decode(HttpServletRequest request, String expectedType, long maxInflation)
            throws IOException {
        String type = request.getContentType();
        if (type == null || !type.split(";", 2)[0].trim().equalsIgnoreCase(expectedType)) {
            throw new UnsupportedMediaType("expected Content-Type " + expectedType + ", got " + type);
        }
        String encoding = request.getHeader("Content-Encoding");
        InputStream raw = request.getInputStream();
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return raw;
        }
        if (encoding.equalsIgnoreCase("gzip") || encoding.equalsIgnoreCase("x-gzip")) {
            return maxInflation == Long.MAX_VALUE ? gunzip(raw) : gunzip(raw, maxInflation);
        }
        throw new UnsupportedMediaType("unsupported Content-Encoding " + encoding + " (gzip and identity are)");
    }

    /**
     * {@code raw} gunzipped, failing with {@link LimitExceeded} once it decodes to more than
     * {@code ratio} times the bytes read from {@code raw}, plus {@link #INFLATION_SLACK}.
     */
    static InputStream gunzip(InputStream raw, long ratio) throws IOException {
        Counted wire = new Counted(raw);
        return new BoundedInflation(gunzip(wire), wire, ratio);
    }

    private static InputStream gunzip(InputStream raw) throws IOException {
        try {
            return new Gunzip(raw);
        } catch (ZipException | EOFException e) {
            throw notGzip(e); // the header is read here
        }
    }

    /**
     * Reads and drops what is left of a body a handler did not read to its end (a refused request),
     * at most {@link SpooledBody#DRAIN_LIMIT} bytes as received (not decoded), so that a client still
     * sending it gets to read
     * the answer (curl stops with "Send failure: Broken pipe" otherwise, and git prints nothing of
     * the reason). A longer body, or one that fails, is left to the container, which closes the
     * connection.
     */
    static void drain(InputStream body) {
        byte[] buf = new byte[64 * 1024];
        long dropped = 0;
        try {
            int n;
            while (dropped <= SpooledBody.DRAIN_LIMIT && (n = body.read(buf)) > 0) {
                dropped += n;
            }
        } catch (IOException | RuntimeException e) {
            // the answer is written; the connection's end tells the client the rest
        }
    }

    /**
     * A body that is not the gzip its Content-Encoding says, or ends inside it, is the client's
     * error (400, one line in the log), not a fault of the server.
     */
    private static ClientFailure notGzip(IOException e) {
        return new ClientFailure("the body is not valid gzip (Content-Encoding: gzip): " + e.getMessage());
    }

    /**
     * Gunzips the body; what the JDK reports about the gzip data becomes {@link #notGzip}. Failures
     * of the connection itself (other IOExceptions, read timeouts) pass through as they are.
     */
    private static final class Gunzip extends GZIPInputStream {

        Gunzip(InputStream raw) throws IOException {
            super(raw, 64 * 1024);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (ZipException | EOFException e) {
                throw notGzip(e);
            }
        }
    }

    /** Counts the bytes read through it. */
    private static final class Counted extends FilterInputStream {
        long count;

        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }
    }

    /** Decoded bytes, refused once there are more than the ratio allows for what came over the wire. */
    private static final class BoundedInflation extends FilterInputStream {
        private final Counted wire;
        private final long ratio;
        private long decoded;

        BoundedInflation(InputStream decoded, Counted wire, long ratio) {
            super(decoded);
            this.wire = wire;
            this.ratio = ratio;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            decoded += Math.max(n, 0);
            if (decoded > INFLATION_SLACK + ratio * wire.count) {
                throw new LimitExceeded("gzip-encoded request body inflates more than " + ratio
                        + " times (" + decoded + " bytes from " + wire.count + "): refused");
            }
            return n;
        }
    }
}
