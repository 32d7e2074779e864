package io.gitwar.storage.file;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import org.eclipse.jgit.internal.storage.dfs.ReadableChannel;

/**
 * JGit's random-access view of a stored file. Its block size equals the chunk size, so each block
 * JGit's cache asks for is exactly one row. The last chunk read is kept, because the index and
 * bitmap loaders read a file sequentially in small pieces.
 */
public final class ChunkChannel implements ReadableChannel {

    private final PackRows rows;
    private final long fileId;
    private final long size;
    private long position;
    private long cachedSequence = -1;
    private byte[] cachedChunk;
    private boolean open = true;

    public ChunkChannel(PackRows rows, long fileId, long size) {
        this.rows = rows;
        this.fileId = fileId;
        this.size = size;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        if (position >= size) {
            return -1;
        }
        int total = 0;
        while (dst.hasRemaining() && position < size) {
            long sequence = position / Chunks.SIZE;
            byte[] chunk = chunk(sequence);
            int from = (int) (position % Chunks.SIZE);
            if (from >= chunk.length) {
                throw new EOFException("chunk " + sequence + " of file " + fileId + " is short");
            }
            int n = Math.min(dst.remaining(), chunk.length - from);
            dst.put(chunk, from, n);
            position += n;
            total += n;
        }
        return total;
    }

    private byte[] chunk(long sequence) throws IOException {
        if (sequence != cachedSequence) {
            byte[] data = rows.readChunk(fileId, sequence);
            if (data == null) {
                throw new EOFException("chunk " + sequence + " of file " + fileId + " is missing");
            }
            cachedChunk = data;
            cachedSequence = sequence;
        }
        return cachedChunk;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void position(long newPosition) {
        position = newPosition;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int blockSize() {
        return Chunks.SIZE;
    }

    @Override
    public void setReadAheadBytes(int bufferSize) {
        // rows are read whole; there is nothing to read ahead
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        cachedChunk = null;
    }
}
