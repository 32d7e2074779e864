package io.gitwar.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.protocol.dumb.DumbListings;
import io.gitwar.storage.file.StoredPack;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase.PackSource;
import org.junit.jupiter.api.Test;

/** Which packs {@code objects/info/packs} lists, as {@link DumbListings} writes it. */
class PackRolesTest {

    private static StoredPack pack(String name, String checksum, PackSource source, long objects) {
        return new StoredPack(name, source, Instant.EPOCH, objects, 0, 2, checksum, null, Map.of());
    }

    @Test
    void packListNamesEachPackByItsChecksumOnceThenABlankLine() {
        String c1 = "a".repeat(40);
        String c2 = "b".repeat(40);
        List<StoredPack> packs = List.of(
                pack("internal-1", c1, PackSource.RECEIVE, 3),
                pack("internal-2", c2, PackSource.GC, 9),
                pack("internal-3", c1, PackSource.RECEIVE, 3));
        assertEquals("P pack-" + c1 + ".pack\nP pack-" + c2 + ".pack\n\n",
                DumbListings.packs(PackRoles.listedNames(packs, Set.of())));
    }

    /** Loose-served packs (the small pushes LoosePacks found all small) and garbage are not listed. */
    @Test
    void looseServedPacksAndGarbageAreNotListed() {
        String small = "a".repeat(40);
        String big = "b".repeat(40);
        String gc = "c".repeat(40);
        String garbage = "d".repeat(40);
        String smallWithALargeObject = "e".repeat(40);
        List<StoredPack> packs = List.of(
                pack("i1", small, PackSource.RECEIVE, 99),
                pack("i2", big, PackSource.RECEIVE, 100),
                pack("i3", gc, PackSource.GC, 5),
                pack("i4", garbage, PackSource.UNREACHABLE_GARBAGE, 500),
                pack("i5", smallWithALargeObject, PackSource.RECEIVE, 3));
        assertEquals("P pack-" + big + ".pack\nP pack-" + gc + ".pack\nP pack-" + smallWithALargeObject + ".pack\n\n",
                DumbListings.packs(PackRoles.listedNames(packs, Set.of("i1"))));
    }

    @Test
    void aSmallPushIsAReceivedPackOfFewerObjectsThanTheUnpackLimit() {
        assertTrue(PackRoles.smallPush(PackSource.RECEIVE, 99, 100));
        assertFalse(PackRoles.smallPush(PackSource.RECEIVE, 100, 100));
        assertFalse(PackRoles.smallPush(PackSource.GC, 3, 100));
        assertFalse(PackRoles.smallPush(PackSource.INSERT, 3, 100));
    }
}
