package io.gitwar.storage.dfs;

import io.gitwar.storage.file.PackRows;
import io.gitwar.storage.file.RefRows;

/**
 * What a {@link SqliteRepository} reads and writes through: the rows of one open transaction on the
 * repository file. Writes are allowed only while it is writable (a write transaction not yet
 * finished).
 */
public interface TransactionRows {

    PackRows packRows();

    RefRows refRows();

    boolean isWritable();

    /** The name JGit's caches key this repository's files by. */
    String repositoryName();
}
