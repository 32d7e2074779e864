package io.gitwar.storage.dfs.receive;

import java.io.IOException;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase;
import org.eclipse.jgit.internal.storage.dfs.DfsOutputStream;
import org.eclipse.jgit.internal.storage.dfs.DfsPackDescription;
import org.eclipse.jgit.internal.storage.pack.PackExt;

/**
 * Where a received pack goes: the object database of one write transaction, as the parsers here
 * need it (JGit's DFS parser writes through the database's own protected methods; the parallel
 * parser writes the same files through these).
 */
public interface PackDestination {

    /** JGit's object database the pack is written into. */
    DfsObjDatabase database();

    /** A new pack of received objects, named as the database names its packs. */
    DfsPackDescription newPack() throws IOException;

    /** Writes one file of {@code pack}. */
    DfsOutputStream write(DfsPackDescription pack, PackExt ext) throws IOException;

    /** Makes {@code pack} part of the repository (within the transaction). */
    void commit(DfsPackDescription pack) throws IOException;

    /** Forgets the files written for {@code pack}. */
    void rollback(DfsPackDescription pack);

    /** Why the write transaction was ended from outside (its time ran out), or null while it goes on. */
    String abandonedReason();

    /** The repository's name, for logs. */
    String repositoryName();
}
