package io.gitwar.storage.file;

/**
 * How files are cut into chunk rows.
 *
 * <p>A chunk holds at most {@link #SIZE} bytes, which is also JGit's block size here, so one block
 * read is one row read; rows of 1 MiB also stay below the 2 MB row limit of hosted SQLite services, so
 * a repository file could move to one. A chunk's row id is
 * {@code fileId << 24 | sequence}, which keeps a file's chunks adjacent in the table's b-tree and
 * needs no second index; 2^24 chunks of 1 MiB allow files up to 16 TiB.
 */
public final class Chunks {

    public static final int SIZE = 1 << 20;

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
