package io.gitwar.protocol.receive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.failure.BadRequest;
import io.gitwar.failure.LimitExceeded;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PushRequestTest {

    private static final String Z = "0".repeat(40);
    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);

    @Test
    void readsCommandsCapabilitiesAndTranslatesReportStatusV2ForJGit() throws Exception {
        String first = Z + " " + A + " refs/heads/main\0report-status-v2 side-band-64k agent=git/2.39.5\n";
        String second = A + " " + Z + " refs/heads/old\n";
        byte[] body = bytes(pkt("shallow " + B) + pkt(first) + pkt(second) + "0000PACKrest");
        PushRequest r = PushRequest.read(new ByteArrayInputStream(body));

        assertEquals(List.of("refs/heads/main", "refs/heads/old"), r.commands().stream().map(ReceiveCommand::getRefName).toList());
        assertEquals(ReceiveCommand.Type.CREATE, r.commands().get(0).getType());
        assertEquals(ReceiveCommand.Type.DELETE, r.commands().get(1).getType());
        assertEquals(List.of("report-status-v2", "side-band-64k", "agent=git/2.39.5"), r.capabilities());
        assertTrue(r.canReport());
        assertTrue(r.sideBand());
        assertTrue(r.needsPack());
        assertNull(r.unsupportedCapability());
        assertEquals(body.length - "PACKrest".length(), r.commandBytes());
        assertEquals(pkt("shallow " + B) + pkt(Z + " " + A + " refs/heads/main\0report-status side-band-64k agent=git/2.39.5\n")
                + pkt(second) + "0000PACKrest", new String(r.forJGit().readAllBytes(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void passesEveryOtherByteThroughUnchanged() throws Exception {
        // a ref name in UTF-8 and bytes that are not UTF-8 at all after the pack header
        byte[] pack = {'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 0, 0, 1, (byte) 0xff, (byte) 0xc3, 0x28};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(bytes(pkt(Z + " " + A + " refs/heads/caf\u00e9\0report-status\n") + "0000"));
        body.writeBytes(pack);
        PushRequest r = PushRequest.read(new ByteArrayInputStream(body.toByteArray()));
        assertEquals("refs/heads/caf\u00e9", r.commands().get(0).getRefName());
        assertEquals(1, r.declaredObjectCount());
        assertArrayEquals(body.toByteArray(), r.forJGit().readAllBytes());

        PushRequest later = PushRequest.read(new ByteArrayInputStream(body.toByteArray()));
        java.io.InputStream jgit = later.forJGit(); // taken before the header is looked at
        assertEquals(1, later.declaredObjectCount());
        assertArrayEquals(body.toByteArray(), jgit.readAllBytes());
    }

    @Test
    void gitsProbeHasNoCommands() throws Exception {
        assertTrue(PushRequest.read(new ByteArrayInputStream(bytes("0000"))).commands().isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                                   | empty request body",
        "zz12                                 | malformed pkt-line length \"zz12\"",
        "0001                                 | invalid pkt-line length 0001",
        "0003                                 | invalid pkt-line length 0003",
        "fff5xxxx                             | pkt-line length 65525 over the maximum of 65520",
        "0100short                            | request ends inside a pkt-line (252 bytes announced, 5 sent)",
        "00                                   | request ends inside a pkt-line length",
        "0009hello                            | malformed command \"hello\"",
    })
    void malformedFramingIsABadRequestThatSaysWhy(String body, String reason) {
        BadRequest e = assertThrows(BadRequest.class, () -> PushRequest.read(new ByteArrayInputStream(bytes(body))));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void missingFlushAndMalformedIdsAreBadRequests() {
        String ok = Z + " " + A + " refs/heads/main\0report-status\n";
        assertThrows(BadRequest.class, () -> read(pkt(ok)));
        BadRequest old = assertThrows(BadRequest.class, () -> read(pkt("z".repeat(40) + " " + A + " refs/heads/x\0report-status\n") + "0000"));
        assertTrue(old.getMessage().contains("malformed old id"), old.getMessage());
        BadRequest shallow = assertThrows(BadRequest.class, () -> read(pkt("shallow 1234\n") + pkt(ok) + "0000"));
        assertTrue(shallow.getMessage().contains("malformed shallow line"), shallow.getMessage());
    }

    @Test
    void aCommandListLongerThanJGitsLimitIsRefused() {
        StringBuilder body = new StringBuilder(pkt(Z + " " + A + " refs/heads/0\0report-status\n"));
        for (int i = 1; body.length() <= PushRequest.MAX_COMMAND_BYTES; i++) {
            body.append(pkt(Z + " " + A + " refs/heads/" + i + "\n"));
        }
        assertThrows(LimitExceeded.class, () -> read(body + "0000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"refs/heads/a..b", "refs/heads/x.lock", "refs/heads/x.lock/y", "HEAD", "main",
        "refs/heads/a\u0001b", "refs/heads/a b", "refs/heads/a~1", "refs/heads/a^", "refs/heads/a:b",
        "refs/heads/a?", "refs/heads/a*", "refs/heads/a[", "refs/heads/a\\b", "refs/heads/", "refs/heads//a",
        "refs/heads/.a", "refs/heads/a.", "refs/heads/a@{1}", "refs/heads/a\u007f"})
    void funnyRefNamesAreFound(String name) throws Exception {
        PushRequest r = read(pkt(Z + " " + A + " refs/heads/ok\0report-status\n") + pkt(Z + " " + A + " " + name + "\n") + "0000");
        assertEquals(name, r.invalidRefName());
    }

    @Test
    void aRefNameLongerThan255BytesMayBeDeletedButNotCreated() throws Exception {
        String longest = "refs/heads/" + "\u00e9".repeat(122); // 255 bytes in UTF-8
        read(pkt(Z + " " + A + " " + longest + "\0report-status\n") + "0000").validate();
        String longer = longest + "x";
        LimitExceeded e = assertThrows(LimitExceeded.class,
                () -> read(pkt(Z + " " + A + " " + longer + "\0report-status\n") + "0000").validate());
        assertTrue(e.getMessage().startsWith("ref name of 256 bytes, longer than the limit of 255"), e.getMessage());
        read(pkt(A + " " + Z + " " + longer + "\0report-status\n") + "0000").validate();
    }

    @ParameterizedTest
    @ValueSource(strings = {"refs/heads/main", "refs/tags/v1.0", "refs/heads/feature/x-y_z", "refs/notes/commits",
        "refs/heads/caf\u00e9", "refs/for/main%topic"})
    void ordinaryRefNamesAreValid(String name) {
        assertTrue(PushRequest.isValidRefName(name), name);
    }

    @Test
    void unsupportedCapabilitiesAndHeaderCountsAreVisible() throws Exception {
        PushRequest r = read(pkt(Z + " " + A + " refs/heads/x\0report-status foo\n") + "0000PACK\0\0\0\2\u00ff\u00ff\u00ff\u00ff");
        assertEquals("foo", r.unsupportedCapability());
        assertEquals(0xffffffffL, r.declaredObjectCount());
        assertFalse(PushRequest.plausibleObjectCount(0xffffffffL, 1000));
        assertTrue(PushRequest.plausibleObjectCount(3, 41));
        assertEquals(-1, read(pkt(Z + " " + A + " refs/heads/x\0report-status\n") + "0000PACX\0\0\0\2\0\0\0\1").declaredObjectCount());
        assertEquals(-1, read(pkt(Z + " " + A + " refs/heads/x\0report-status\n") + "0000PAC").declaredObjectCount());
    }

    private static PushRequest read(String body) throws Exception {
        return PushRequest.read(new ByteArrayInputStream(bytes(body)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A pkt-line of a string whose chars are bytes (ISO-8859-1), or UTF-8 text where it has more. */
    private static String pkt(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return String.format("%04x", b.length + 4) + new String(b, StandardCharsets.ISO_8859_1);
    }
}
