package io.gitwar.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeepenWatchTest {

    private static final String WANT = "want 0123456789abcdef0123456789abcdef01234567 multi_ack_detailed side-band-64k\n";
    private static final String HAVE = "have 0123456789abcdef0123456789abcdef01234567\n";

    /** Lines separated by {@code |}; {@code FLUSH} is 0000. */
    private static byte[] request(String lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : lines.split("\\|")) {
            String l = line.strip().replace("WANT", WANT).replace("HAVE", HAVE);
            if (l.equals("FLUSH")) {
                out.writeBytes("0000".getBytes(StandardCharsets.US_ASCII));
            } else {
                byte[] b = (l.endsWith("\n") ? l : l + "\n").getBytes(StandardCharsets.UTF_8);
                out.writeBytes(String.format("%04x", b.length + 4).getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(b);
            }
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "WANT | deepen-since 1700000000 | FLUSH                    ; true",
        "WANT | deepen-not refs/heads/old | FLUSH                  ; true",
        "WANT | shallow 0123456789abcdef0123456789abcdef01234567 | deepen-since 1 | FLUSH ; true",
        "WANT | deepen 1 | FLUSH                                   ; false",
        "WANT | FLUSH | HAVE | done                                ; false",
        "WANT | filter blob:none | FLUSH                           ; false",
        // only the first section counts
        "WANT | FLUSH | deepen-since 1                             ; false",
        "deepen-sinc                                               ; false",
    })
    void seesDeepenSinceAndNotInTheFirstSection(String lines, boolean expected) throws IOException {
        byte[] body = request(lines);
        for (int chunk : new int[] {1, 3, 7, 4096}) { // JGit reads in pieces of any size
            DeepenWatch watch = new DeepenWatch(new ByteArrayInputStream(body));
            assertArrayEquals(body, readInPieces(watch, chunk), "passes every byte through");
            assertEquals(expected, watch.deepenSinceOrNot(), lines + " read " + chunk + " at a time");
        }
    }

    private static byte[] readInPieces(InputStream in, int size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[size];
        int n;
        while ((n = size == 1 ? singleByte(in, buf) : in.read(buf, 0, size)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static int singleByte(InputStream in, byte[] buf) throws IOException {
        int b = in.read();
        if (b < 0) {
            return -1;
        }
        buf[0] = (byte) b;
        return 1;
    }
}
