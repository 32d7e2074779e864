package io.gitwar.service;

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
final class PackRoles {

    /** Sources of packs written by a full repack; everything else arrived since the last one. */
    private static final Set<String> REPACKED = Set.of(PackSource.GC.name(), PackSource.GC_REST.name(),
            PackSource.GC_PART.name(), PackSource.GC_REST_PART.name());

    private PackRoles() {
    }

    static boolean garbage(String source) {
        return PackSource.UNREACHABLE_GARBAGE.name().equals(source);
    }

    static boolean looseServed(String source, long objectCount, int unpackLimit) {
        return PackSource.RECEIVE.name().equals(source) && objectCount < unpackLimit;
    }

    static boolean listed(String source, long objectCount, int unpackLimit) {
        return !garbage(source) && !looseServed(source, objectCount, unpackLimit);
    }

    /** Written by a full repack (GC), as opposed to arrived since. */
    static boolean repacked(String source) {
        return REPACKED.contains(source);
    }
}
