package io.gitwar.protocol.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gitwar.failure.LimitExceeded;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UploadRequestTest {

    private static final String A = "0123456789abcdef0123456789abcdef01234567";
    private static final String B = "89abcdef0123456789abcdef0123456789abcdef";

    /** {@code |}-separated lines as pkt-lines; FLUSH is 0000, DELIM 0001; a newline ends each line. */
    static byte[] pkt(String lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : lines.split("\\|")) {
            String l = line.strip().replace("$A", A).replace("$B", B);
            switch (l) {
                case "FLUSH" -> out.writeBytes("0000".getBytes(StandardCharsets.US_ASCII));
                case "DELIM" -> out.writeBytes("0001".getBytes(StandardCharsets.US_ASCII));
                default -> {
                    byte[] b = (l + "\n").getBytes(StandardCharsets.UTF_8);
                    out.writeBytes(String.format("%04x", b.length + 4).getBytes(StandardCharsets.US_ASCII));
                    out.writeBytes(b);
                }
            }
        }
        return out.toByteArray();
    }

    private static UploadRequest read(String lines, boolean v2) throws IOException {
        return UploadRequest.read(new ByteArrayInputStream(pkt(lines)), v2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        // v2?  request                                                                     since/not relative depth
        "false; want $A multi_ack side-band-64k | deepen-since 1700000000 | FLUSH         ; true ; false; 0",
        "false; want $A side-band-64k | deepen-not refs/heads/old | FLUSH                 ; true ; false; 0",
        "false; want $A side-band-64k deepen-relative | shallow $B | deepen 2 | FLUSH | have $B | done ; false; true; 2",
        "false; want $A side-band-64k | deepen 3 | FLUSH                                  ; false; false; 3",
        // only the wants section counts in v0
        "false; want $A side-band-64k | FLUSH | deepen-since 1                            ; false; false; 0",
        // no flush: incomplete, nothing is concluded
        "false; want $A side-band-64k deepen-relative | deepen 2                          ; false; false; 0",
        "true ; command=fetch | agent=git/2.39 | DELIM | shallow $B | deepen 1 | deepen-relative | want $A | done | FLUSH ; false; true; 1",
        "true ; command=ls-refs | DELIM | peel | FLUSH                                    ; false; false; 0",
        "true ; command=fetch | DELIM | want $A | deepen-since 5 | done | FLUSH           ; true ; false; 0",
    })
    void findsWhatMatters(boolean v2, String lines, boolean sinceOrNot, boolean relative, int depth) throws IOException {
        UploadRequest r = read(lines, v2);
        assertEquals(sinceOrNot, r.deepenSinceOrNot(), "deepen-since/not");
        assertEquals(relative, r.deepenRelative(), "deepen-relative");
        assertEquals(depth, r.depth(), "depth");
    }

    @Test
    void wantsAndShallows() throws IOException {
        UploadRequest r = read("want $A side-band-64k | want $B | shallow $B | deepen 1 | FLUSH", false);
        assertEquals(List.of(ObjectId.fromString(A), ObjectId.fromString(B)), r.wants());
        assertEquals(Set.of(ObjectId.fromString(B)), r.clientShallows());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "want $A side-band-64k | FLUSH | have $B | done",
        "want $A side-band-64k | FLUSH",
        "not pkt lines at all",
        "want $A side-band-64k deepen-relative | deepen 2",
    })
    void passesTheRequestOnUnchanged(String lines) throws IOException {
        byte[] body = lines.startsWith("not") ? lines.getBytes(StandardCharsets.US_ASCII) : pkt(lines);
        UploadRequest r = UploadRequest.read(new ByteArrayInputStream(body), false);
        assertArrayEquals(body, readAll(r.unchanged()));
    }

    @Test
    void rewritesDeepenRelativeToAnAbsoluteDepthV0() throws IOException {
        UploadRequest r = read("want $A side-band-64k deepen-relative ofs-delta | want $B | shallow $B | deepen 2 | FLUSH"
                + " | have $B | done", false);
        assertArrayEquals(pkt("want $A side-band-64k ofs-delta | want $B | shallow $B | deepen 7 | FLUSH | have $B | done"),
                readAll(r.withAbsoluteDepth(7)));
    }

    @Test
    void rewritesDeepenRelativeToAnAbsoluteDepthV2() throws IOException {
        UploadRequest r = read("command=fetch | agent=git/2.39 | DELIM | thin-pack | shallow $B | deepen 1 | deepen-relative"
                + " | want $A | have $B | done | FLUSH", true);
        assertArrayEquals(pkt("command=fetch | agent=git/2.39 | DELIM | thin-pack | shallow $B | deepen 4"
                + " | want $A | have $B | done | FLUSH"), readAll(r.withAbsoluteDepth(4)));
    }

    @Test
    void anEndlessSectionIsRefused() {
        InputStream endless = new InputStream() {
            private final byte[] line = pkt("have " + A);
            private long n;

            @Override
            public int read() {
                return line[(int) (n++ % line.length)] & 0xff;
            }
        };
        assertThrows(LimitExceeded.class, () -> UploadRequest.read(endless, true));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
