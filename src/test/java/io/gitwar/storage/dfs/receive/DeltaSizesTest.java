package io.gitwar.storage.dfs.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.it.PackBytes;
import org.junit.jupiter.api.Test;

class DeltaSizesTest {

    @Test
    void readsBothSizesFromCompressedBytesFedInPieces() {
        byte[] compressed = PackBytes.deflate(PackBytes.copyDelta(300_000, 5L << 30));
        DeltaSizes sizes = new DeltaSizes();
        boolean done = false;
        for (int i = 0; i < compressed.length && !done; i++) {
            done = sizes.feed(compressed, i, 1);
        }
        assertTrue(done);
        assertEquals(300_000, sizes.baseSize());
        assertEquals(5L << 30, sizes.resultSize());
        sizes.reset();
        assertEquals(-1, sizes.resultSize());
        byte[] insert = PackBytes.deflate(PackBytes.insertDelta(3, 7, new byte[7]));
        assertTrue(sizes.feed(insert, 0, insert.length));
        assertEquals(7, sizes.resultSize());
        sizes.end();
    }

    @Test
    void aSizeTooLongForALongIsTheLargestAndAShortDeltaHasNone() {
        DeltaSizes sizes = new DeltaSizes();
        byte[] overlong = {(byte) 0x81, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x05};
        byte[] compressed = PackBytes.deflate(overlong);
        assertTrue(sizes.feed(compressed, 0, compressed.length));
        assertEquals(Long.MAX_VALUE, sizes.baseSize());
        sizes.reset();
        byte[] shortDelta = PackBytes.deflate(new byte[] {(byte) 0x81});
        assertTrue(sizes.feed(shortDelta, 0, shortDelta.length)); // the stream ended: nothing more to learn
        assertEquals(-1, sizes.resultSize());
        sizes.reset();
        assertFalse(sizes.feed(shortDelta, 0, 1)); // not yet
        sizes.end();
    }
}
