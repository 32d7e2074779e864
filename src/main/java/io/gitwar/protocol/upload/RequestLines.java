package io.gitwar.protocol.upload;

import io.gitwar.failure.BadRequest;
import io.gitwar.failure.LimitExceeded;
import io.gitwar.protocol.PktLineReader;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jgit.transport.PacketLineIn;

/**
 * The pkt-lines of one upload-pack request body, read with JGit's {@link PacketLineIn} and kept
 * byte for byte as they came (JGit's engine later reads exactly these bytes), at most a given number
 * of bytes. Broken framing is the client's error ({@link BadRequest}), too many bytes a
 * {@link LimitExceeded}; a failure of the body itself (the connection, a read timeout, broken gzip)
 * passes through as it was thrown. Single use.
 */
final class RequestLines {

    private final Copy copy;
    private final PacketLineIn in;

    RequestLines(InputStream body, long maxBytes) {
        copy = new Copy(body, maxBytes);
        in = new PacketLineIn(copy);
    }

    /**
     * The next line without its newline, {@link PacketLineIn#isEnd} for a flush-pkt,
     * {@link PacketLineIn#isDelimiter} for a delim-pkt; null where the body ends between two lines.
     */
    String next() throws IOException {
        long before = copy.bytes.size();
        try {
            return in.readString();
        } catch (BodyFailed e) {
            throw e.getCause();
        } catch (OverLimit e) {
            throw new LimitExceeded("request larger than " + copy.maxBytes + " bytes, the limit of this server");
        } catch (EOFException e) {
            if (copy.bytes.size() == before) {
                return null;
            }
            throw new BadRequest("request ends inside a pkt-line");
        } catch (IOException e) {
            throw new BadRequest("malformed pkt-line: " + PktLineReader.printable(String.valueOf(e.getMessage())));
        }
    }

    /** Requires the body to end here: nothing may follow the end of a request. */
    void expectEnd() throws IOException {
        long before = copy.bytes.size();
        int b;
        try {
            b = copy.read();
        } catch (BodyFailed e) {
            throw e.getCause();
        } catch (OverLimit e) {
            b = 0;
        }
        if (b >= 0) {
            throw new BadRequest("data after the end of the request (at byte " + before + ")");
        }
    }

    /** Everything read, byte for byte. */
    byte[] bytes() {
        return copy.bytes.toByteArray();
    }

    /** The body's own failure, kept apart from JGit's framing errors. */
    private static final class BodyFailed extends IOException {
        private static final long serialVersionUID = 1L;

        BodyFailed(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    private static final class OverLimit extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /** Reads the body, keeping a copy, at most {@code maxBytes} of it. */
    private static final class Copy extends InputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final InputStream body;
        final long maxBytes;

        Copy(InputStream body, long maxBytes) {
            this.body = body;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long room = maxBytes - bytes.size();
            if (room <= 0 && len > 0) {
                if (fromBody(b, off, 1) < 0) {
                    return -1; // ends exactly at the limit
                }
                throw new OverLimit();
            }
            int n = fromBody(b, off, (int) Math.min(len, room));
            if (n > 0) {
                bytes.write(b, off, n);
            }
            return n;
        }

        private int fromBody(byte[] b, int off, int len) throws IOException {
            try {
                return body.read(b, off, len);
            } catch (IOException e) {
                throw new BodyFailed(e);
            }
        }
    }
}
