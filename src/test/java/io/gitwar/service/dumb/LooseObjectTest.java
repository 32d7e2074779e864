package io.gitwar.service.dumb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.InflaterInputStream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LooseObjectTest {

    @TempDir
    Path spool;

    @Test
    void smallObjectsAreZlibOfTypeSizeAndContentInMemory() throws Exception {
        byte[] content = "hello\n".getBytes(StandardCharsets.UTF_8);
        ObjectId id = new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB, content);
        LooseObject o = LooseObject.encode(id, new ObjectLoader.SmallObject(Constants.OBJ_BLOB, content),
                Instant.EPOCH, spool);
        byte[] encoded = readAll(o, 0, o.length());
        assertArrayEquals("blob 6\0hello\n".getBytes(StandardCharsets.US_ASCII), inflate(encoded));
        assertEquals(0x78, encoded[0] & 0xff, "a zlib stream");
        assertEquals(id.name(), o.validator());
        assertArrayEquals(Arrays.copyOfRange(encoded, 3, 9), readAll(o, 3, 6));
        try (var files = Files.list(spool)) {
            assertFalse(files.findAny().isPresent(), "nothing spooled");
        }
    }

    @Test
    void largeObjectsAreSpooledToATemporaryFileThatDiscardDeletes() throws Exception {
        byte[] content = new byte[(int) LooseObject.IN_MEMORY_LIMIT + 12345];
        new Random(1).nextBytes(content);
        ObjectId id = new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB, content);
        LooseObject o = LooseObject.encode(id, new ObjectLoader.SmallObject(Constants.OBJ_BLOB, content),
                Instant.EPOCH, spool);
        byte[] encoded = readAll(o, 0, o.length());
        byte[] plain = inflate(encoded);
        String header = "blob " + content.length + "\0";
        assertEquals(header, new String(plain, 0, header.length(), StandardCharsets.US_ASCII));
        assertArrayEquals(content, Arrays.copyOfRange(plain, header.length(), plain.length));
        assertArrayEquals(Arrays.copyOfRange(encoded, 1_000_000, 1_000_100), readAll(o, 1_000_000, 100));
        try (var files = Files.list(spool)) {
            assertTrue(files.findAny().isPresent(), "spooled");
        }
        o.close();
        try (var files = Files.list(spool)) {
            assertFalse(files.findAny().isPresent(), "deleted");
        }
    }

    private static byte[] readAll(LooseObject o, long offset, long length) throws Exception {
        try (InputStream in = o.open(offset, length)) {
            return in.readAllBytes();
        }
    }

    private static byte[] inflate(byte[] z) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InflaterInputStream in = new InflaterInputStream(new java.io.ByteArrayInputStream(z))) {
            in.transferTo(out);
        }
        return out.toByteArray();
    }
}
