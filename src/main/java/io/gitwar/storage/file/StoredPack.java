package io.gitwar.storage.file;

import java.time.Instant;
import java.util.Map;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase.PackSource;
import org.eclipse.jgit.internal.storage.pack.PackExt;

/**
 * A committed pack as stored: one row of {@code pack} with its files.
 *
 * @param name JGit's DFS name of the pack, random and never reused (never shown to clients)
 * @param source which JGit process wrote it (RECEIVE, GC, ...)
 * @param lastModified when it was committed
 * @param checksum the pack's trailing SHA-1 in hex; clients know the pack as {@code pack-<checksum>}
 * @param retiredAt when a repack replaced it (no longer part of the repository, still downloadable
 *        for a while), or null while it is live
 * @param files the pack's files by extension
 */
public record StoredPack(String name, PackSource source, Instant lastModified, long objectCount, long deltaCount,
        int indexVersion, String checksum, Instant retiredAt, Map<PackExt, StoredFile> files) {

    public StoredPack {
        files = Map.copyOf(files);
    }

    /** The name git clients use: {@code pack-<40 hex>} (as git names packs by their checksum). */
    public String publicName() {
        return "pack-" + checksum;
    }

    public boolean retired() {
        return retiredAt != null;
    }

    public StoredFile file(PackExt ext) {
        return files.get(ext);
    }
}
