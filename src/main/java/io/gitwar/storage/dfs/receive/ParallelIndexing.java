package io.gitwar.storage.dfs.receive;

import java.nio.file.Path;

/**
 * Whether a received pack is indexed on several threads ({@link ParallelPackParser}) and where it
 * keeps the copy its threads read from.
 *
 * @param threads how many threads resolve deltas; 1 leaves every pack to JGit's own parser
 * @param spoolDirectory where the copy of the pack is written while it is indexed (deleted after)
 * @param minPackBytes the smallest pack indexed in parallel (-1 for an unknown size never is)
 */
public record ParallelIndexing(int threads, Path spoolDirectory, long minPackBytes) {

    /** Below this a pack is JGit's to index: starting threads costs more than they save. */
    static final long MIN_PACK_BYTES = 1 << 20;

    /** Every pack indexed by JGit on the receiving thread. */
    public static final ParallelIndexing OFF = new ParallelIndexing(1, null);

    /** Packs of a MiB or more indexed on {@code threads} threads, copied under {@code spoolDirectory}. */
    public ParallelIndexing(int threads, Path spoolDirectory) {
        this(threads, spoolDirectory, MIN_PACK_BYTES);
    }

    /** Whether a pack of {@code packBytes} (-1: unknown) is indexed in parallel. */
    public boolean suits(long packBytes) {
        return threads > 1 && spoolDirectory != null && packBytes >= minPackBytes && packBytes >= 0;
    }
}
