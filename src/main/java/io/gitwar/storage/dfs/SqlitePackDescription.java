package io.gitwar.storage.dfs;

import java.util.EnumMap;
import java.util.Map;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase.PackSource;
import org.eclipse.jgit.internal.storage.dfs.DfsPackDescription;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.pack.PackExt;

/** A DFS pack description that also knows the row ids of its files. */
final class SqlitePackDescription extends DfsPackDescription {

    private final Map<PackExt, Long> fileIds = new EnumMap<>(PackExt.class);

    SqlitePackDescription(DfsRepositoryDescription repo, String name, PackSource source) {
        super(repo, name, source);
    }

    synchronized void setFileId(PackExt ext, long id) {
        fileIds.put(ext, id);
    }

    synchronized Long fileId(PackExt ext) {
        return fileIds.get(ext);
    }

    synchronized Map<PackExt, Long> fileIds() {
        return new EnumMap<>(fileIds);
    }
}
