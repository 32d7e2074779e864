package io.gitwar.service;

import io.gitwar.storage.file.StoredPack;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase.PackSource;

/**
 * What each pack is to dumb clients, from where it came from and how many objects it holds:
 * <ul>
 * <li><b>loose-served</b>: a push of fewer than {@code unpackLimit} objects. Its objects answer on
 * {@code objects/xx/yyyy}, as git's receive-pack would have unpacked them, and it is not listed, so an
 * incremental dumb fetch costs a few small requests and no index.</li>
 * <li><b>listed</b> in {@code objects/info/packs}: every other pack except unreachable garbage.</li>
 * <li><b>garbage</b>: unreachable objects a repack set aside until they expire; no client needs them.</li>
 * </ul>
 */
public final class PackRoles {

    /** Sources of packs written by a full repack; everything else arrived since the last one. */
    private static final Set<PackSource> REPACKED = EnumSet.of(PackSource.GC, PackSource.GC_REST,
            PackSource.GC_PART, PackSource.GC_REST_PART);

    private PackRoles() {
    }

    public static boolean garbage(PackSource source) {
        return source == PackSource.UNREACHABLE_GARBAGE;
    }

    public static boolean looseServed(PackSource source, long objectCount, int unpackLimit) {
        return source == PackSource.RECEIVE && objectCount < unpackLimit;
    }

    public static boolean listed(PackSource source, long objectCount, int unpackLimit) {
        return !garbage(source) && !looseServed(source, objectCount, unpackLimit);
    }

    /** The names clients know the listed packs by, {@code pack-<checksum>}, in the order given. */
    public static List<String> listedNames(Collection<StoredPack> packs, int unpackLimit) {
        return packs.stream()
                .filter(p -> listed(p.source(), p.objectCount(), unpackLimit))
                .map(StoredPack::publicName)
                .toList();
    }

    /** Written by a full repack, as opposed to arrived since. */
    public static boolean repacked(PackSource source) {
        return REPACKED.contains(source);
    }
}
