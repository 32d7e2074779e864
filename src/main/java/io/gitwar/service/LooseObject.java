package io.gitwar.service;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;

/**
 * An object in git's loose encoding, the bytes git writes to {@code objects/xx/yyyy}: zlib of
 * {@code "<type> <size>\0<content>"} at git's {@code core.looseCompression} level (1, best speed).
 *
 * <p>The encoding is made when asked for, because its length is needed before the first byte is
 * sent (Content-Length, Content-Range). Objects up to {@link #IN_MEMORY_LIMIT} are encoded in memory,
 * larger ones into a temporary file that {@link #discard()} deletes, so memory stays bounded.
 */
final class LooseObject implements StoredResource {

    /** git's default {@code core.looseCompression}: zlib's best speed. */
    static final int GIT_LOOSE_COMPRESSION = Deflater.BEST_SPEED;

    /** Larger objects are encoded into a temporary file; git's http.postBuffer is the same 1 MiB. */
    static final long IN_MEMORY_LIMIT = 1 << 20;

    private final ObjectId id;
    private final Instant lastModified;
    private final byte[] memory;
    private final Path file;
    private final long length;

    private LooseObject(ObjectId id, Instant lastModified, byte[] memory, Path file, long length) {
        this.id = id;
        this.lastModified = lastModified;
        this.memory = memory;
        this.file = file;
        this.length = length;
    }

    /** Encodes the object {@code loader} reads; {@code spoolDir} holds the big ones. */
    static LooseObject encode(ObjectId id, ObjectLoader loader, Instant lastModified, Path spoolDir) throws IOException {
        byte[] header = (Constants.typeString(loader.getType()) + " " + loader.getSize() + "\0")
                .getBytes(StandardCharsets.US_ASCII);
        if (loader.getSize() <= IN_MEMORY_LIMIT) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) loader.getSize() / 2 + 64);
            deflate(header, loader, bytes);
            return new LooseObject(id, lastModified, bytes.toByteArray(), null, bytes.size());
        }
        Files.createDirectories(spoolDir);
        Path tmp = Files.createTempFile(spoolDir, "loose-", ".z");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            deflate(header, loader, out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return new LooseObject(id, lastModified, null, tmp, Files.size(tmp));
    }

    private static void deflate(byte[] header, ObjectLoader loader, OutputStream sink) throws IOException {
        Deflater deflater = new Deflater(GIT_LOOSE_COMPRESSION);
        try (DeflaterOutputStream z = new DeflaterOutputStream(new NonClosing(sink), deflater, 64 * 1024)) {
            z.write(header);
            try (InputStream content = loader.openStream()) {
                content.transferTo(z);
            }
        } finally {
            deflater.end();
        }
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public Instant lastModified() {
        return lastModified;
    }

    @Override
    public String validator() {
        return id.name();
    }

    @Override
    public InputStream open(long offset, long count) throws IOException {
        if (memory != null) {
            return new ByteArrayInputStream(memory, (int) offset, (int) count);
        }
        InputStream in = Files.newInputStream(file);
        in.skipNBytes(offset);
        return new BoundedInputStream(in, count);
    }

    /** Deletes the temporary file, if any. */
    void discard() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the spool directory is emptied at the next start
            }
        }
    }

    /** Lets DeflaterOutputStream finish without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long left;

        BoundedInputStream(InputStream in, long left) {
            super(in);
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
