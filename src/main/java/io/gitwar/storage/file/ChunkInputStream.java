package io.gitwar.storage.file;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A byte range of a stored file as a stream, for HTTP responses. Reads one chunk row at a time and
 * only the rows that overlap the range, so memory stays at one chunk whatever the file size.
 */
public final class ChunkInputStream extends InputStream {

    private final PackRows rows;
    private final long fileId;
    private long position;
    private final long end;
    private byte[] chunk;
    private long chunkSequence = -1;

    public ChunkInputStream(PackRows rows, long fileId, long offset, long length) {
        this.rows = rows;
        this.fileId = fileId;
        this.position = offset;
        this.end = offset + length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (position >= end) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        loadChunk();
        int from = (int) (position % Chunks.SIZE);
        int n = (int) Math.min(Math.min(len, chunk.length - from), end - position);
        if (n <= 0) {
            throw new EOFException("file " + fileId + " ends before " + end);
        }
        System.arraycopy(chunk, from, b, off, n);
        position += n;
        return n;
    }

    /** Writes the rest of the range straight from each chunk row, without an intermediate buffer. */
    @Override
    public long transferTo(java.io.OutputStream out) throws IOException {
        long total = 0;
        while (position < end) {
            loadChunk();
            int from = (int) (position % Chunks.SIZE);
            int n = (int) Math.min(chunk.length - from, end - position);
            if (n <= 0) {
                throw new EOFException("file " + fileId + " ends before " + end);
            }
            out.write(chunk, from, n);
            position += n;
            total += n;
        }
        return total;
    }

    private void loadChunk() throws IOException {
        long sequence = position / Chunks.SIZE;
        if (sequence != chunkSequence) {
            chunk = rows.readChunk(fileId, sequence);
            if (chunk == null) {
                throw new EOFException("chunk " + sequence + " of file " + fileId + " is missing");
            }
            chunkSequence = sequence;
        }
    }

    @Override
    public void close() {
        chunk = null;
    }
}
