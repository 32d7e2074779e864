package io.gitwar.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.failure.LimitExceeded;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {

    @Test
    void aGzippedPackDecodesWhole() throws Exception {
        byte[] pack = new byte[5 << 20];
        new Random(1).nextBytes(pack); // like a pack: zlib streams barely compress
        try (InputStream in = RequestBodies.gunzip(new ByteArrayInputStream(gzip(pack)), RequestBodies.MAX_INFLATION)) {
            assertArrayEquals(pack, in.readAllBytes());
        }
    }

    @Test
    void aSmallBodyMayInflateUpToTheSlack() throws Exception {
        byte[] commands = new byte[(int) RequestBodies.INFLATION_SLACK];
        try (InputStream in = RequestBodies.gunzip(new ByteArrayInputStream(gzip(commands)), RequestBodies.MAX_INFLATION)) {
            assertArrayEquals(commands, in.readAllBytes());
        }
    }

    @Test
    void aGzipBombIsRefusedLongBeforeItIsDecoded() throws Exception {
        byte[] bomb = gzip(new byte[256 << 20]); // 256 MiB of zeros in about 256 KiB
        assertTrue(bomb.length < 1 << 20, "bomb of " + bomb.length);
        long[] decoded = {0};
        LimitExceeded e = assertThrows(LimitExceeded.class, () -> {
            try (InputStream in = RequestBodies.gunzip(new ByteArrayInputStream(bomb), RequestBodies.MAX_INFLATION)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    decoded[0] += n;
                }
            }
        });
        assertTrue(e.getMessage().contains("inflates more than 8 times"), e.getMessage());
        assertTrue(decoded[0] < 4 << 20, "decoded " + decoded[0]); // 1 MiB of slack plus 8 x 64 KiB read ahead
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }
}
