package io.gitwar.http;

import io.gitwar.failure.ClientFailure;
import io.gitwar.failure.LimitExceeded;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A request body read completely before it is processed: small ones in memory, larger ones in a
 * temporary file (memory stays bounded whatever the size), at most a given number of bytes (the
 * rest is read and dropped, so the client still reads the answer). A push is spooled so that the
 * repository is not held locked while its bytes still trickle in from the network.
 */
final class SpooledBody implements AutoCloseable {

    /** Bodies up to this size stay in memory; git's own post buffer is 1 MiB. */
    static final int IN_MEMORY_LIMIT = 1 << 20;

    /**
     * How much of a body beyond its limit is read and dropped, so that a client that overshot
     * still reads gitwar's answer (git prints the report); a body longer still is cut off.
     */
    static final long DRAIN_LIMIT = 64L << 20;

    /**
     * The spool file grows in steps of this much disk, each asked of a {@link Room} first: one
     * {@code statvfs} per 16 MiB costs nothing, and the disk's free-space floor is overshot by at
     * most one step.
     */
    static final long ROOM_STEP = 16L << 20;

    /** Whether the disk has room for more of a spooled body. */
    @FunctionalInterface
    interface Room {
        /** Returns if {@code bytes} more may be written; throws the refusal otherwise. */
        void require(long bytes);

        /** Any size fits (the caller checks the disk some other way). */
        Room ANY = bytes -> { };
    }

    private byte[] memory;
    private Path file;
    private long length;
    private boolean overflowed;
    /** The spool file may grow to this length without asking the {@link Room} again. */
    private long roomUntil;

    private SpooledBody() {
    }

    /**
     * Reads {@code in} to its end into a spool under {@code tempDir}, keeping at most
     * {@code maxBytes} (-1: no limit); the rest of a longer body is read and dropped
     * ({@link #overflowed()}).
     *
     * @throws LimitExceeded if the body goes on for more than {@link #DRAIN_LIMIT} beyond the limit
     * @throws ClientFailure if the client's body could not be read (the connection failed)
     */
    static SpooledBody read(InputStream in, Path tempDir, long maxBytes) throws IOException {
        return read(in, tempDir, maxBytes, Room.ANY);
    }

    /**
     * Like {@link #read(InputStream, Path, long)}, asking {@code room} before the spool file takes
     * each further {@link #ROOM_STEP} of disk; what {@code room} throws ends the spooling (the file is
     * deleted).
     */
    static SpooledBody read(InputStream in, Path tempDir, long maxBytes, Room room) throws IOException {
        SpooledBody body = new SpooledBody();
        try {
            body.spool(in, tempDir, maxBytes < 0 ? Long.MAX_VALUE : maxBytes, room);
            return body;
        } catch (IOException | RuntimeException e) {
            body.close();
            throw e;
        }
    }

    private void spool(InputStream in, Path tempDir, long maxBytes, Room room) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        OutputStream out = head;
        byte[] buf = new byte[64 * 1024];
        try {
            int n;
            while ((n = readClient(in, buf)) > 0) {
                if (length + n > maxBytes) {
                    overflowed = true;
                    n = (int) (maxBytes - length);
                }
                if (out != head && length + n > roomUntil) {
                    room.require(ROOM_STEP);
                    roomUntil = length + ROOM_STEP;
                }
                out.write(buf, 0, n);
                length += n;
                if (out == head && length > IN_MEMORY_LIMIT) {
                    room.require(length + ROOM_STEP);
                    roomUntil = length + ROOM_STEP;
                    Files.createDirectories(tempDir);
                    file = Files.createTempFile(tempDir, "push-", ".spool");
                    out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE), 64 * 1024);
                    head.writeTo(out);
                    head = null;
                }
                if (overflowed) {
                    drain(in, buf);
                    break;
                }
            }
        } finally {
            if (out != head) {
                out.close();
            }
        }
        if (head != null) {
            memory = head.toByteArray();
        }
    }

    private static void drain(InputStream in, byte[] buf) throws IOException {
        long dropped = 0;
        int n;
        while ((n = readClient(in, buf)) > 0) {
            dropped += n;
            if (dropped > DRAIN_LIMIT) {
                throw new LimitExceeded("request body too large");
            }
        }
    }

    /** Reads from the client; failures of the connection are the client's, not the server's. */
    private static int readClient(InputStream in, byte[] buf) throws IOException {
        try {
            return in.read(buf);
        } catch (InterruptedIOException e) {
            throw e; // a read timeout: the caller decides
        } catch (IOException e) {
            throw new ClientFailure("could not read the request body: " + e.getMessage());
        }
    }

    /** The bytes kept. */
    long length() {
        return length;
    }

    /** True when the body was longer than the limit and only its beginning was kept. */
    boolean overflowed() {
        return overflowed;
    }

    InputStream open() throws IOException {
        return memory != null ? new ByteArrayInputStream(memory)
                : new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
    }

    @Override
    public void close() {
        memory = null;
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover spool file is removed at the next start
            }
            file = null;
        }
    }
}
