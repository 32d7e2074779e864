package io.gitwar.service;

import io.gitwar.storage.file.StoredPack;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase.PackSource;

/**
 * What each pack is to dumb clients, from where it came from, how many objects it holds and how
 * large they are:
 * <ul>
 * <li><b>loose-served</b>: a push of fewer than {@code unpackLimit} objects (a <em>small push</em>)
 * none of which inflates to more than {@link #LOOSE_OBJECT_MAX} ({@link LoosePacks} reads that).
 * Its objects answer on {@code objects/xx/yyyy}, as git's receive-pack would have unpacked them, and
 * it is not listed, so an incremental dumb fetch costs a few small requests and no index.</li>
 * <li><b>listed</b> in {@code objects/info/packs}: every other pack except unreachable garbage. A
 * small push with a larger object is listed: its objects answer 404 on the loose route, and git
 * then finds them through the pack list.</li>
 * <li><b>garbage</b>: unreachable objects a repack set aside until they expire; no client needs them.</li>
 * </ul>
 */
public final class PackRoles {

    /**
     * The largest object served loose, inflated. Each loose request re-encodes its object (git's
     * loose format compresses header and content as one zlib stream, so no stored bytes can be
     * sent as they are), in memory: 1 MiB costs a few milliseconds and never a temporary file. A
     * delta among a small push's objects is resolved against bases of that push (a thin pack is
     * completed with its bases), each of them within this bound too. git's own threshold for big
     * files (core.bigFileThreshold, 512 MiB) is about storage; this one is about a request's cost,
     * and larger objects are better fetched inside their pack, which is sent as stored.
     */
    public static final long LOOSE_OBJECT_MAX = 1L << 20;

    /** Sources of packs written by a full repack; everything else arrived since the last one. */
    private static final Set<PackSource> REPACKED = EnumSet.of(PackSource.GC, PackSource.GC_REST,
            PackSource.GC_PART, PackSource.GC_REST_PART);

    private PackRoles() {
    }

    public static boolean garbage(PackSource source) {
        return source == PackSource.UNREACHABLE_GARBAGE;
    }

    /** A push of fewer than {@code unpackLimit} objects: loose-served if its objects are small. */
    public static boolean smallPush(PackSource source, long objectCount, int unpackLimit) {
        return source == PackSource.RECEIVE && objectCount < unpackLimit;
    }

    /** Listed unless garbage or loose-served ({@code looseServed}: the names {@link LoosePacks} found). */
    public static boolean listed(StoredPack pack, Set<String> looseServed) {
        return !garbage(pack.source()) && !looseServed.contains(pack.name());
    }

    /** The names clients know the listed packs by, {@code pack-<checksum>}, in the order given. */
    public static List<String> listedNames(Collection<StoredPack> packs, Set<String> looseServed) {
        return packs.stream()
                .filter(p -> listed(p, looseServed))
                .map(StoredPack::publicName)
                .toList();
    }

    /** Written by a full repack, as opposed to arrived since. */
    public static boolean repacked(PackSource source) {
        return REPACKED.contains(source);
    }
}
