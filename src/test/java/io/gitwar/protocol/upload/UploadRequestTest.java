package io.gitwar.protocol.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.failure.BadRequest;
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
            String l = line.strip().replace("$A", A).replace("$B", B).replace("$Z", "z".repeat(40));
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

    /** Bounds far above every request here. */
    static final UploadRequest.Bounds ROOMY = new UploadRequest.Bounds(1 << 20, 1000, 1000);

    private static UploadRequest read(String lines, boolean v2) throws IOException {
        return UploadRequest.read(new ByteArrayInputStream(pkt(lines)), v2, ROOMY);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        // v2?  request                                                                     since/not relative depth
        "false; want $A multi_ack side-band-64k | deepen-since 1700000000 | FLUSH         ; true ; false; 0",
        "false; want $A side-band-64k | deepen-not refs/heads/old | FLUSH                 ; true ; false; 0",
        "false; want $A side-band-64k deepen-relative | shallow $B | deepen 2 | FLUSH | have $B | done ; false; true; 2",
        "false; want $A side-band-64k | deepen 3 | FLUSH                                  ; false; false; 3",
        "false; want $A side-band-64k | deepen 2147483647 | FLUSH | done                  ; false; false; 2147483647",
        "false; want $A side-band-64k | filter blob:none | FLUSH | done                   ; false; false; 0",
        "false; want $A side-band-64k | FLUSH | have $B | have $A | FLUSH                 ; false; false; 0",
        "false; FLUSH                                                                     ; false; false; 0",
        "true ; command=fetch | agent=git/2.39 | DELIM | shallow $B | deepen 1 | deepen-relative | want $A | done | FLUSH ; false; true; 1",
        "true ; command=ls-refs | DELIM | peel | symrefs | ref-prefix refs/heads/ | FLUSH  ; false; false; 0",
        "true ; command=ls-refs | agent=git/2.39 | object-format=sha1 | FLUSH             ; false; false; 0",
        "true ; command=fetch | DELIM | want $A | deepen-since 5 | done | FLUSH           ; false; false; 0",
        "true ; command=fetch | DELIM | thin-pack | no-progress | include-tag | ofs-delta | want $A | have $B | wait-for-done | filter tree:0 | FLUSH ; false; false; 0",
        "true ; FLUSH                                                                     ; false; false; 0",
    })
    void acceptsAndFindsWhatMatters(boolean v2, String lines, boolean sinceOrNot, boolean relative, int depth)
            throws IOException {
        UploadRequest r = read(lines, v2);
        assertEquals(sinceOrNot, !v2 && r.deepenSinceOrNot(), "deepen-since/not in v0");
        assertEquals(relative, r.deepenRelative(), "deepen-relative");
        assertEquals(depth, r.depth(), "depth");
        assertArrayEquals(pkt(lines), readAll(r.unchanged()), "passed on byte for byte");
    }

    @Test
    void wantsShallowsAndHaves() throws IOException {
        UploadRequest r = read("want $A side-band-64k | want $B | shallow $B | deepen 1 | FLUSH | have $A | have $B | done",
                false);
        assertEquals(List.of(ObjectId.fromString(A), ObjectId.fromString(B)), r.wants());
        assertEquals(Set.of(ObjectId.fromString(B)), r.clientShallows());
        assertEquals(2, r.haveCount());
    }

    /** The reasons go to the client as {@code ERR <reason>}: each says what was expected and what came. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "false; want $Z side-band-64k | FLUSH | done            ; invalid object id in \"want zzzz",
        "false; want $A | shallow $Z | FLUSH | done             ; invalid object id in \"shallow zzzz",
        "false; want $A | FLUSH | have 1234 | done              ; invalid object id in \"have 1234\": expected 40 hex digits",
        "false; want $A | want $B side-band-64k | FLUSH | done  ; invalid object id in \"want $B side-band-64k",
        "false; want $A | deepen 99999999999 | FLUSH | done     ; invalid deepen \"99999999999\": expected a number of commits from 1 to 2147483647",
        "false; want $A | deepen 0 | FLUSH | done               ; invalid deepen \"0\"",
        "false; want $A | deepen -1 | FLUSH | done              ; invalid deepen \"-1\"",
        "false; want $A | deepen 1e3 | FLUSH | done             ; invalid deepen \"1e3\"",
        "false; want $A | deepen-since 99999999999 | FLUSH      ; invalid deepen-since \"99999999999\": expected seconds since 1970",
        "false; want $A | filter blob:limit=abc | FLUSH | done  ; invalid filter \"blob:limit=abc\"",
        "false; want $A | filter blob:none | filter tree:0 | FLUSH ; more than one filter line",
        "false; want $A | DELIM | FLUSH                         ; delim-pkt (0001) in a protocol v0 request",
        "false; want $A | frobnicate | FLUSH                    ; expected want, shallow, deepen, deepen-since, deepen-not or filter",
        "false; want $A | FLUSH | want $B | done                ; expected have, done or a flush-pkt (0000) after the wants, got \"want ",
        "false; want $A | FLUSH | deepen-since 1                ; expected have, done or a flush-pkt",
        "false; want $A | FLUSH | done | FLUSH                  ; data after the end of the request",
        "false; want $A | FLUSH | have $B | FLUSH | have $B     ; data after the end of the request",
        "false; want $A | FLUSH | have $B                       ; request ends before done or a flush-pkt",
        "false; want $A side-band-64k deepen-relative | deepen 2 ; request ends before the flush-pkt (0000) after the wants",
        "true ; command=object-info | FLUSH                     ; unknown command \"object-info\": this server offers fetch and ls-refs",
        "true ; want $A | FLUSH                                 ; expected command=fetch or command=ls-refs",
        "true ; command=fetch | object-format=sha256 | FLUSH    ; unsupported object-format=sha256",
        "true ; command=fetch | DELIM | want-ref refs/heads/main | FLUSH ; unexpected \"want-ref refs/heads/main\" in a fetch request",
        "true ; command=fetch | DELIM | want $A | DELIM | FLUSH ; a second delim-pkt (0001)",
        "true ; command=fetch | DELIM | want $A | done          ; request ends before the flush-pkt (0000) after the arguments",
        "true ; command=ls-refs | DELIM | want $A | FLUSH       ; unexpected \"want ",
        "true ; command=fetch | agent=x                         ; request ends before its flush-pkt (0000)",
    })
    void refusesWithTheReason(boolean v2, String lines, String reason) {
        BadRequest e = assertThrows(BadRequest.class, () -> read(lines, v2));
        assertTrue(e.getMessage().contains(reason.replace("$B", B)), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "''                  ; empty request",
        "not pkt lines at all; malformed pkt-line",
        "0032want            ; request ends inside a pkt-line",
        "0002                ; malformed pkt-line",
    })
    void refusesWhatIsNoRequest(String body, String reason) {
        BadRequest e = assertThrows(BadRequest.class,
                () -> UploadRequest.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.US_ASCII)), false, ROOMY));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "false; want $A | want $B | want $A | FLUSH | done                ; more than 2 wants in one request",
        "false; want $A | FLUSH | have $A | have $B | have $A | done      ; more than 2 haves in one request",
        "false; want $A | shallow $A | shallow $B | shallow $A | FLUSH    ; more than 2 shallow lines in one request",
        "true ; command=fetch | DELIM | want $A | have $A | have $B | have $A | FLUSH ; more than 2 haves in one request",
    })
    void refusesWhatIsOverTheBounds(boolean v2, String lines, String reason) {
        UploadRequest.Bounds two = new UploadRequest.Bounds(1 << 20, 2, 2);
        LimitExceeded e = assertThrows(LimitExceeded.class,
                () -> UploadRequest.read(new ByteArrayInputStream(pkt(lines)), v2, two));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    /** git's own bound on ref prefixes (ls-refs.c), not the want bound: git sends six per refspec. */
    @Test
    void refPrefixesAndDeepenNotsAreBoundedByGitsOwnNumber() throws IOException {
        StringBuilder prefixes = new StringBuilder("command=ls-refs | DELIM");
        for (int i = 0; i < RequestArguments.MAX_REF_LINES; i++) {
            prefixes.append(" | ref-prefix refs/heads/").append(i);
        }
        UploadRequest.Bounds twoWants = new UploadRequest.Bounds(16 << 20, 2, 2);
        UploadRequest.read(new ByteArrayInputStream(pkt(prefixes + " | FLUSH")), true, twoWants);
        LimitExceeded e = assertThrows(LimitExceeded.class, () -> UploadRequest.read(
                new ByteArrayInputStream(pkt(prefixes + " | ref-prefix x | FLUSH")), true, twoWants));
        assertEquals("more than 65536 ref-prefix lines in one request, the limit of this server", e.getMessage());
    }

    @Test
    void theByteBoundCountsTheDecodedRequestToTheByte() throws IOException {
        byte[] body = pkt("want $A side-band-64k | FLUSH | done");
        UploadRequest.Bounds exact = new UploadRequest.Bounds(body.length, 10, 10);
        assertArrayEquals(body, readAll(UploadRequest.read(new ByteArrayInputStream(body), false, exact).unchanged()));
        UploadRequest.Bounds less = new UploadRequest.Bounds(body.length - 1, 10, 10);
        LimitExceeded e = assertThrows(LimitExceeded.class,
                () -> UploadRequest.read(new ByteArrayInputStream(body), false, less));
        assertEquals("request larger than " + (body.length - 1) + " bytes, the limit of this server", e.getMessage());
    }

    /** The body's own failures (a broken connection, a read timeout) are not the request's: they pass as they are. */
    @Test
    void failuresOfTheBodyPassThrough() {
        IOException broken = new java.io.InterruptedIOException("read timed out");
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw broken;
            }
        };
        assertSame(broken, assertThrows(IOException.class, () -> UploadRequest.read(failing, false, ROOMY)));
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
            private final byte[] line = pkt("want " + A);
            private long n;

            @Override
            public int read() {
                return line[(int) (n++ % line.length)] & 0xff;
            }
        };
        assertThrows(LimitExceeded.class, () -> UploadRequest.read(endless, false, ROOMY));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
