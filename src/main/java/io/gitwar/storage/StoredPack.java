package io.gitwar.storage;

import java.time.Instant;
import java.util.Map;
import org.eclipse.jgit.internal.storage.pack.PackExt;

/**
 * A committed pack as the dumb protocol sees it.
 *
 * @param internalName JGit's DFS name of the pack (never shown to clients)
 * @param checksum the pack's trailing SHA-1 in hex; clients know the pack as {@code pack-<checksum>}
 * @param source which JGit process wrote it (RECEIVE, GC, COMPACT, ...)
 * @param lastModified when it was committed
 * @param objectCount objects in the pack
 * @param files the pack's files by extension
 * @param retired whether a compaction replaced it (no longer listed; still downloadable for a while)
 */
public record StoredPack(String internalName, String checksum, String source, Instant lastModified,
        long objectCount, Map<PackExt, StoredFile> files, boolean retired) {

    /** The name git clients use: {@code pack-<40 hex>} (as git names packs by their checksum). */
    public String publicName() {
        return "pack-" + checksum;
    }

    public StoredFile file(PackExt ext) {
        return files.get(ext);
    }

    /** Bytes of its {@code .pack} file (0 if it has none). */
    public long packSize() {
        StoredFile f = files.get(PackExt.PACK);
        return f == null ? 0 : f.size();
    }
}
