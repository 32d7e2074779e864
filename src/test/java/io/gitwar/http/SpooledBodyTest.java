package io.gitwar.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.failure.ClientFailure;
import io.gitwar.failure.InsufficientStorage;
import io.gitwar.failure.LimitExceeded;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpooledBodyTest {

    @TempDir
    Path tmp;

    @Test
    void keepsSmallBodiesInMemoryAndLargeOnesInAFileThatCloseDeletes() throws Exception {
        byte[] small = "0000".getBytes();
        try (SpooledBody b = SpooledBody.read(new ByteArrayInputStream(small), tmp, -1)) {
            assertArrayEquals(small, b.open().readAllBytes());
            assertFalse(b.overflowed());
        }
        byte[] large = new byte[3 << 20];
        Arrays.fill(large, (byte) 7);
        try (SpooledBody b = SpooledBody.read(new ByteArrayInputStream(large), tmp, -1)) {
            assertEquals(large.length, b.length());
            assertArrayEquals(large, b.open().readAllBytes());
            try (var files = Files.list(tmp)) {
                assertEquals(1, files.count());
            }
        }
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aBodyOverTheLimitKeepsItsBeginningAndIsReadToItsEnd() throws Exception {
        Zeros body = new Zeros(5 << 20);
        try (SpooledBody b = SpooledBody.read(body, tmp, 2 << 20)) {
            assertTrue(b.overflowed());
            assertEquals(2 << 20, b.length());
            assertEquals(2 << 20, b.open().readAllBytes().length);
            assertEquals(0, body.remaining, "drained, so the client reads the answer");
        }
    }

    @Test
    void aBodyThatGoesOnFarBeyondTheLimitIsCutOff() {
        Zeros body = new Zeros(SpooledBody.DRAIN_LIMIT + (4 << 20));
        assertThrows(LimitExceeded.class, () -> SpooledBody.read(body, tmp, 1 << 20));
        assertTrue(body.remaining > 0);
    }

    @Test
    void theSpoolFileGrowsOnlyWhileTheDiskHasRoomAndIsDeletedWhenItHasNot() throws Exception {
        List<Long> asked = new ArrayList<>();
        SpooledBody.Room room = bytes -> {
            asked.add(bytes);
            if (asked.size() == 3) {
                throw new InsufficientStorage("disk full");
            }
        };
        Zeros body = new Zeros(100L << 20);
        assertThrows(InsufficientStorage.class, () -> SpooledBody.read(body, tmp, -1, room));
        // asked when the file was created (for what it holds and a step) and before each further step
        assertEquals(List.of(SpooledBody.IN_MEMORY_LIMIT + 64 * 1024 + SpooledBody.ROOM_STEP, SpooledBody.ROOM_STEP,
                SpooledBody.ROOM_STEP), asked);
        assertTrue(body.remaining > 60L << 20, "stopped reading at the refusal");
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count());
        }
        try (SpooledBody b = SpooledBody.read(new Zeros(100), tmp, -1, bytes -> {
            throw new AssertionError("a body in memory takes no disk");
        })) {
            assertEquals(100, b.length());
        }
    }

    @Test
    void aConnectionThatFailsIsTheClientsFailure() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("UT000128: Remote peer closed connection before all data could be read");
            }
        };
        ClientFailure e = assertThrows(ClientFailure.class, () -> SpooledBody.read(broken, tmp, -1));
        assertTrue(e.getMessage().contains("could not read the request body"));
    }

    /** {@code n} zero bytes without holding them. */
    private static final class Zeros extends InputStream {
        long remaining;

        Zeros(long n) {
            remaining = n;
        }

        @Override
        public int read() {
            return remaining-- > 0 ? 0 : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            Arrays.fill(b, off, off + n, (byte) 0);
            remaining -= n;
            return n;
        }
    }
}
