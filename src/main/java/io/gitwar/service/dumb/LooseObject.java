package io.gitwar.service.dumb;

import io.gitwar.protocol.dumb.LooseEncoding;
import io.gitwar.service.StoredResource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;

/**
 * An object on the dumb protocol's loose route, in git's loose encoding ({@link LooseEncoding}).
 *
 * <p>The encoding is made when asked for, because its length is needed before the first byte is
 * sent (Content-Length, Content-Range). Objects up to {@link #IN_MEMORY_LIMIT} are encoded in memory,
 * larger ones into a temporary file that {@link #close()} deletes, so memory stays bounded.
 */
final class LooseObject implements StoredResource {

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
        if (loader.getSize() <= IN_MEMORY_LIMIT) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) loader.getSize() / 2 + 64);
            encode(loader, bytes);
            return new LooseObject(id, lastModified, bytes.toByteArray(), null, bytes.size());
        }
        Files.createDirectories(spoolDir);
        Path tmp = Files.createTempFile(spoolDir, "loose-", ".z");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            encode(loader, out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return new LooseObject(id, lastModified, null, tmp, Files.size(tmp));
    }

    private static void encode(ObjectLoader loader, OutputStream sink) throws IOException {
        try (InputStream content = loader.openStream()) {
            LooseEncoding.write(loader.getType(), loader.getSize(), content, sink);
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
    @Override
    public void close() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the spool directory is emptied at the next start
            }
        }
    }

    private static final class BoundedInputStream extends FilterInputStream {
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
