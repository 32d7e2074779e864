package io.gitwar.service;

import io.gitwar.storage.StoreTransaction;
import io.gitwar.storage.file.StoredFile;
import io.gitwar.storage.file.StoredPack;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.internal.storage.file.PackIndex;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * Which small pushes are loose-served ({@link PackRoles}): those none of whose objects inflates to
 * more than {@link PackRoles#LOOSE_OBJECT_MAX}. The sizes come from the objects' headers through
 * JGit's reader (a delta's header gives the size of its result), so no object is inflated to find
 * out. A pack's answer never changes (its objects and their sizes don't, and pack names are never
 * reused), so it is worked out once per pack and remembered, for the most recently asked
 * {@value #REMEMBERED} packs. Thread-safe.
 */
@ApplicationScoped
public class LoosePacks {

    /** About 100 bytes each; a server's small pushes since the last repacks are far fewer. */
    static final int REMEMBERED = 10_000;

    private final Map<String, Boolean> smallObjects = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            });

    /**
     * The names of the loose-served packs among {@code packs} (live or retired packs of the
     * transaction {@code tx}).
     */
    public Set<String> of(StoreTransaction tx, Collection<StoredPack> packs, int unpackLimit) throws IOException {
        Set<String> served = new HashSet<>();
        ObjectReader reader = null;
        try {
            for (StoredPack p : packs) {
                if (!PackRoles.smallPush(p.source(), p.objectCount(), unpackLimit)) {
                    continue;
                }
                Boolean small = smallObjects.get(p.name());
                if (small == null) {
                    if (reader == null) {
                        reader = tx.repository().newObjectReader();
                    }
                    small = allSmall(tx, p, reader);
                    smallObjects.put(p.name(), small);
                }
                if (small) {
                    served.add(p.name());
                }
            }
        } finally {
            if (reader != null) {
                reader.close();
            }
        }
        return served;
    }

    /** Whether one pack of {@code tx} is loose-served. */
    public boolean isLooseServed(StoreTransaction tx, StoredPack pack, int unpackLimit) throws IOException {
        return of(tx, Set.of(pack), unpackLimit).contains(pack.name());
    }

    /**
     * Reads the pack's index (a small push's: a few KiB) and the size of each object it lists.
     * The objects may live in other packs by now (after a repack); their sizes are the same.
     */
    private static boolean allSmall(StoreTransaction tx, StoredPack pack, ObjectReader reader) throws IOException {
        StoredFile index = pack.file(PackExt.INDEX);
        if (index == null) {
            return false;
        }
        PackIndex idx;
        try (InputStream in = tx.openFile(index, 0, index.size())) {
            idx = PackIndex.read(in);
        }
        for (PackIndex.MutableEntry e : idx) {
            try {
                if (reader.getObjectSize(e.toObjectId(), ObjectReader.OBJ_ANY) > PackRoles.LOOSE_OBJECT_MAX) {
                    return false;
                }
            } catch (MissingObjectException pruned) {
                // an unreachable object a repack pruned since: no client asks for it
            }
        }
        return true;
    }
}
