package io.gitwar.storage.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jgit.internal.storage.dfs.DfsOutputStream;

/**
 * Writes a pack file as chunk rows inside the session's transaction.
 *
 * <p>Bytes are gathered into {@link Chunks#SIZE} pieces because JGit's writers vary wildly (the
 * receive parser writes whole blocks, the index writer 8 KiB, the GC pack writer tiny pieces). Reads
 * of what was written so far are served from the rows and the pending buffer, as the pack parser
 * re-reads objects to resolve deltas. {@link #close()} may be called more than once (JGit closes the
 * idx stream twice) and publishes nothing: visibility belongs to committing the pack.
 */
public final class ChunkOutputStream extends DfsOutputStream {

    private final PackRows rows;
    private final long fileId;
    private byte[] buffer = new byte[Chunks.SIZE];
    private int buffered;
    private long flushedChunks;
    private long written;
    private boolean closed;

    public ChunkOutputStream(PackRows rows, long fileId) {
        this.rows = rows;
        this.fileId = fileId;
    }

    @Override
    public int blockSize() {
        return Chunks.SIZE;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        while (len > 0) {
            if (buffered == 0 && len >= Chunks.SIZE && off == 0 && b.length == Chunks.SIZE) {
                // A whole aligned block (the receive parser's usual write): store it without copying.
                rows.writeChunk(fileId, flushedChunks++, b, Chunks.SIZE);
                written += Chunks.SIZE;
                return;
            }
            int n = Math.min(len, Chunks.SIZE - buffered);
            System.arraycopy(b, off, buffer, buffered, n);
            buffered += n;
            written += n;
            off += n;
            len -= n;
            if (buffered == Chunks.SIZE) {
                flushChunk();
            }
        }
    }

    @Override
    public int read(long position, ByteBuffer dst) throws IOException {
        long flushedBytes = written - buffered;
        if (position >= written) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (position >= flushedBytes) {
            int from = (int) (position - flushedBytes);
            int n = Math.min(dst.remaining(), buffered - from);
            dst.put(buffer, from, n);
            return n;
        }
        long sequence = position / Chunks.SIZE;
        byte[] chunk = rows.readChunk(fileId, sequence);
        if (chunk == null) {
            throw new IOException("chunk " + sequence + " of file " + fileId + " is missing");
        }
        int from = (int) (position % Chunks.SIZE);
        int n = Math.min(dst.remaining(), chunk.length - from);
        dst.put(chunk, from, n);
        return n;
    }

    /** Bytes written so far. */
    long size() {
        return written;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (buffered > 0) {
            flushChunk();
        }
        buffer = null;
        rows.setFileSize(fileId, size());
    }

    private void flushChunk() throws IOException {
        rows.writeChunk(fileId, flushedChunks++, buffer, buffered);
        buffered = 0;
    }
}
