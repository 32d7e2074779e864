package io.gitwar.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitwar.storage.StoredPack;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectIdRef;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.SymbolicRef;
import org.junit.jupiter.api.Test;

class DumbListingsTest {

    private static final ObjectId A = ObjectId.fromString("1111111111111111111111111111111111111111");
    private static final ObjectId B = ObjectId.fromString("2222222222222222222222222222222222222222");
    private static final ObjectId T = ObjectId.fromString("3333333333333333333333333333333333333333");

    @Test
    void infoRefsIsSortedByteWiseWithPeeledTagsAndWithoutHead() {
        Ref main = new ObjectIdRef.PeeledNonTag(Ref.Storage.PACKED, "refs/heads/main", A);
        Ref head = new SymbolicRef("HEAD", main);
        Ref upper = new ObjectIdRef.PeeledNonTag(Ref.Storage.PACKED, "refs/heads/Zed", B);
        Ref tag = new ObjectIdRef.PeeledTag(Ref.Storage.PACKED, "refs/tags/v1", T, A);
        Ref light = new ObjectIdRef.PeeledNonTag(Ref.Storage.PACKED, "refs/tags/light", B);
        Ref unborn = new SymbolicRef("refs/heads/alias", new ObjectIdRef.Unpeeled(Ref.Storage.NEW, "refs/heads/x", null));
        assertEquals(
                "2222222222222222222222222222222222222222\trefs/heads/Zed\n"
                        + "1111111111111111111111111111111111111111\trefs/heads/main\n"
                        + "2222222222222222222222222222222222222222\trefs/tags/light\n"
                        + "3333333333333333333333333333333333333333\trefs/tags/v1\n"
                        + "1111111111111111111111111111111111111111\trefs/tags/v1^{}\n",
                DumbListings.infoRefs(List.of(tag, head, main, light, upper, unborn)));
    }

    @Test
    void emptyRepositoryListsNothing() {
        assertEquals("", DumbListings.infoRefs(List.of()));
        assertEquals("\n", DumbListings.packs(List.of(), 100));
    }

    @Test
    void headIsASymbolicRefLineEvenWhenUnborn() {
        Ref unborn = new SymbolicRef("HEAD", new ObjectIdRef.Unpeeled(Ref.Storage.NEW, "refs/heads/main", null));
        assertEquals("ref: refs/heads/main\n", DumbListings.head(unborn));
        Ref detached = new ObjectIdRef.PeeledNonTag(Ref.Storage.PACKED, "HEAD", A);
        assertEquals(A.name() + "\n", DumbListings.head(detached));
    }

    @Test
    void packListNamesEachPackByItsChecksumOnceThenABlankLine() {
        String c1 = "a".repeat(40);
        String c2 = "b".repeat(40);
        List<StoredPack> packs = List.of(
                new StoredPack("internal-1", c1, "RECEIVE", Instant.EPOCH, 3, Map.of(), false),
                new StoredPack("internal-2", c2, "GC", Instant.EPOCH, 9, Map.of(), false),
                new StoredPack("internal-3", c1, "RECEIVE", Instant.EPOCH, 3, Map.of(), false));
        assertEquals("P pack-" + c1 + ".pack\nP pack-" + c2 + ".pack\n\n", DumbListings.packs(packs, 0));
    }

    @Test
    void smallPushesAndGarbageAreNotListed() {
        String small = "a".repeat(40);
        String big = "b".repeat(40);
        String gc = "c".repeat(40);
        String garbage = "d".repeat(40);
        List<StoredPack> packs = List.of(
                new StoredPack("i1", small, "RECEIVE", Instant.EPOCH, 99, Map.of(), false),
                new StoredPack("i2", big, "RECEIVE", Instant.EPOCH, 100, Map.of(), false),
                new StoredPack("i3", gc, "GC", Instant.EPOCH, 5, Map.of(), false),
                new StoredPack("i4", garbage, "UNREACHABLE_GARBAGE", Instant.EPOCH, 500, Map.of(), false));
        assertEquals("P pack-" + big + ".pack\nP pack-" + gc + ".pack\n\n", DumbListings.packs(packs, 100));
    }
}
