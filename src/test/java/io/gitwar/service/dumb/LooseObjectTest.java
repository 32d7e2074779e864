package io.gitwar.service.dumb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.InflaterInputStream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.junit.jupiter.api.Test;

class LooseObjectTest {

    private static final byte[] CONTENT = "hello\n".getBytes(StandardCharsets.UTF_8);
    private static final ObjectId ID = new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB, CONTENT);

    private final AtomicInteger opened = new AtomicInteger();

    private LooseObject hello() {
        return new LooseObject(ID, Instant.EPOCH, () -> {
            opened.incrementAndGet();
            return new ObjectLoader.SmallObject(Constants.OBJ_BLOB, CONTENT);
        });
    }

    @Test
    void theEncodingIsZlibOfTypeSizeAndContent() throws Exception {
        LooseObject o = hello();
        byte[] encoded = readAll(o, 0, o.length());
        assertArrayEquals("blob 6\0hello\n".getBytes(StandardCharsets.US_ASCII), inflate(encoded));
        assertEquals(0x78, encoded[0] & 0xff, "a zlib stream");
        assertEquals(ID.name(), o.validator());
        assertArrayEquals(Arrays.copyOfRange(encoded, 3, 9), readAll(o, 3, 6));
    }

    /** A 304 or 412 needs the validators only: the object is not even opened for them. */
    @Test
    void theValidatorsNeedNoReadAndTheEncodingIsMadeOnce() throws Exception {
        LooseObject o = hello();
        o.validator();
        o.lastModified();
        assertEquals(0, opened.get(), "not opened for the validators");
        long length = o.length();
        readAll(o, 0, length);
        readAll(o, 1, length - 1);
        assertEquals(1, opened.get(), "encoded once");
    }

    private static byte[] readAll(LooseObject o, long offset, long length) throws Exception {
        try (InputStream in = o.open(offset, length)) {
            return in.readAllBytes();
        }
    }

    private static byte[] inflate(byte[] z) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(z))) {
            in.transferTo(out);
        }
        return out.toByteArray();
    }
}
