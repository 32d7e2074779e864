package io.gitwar.storage.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Random;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkStreamsTest {

    @TempDir
    Path dir;

    @Test
    void writesAtMostOneMebibytePerRowAndReadsAnyRangeBack() throws Exception {
        byte[] data = new byte[2 * Chunks.SIZE + 12345];
        new Random(1).nextBytes(data);
        try (Db db = new Db(DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("r.sqlite")))) {
            Schema.create(db.connection());
            PackRows rows = new PackRows(db);
            long id = rows.createFile("p", PackExt.PACK);
            ChunkOutputStream out = new ChunkOutputStream(rows, id);
            // the sizes JGit's writers use: tiny pieces, 8 KiB, and whole aligned blocks
            int pos = 0;
            int[] pieces = {1, 1240, 8192, 3, 65536};
            for (int i = 0; pos < data.length; i++) {
                int n = Math.min(pieces[i % pieces.length], data.length - pos);
                out.write(data, pos, n);
                pos += n;
                // read-back while writing, across the flushed/buffered boundary
                ByteBuffer probe = ByteBuffer.allocate(Math.min(pos, 10));
                out.read(pos - probe.capacity(), probe);
                assertArrayEquals(Arrays.copyOfRange(data, pos - probe.capacity(), pos), probe.array());
            }
            out.close();
            out.close(); // JGit closes index streams twice
            assertEquals(data.length, out.size());

            try (ResultSet rs = db.connection().createStatement()
                    .executeQuery("SELECT count(*), max(length(data)) FROM chunk")) {
                rs.next();
                assertEquals(3, rs.getInt(1));
                assertEquals(Chunks.SIZE, rs.getInt(2));
            }

            long[][] ranges = {{0, 10}, {Chunks.SIZE - 5, 10}, {0, data.length}, {data.length - 1, 1},
                {Chunks.SIZE, Chunks.SIZE}, {5, 0}};
            for (long[] r : ranges) {
                try (InputStream in = new ChunkInputStream(rows, id, r[0], r[1])) {
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    in.transferTo(got);
                    assertArrayEquals(Arrays.copyOfRange(data, (int) r[0], (int) (r[0] + r[1])), got.toByteArray(),
                            "range " + r[0] + "+" + r[1]);
                }
            }

            ChunkChannel channel = new ChunkChannel(rows, id, data.length);
            channel.position(Chunks.SIZE - 100);
            ByteBuffer buf = ByteBuffer.allocate(300);
            assertEquals(300, channel.read(buf));
            assertArrayEquals(Arrays.copyOfRange(data, Chunks.SIZE - 100, Chunks.SIZE + 200), buf.array());
            channel.position(data.length);
            assertTrue(channel.read(ByteBuffer.allocate(1)) < 0);
        }
    }
}
