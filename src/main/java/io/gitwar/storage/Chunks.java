package io.gitwar.storage;

/**
 * How files are cut into chunk rows.
 *
 * <p>A chunk holds at most {@link #SIZE} bytes: a Durable Object row may hold 2 MB, and 1 MiB is also
 * JGit's block size here, so one block read is one row read. A chunk's row id is
 * {@code fileId << 24 | sequence}, which keeps a file's chunks adjacent in the table's b-tree and
 * needs no second index; 2^24 chunks of 1 MiB allow files up to 16 TiB.
 */
final class Chunks {

    static final int SIZE = 1 << 20;

    private static final int SEQUENCE_BITS = 24;

    private Chunks() {
    }

    static long rowId(long fileId, long sequence) {
        if (sequence >= (1L << SEQUENCE_BITS)) {
            throw new IllegalArgumentException("file too large: chunk " + sequence);
        }
        return (fileId << SEQUENCE_BITS) | sequence;
    }

    static long firstRowId(long fileId) {
        return rowId(fileId, 0);
    }

    static long lastPossibleRowId(long fileId) {
        return rowId(fileId, (1L << SEQUENCE_BITS) - 1);
    }
}
