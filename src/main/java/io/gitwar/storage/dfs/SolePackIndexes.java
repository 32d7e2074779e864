package io.gitwar.storage.dfs;

import io.gitwar.storage.file.PackRows;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.jgit.internal.storage.commitgraph.CommitGraphWriter;
import org.eclipse.jgit.internal.storage.commitgraph.GraphCommits;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase.PackSource;
import org.eclipse.jgit.internal.storage.dfs.DfsPackDescription;
import org.eclipse.jgit.internal.storage.dfs.DfsPackFile;
import org.eclipse.jgit.internal.storage.dfs.DfsReader;
import org.eclipse.jgit.internal.storage.file.PackBitmapIndexWriterV1;
import org.eclipse.jgit.internal.storage.file.PackIndex;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.internal.storage.pack.PackWriter;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.pack.PackConfig;

/**
 * A repository whose only pack is its first push is already what JGit's garbage collector would
 * write, but for the order of the objects: one pack holding every object its refs reach. Rewriting
 * it costs seconds of CPU for a large push and, until the replaced pack can go, twice its size on
 * disk. So it gets, written beside it, what the collector would add: the reachability bitmap
 * (commits chosen and bitmaps built by JGit's own {@link PackWriter}, counting the
 * pack's objects through {@link PlacedObjects}) and the commit graph, and it
 * becomes a {@code GC} pack (upload-pack then sends it whole to a clone, as a cached pack).
 *
 * <p>Left to the collector: more than one pack, refs outside {@code refs/heads} and
 * {@code refs/tags} (it packs those apart), objects no ref reaches (it sets them apart), shallow
 * repositories (it writes no commit graph for them).
 */
public final class SolePackIndexes {

    private SolePackIndexes() {
    }

    /**
     * Writes the bitmap and the commit graph of the repository's only pack if it qualifies (see
     * above); returns whether it did. Runs in the repository's write transaction.
     */
    public static boolean write(SqliteRepository repository, PackRows rows, PackConfig config) throws IOException {
        SqliteObjDatabase odb = (SqliteObjDatabase) repository.getObjectDatabase();
        DfsPackFile[] packs = odb.getPacks();
        if (packs.length != 1 || !odb.getShallowCommits().isEmpty()) {
            return false;
        }
        DfsPackDescription pack = packs[0].getPackDescription();
        if (pack.getPackSource() != PackSource.RECEIVE || pack.hasFileExt(PackExt.BITMAP_INDEX)) {
            return false;
        }
        Set<ObjectId> heads = new HashSet<>();
        Set<ObjectId> tags = new HashSet<>();
        for (Ref ref : repository.getRefDatabase().getRefs()) {
            if (ref.isSymbolic() || ref.getObjectId() == null) {
                continue;
            }
            if (ref.getName().startsWith(Constants.R_HEADS)) {
                heads.add(ref.getObjectId());
            } else if (ref.getName().startsWith(Constants.R_TAGS)) {
                tags.add(ref.getObjectId());
            } else {
                return false;
            }
        }
        tags.removeAll(heads); // as the collector: a tag that is also a branch tip may carry a bitmap
        Set<ObjectId> want = new HashSet<>(heads);
        want.addAll(tags);
        if (want.isEmpty()) {
            return false;
        }
        try (DfsReader reader = (DfsReader) odb.newReader()) {
            PackIndex index = packs[0].getPackIndex(reader);
            PlacedObjects placed = new PlacedObjects(reader, index);
            try (PackWriter writer = new PackWriter(config, placed)) {
                // as JGit's collector asks for its GC pack: heads and tags, no bitmap chosen on a tag
                writer.preparePack(NullProgressMonitor.INSTANCE, want, PackWriter.NONE, PackWriter.NONE, tags);
                if (placed.notInPack() > 0 || writer.getObjectCount() != index.getObjectCount()
                        || !writer.prepareBitmapIndex(NullProgressMonitor.INSTANCE)) {
                    return false; // objects no ref reaches (the collector sets them apart), or no bitmap
                }
                writer.writeBitmapIndex((bitmaps, unwritten) -> {
                    try (var out = odb.writeFile(pack, PackExt.BITMAP_INDEX)) {
                        new PackBitmapIndexWriterV1(out).write(bitmaps, index.getChecksum()); // the pack's own
                    }
                });
            }
            try (var out = odb.writeFile(pack, PackExt.COMMIT_GRAPH); RevWalk pool = new RevWalk(reader)) {
                GraphCommits graph = GraphCommits.fromWalk(NullProgressMonitor.INSTANCE, want, pool);
                new CommitGraphWriter(graph).write(NullProgressMonitor.INSTANCE, out);
            }
        }
        rows.setSource(pack.getPackName(), PackSource.GC); // seen so from the next transaction on
        return true;
    }
}
