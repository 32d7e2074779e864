package io.gitwar.protocol.dumb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
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
        assertEquals("\n", DumbListings.packs(List.of()));
    }

    @Test
    void headIsASymbolicRefLineEvenWhenUnborn() {
        Ref unborn = new SymbolicRef("HEAD", new ObjectIdRef.Unpeeled(Ref.Storage.NEW, "refs/heads/main", null));
        assertEquals("ref: refs/heads/main\n", DumbListings.head(unborn));
        Ref detached = new ObjectIdRef.PeeledNonTag(Ref.Storage.PACKED, "HEAD", A);
        assertEquals(A.name() + "\n", DumbListings.head(detached));
    }

    @Test
    void packListNamesEachPackOnceThenABlankLine() {
        String c1 = "a".repeat(40);
        String c2 = "b".repeat(40);
        assertEquals("P pack-" + c1 + ".pack\nP pack-" + c2 + ".pack\n\n",
                DumbListings.packs(List.of("pack-" + c1, "pack-" + c2, "pack-" + c1)));
    }
}
