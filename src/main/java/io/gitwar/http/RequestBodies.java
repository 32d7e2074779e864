package io.gitwar.http;

import io.gitwar.failure.ClientFailure;
import io.gitwar.failure.UnsupportedMediaType;
import jakarta.servlet.http.HttpServletRequest;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Checks and decodes the bodies of smart protocol requests. */
final class RequestBodies {

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
            try {
                return new Gunzip(raw);
            } catch (ZipException | EOFException e) {
                throw notGzip(e); // the header is read here
            }
        }
        throw new UnsupportedMediaType("unsupported Content-Encoding " + encoding + " (gzip and identity are)");
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
}
