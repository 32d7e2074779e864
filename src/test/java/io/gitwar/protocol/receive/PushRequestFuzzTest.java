package io.gitwar.protocol.receive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gitwar.failure.BadRequest;
import io.gitwar.failure.GitwarException;
import io.gitwar.failure.LimitExceeded;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jgit.transport.PacketLineIn;

/**
 * Fuzzes the pkt-line front of the push handler ({@link PushRequest}, which also does the
 * report-status-v2 translation) and the report it answers refusals with. Properties: only named
 * failures ({@link GitwarException}) escape; what JGit reads is the request byte for byte except the
 * one translated capability and the case of the pkt-line lengths (git accepts {@code 00A4} too); every report is well-formed pkt-lines however odd the ref names were.
 * Seeds and findings: src/test/resources/io/gitwar/service/PushRequestFuzzTestInputs/.
 */
class PushRequestFuzzTest {

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"0000", "report-status", "report-status-v2", "side-band-64k", "\\x00", "shallow ",
        "0000000000000000000000000000000000000000", "refs/heads/", "PACK", ".lock", "..", "\\x0a"})
    void frontAcceptsOrRefusesByName(byte[] body) throws Exception {
        PushRequest request;
        try {
            request = PushRequest.read(new ByteArrayInputStream(body));
        } catch (GitwarException refused) {
            return; // BadRequest or LimitExceeded: the names the HTTP layer renders
        }
        request.invalidRefName();
        request.unsupportedCapability();
        request.needsPack();
        long count = request.declaredObjectCount();
        assertTrue(count >= -1 && count <= 0xffffffffL);

        byte[] forJGit = request.forJGit().readAllBytes();
        String original = new String(body, StandardCharsets.ISO_8859_1);
        if (!original.contains(ReceiveCapabilities.REPORT_STATUS_V2)) {
            assertArrayEquals(lowerCaseLengths(body), forJGit, "passes through unchanged (lengths in lower-case hex)");
        } else {
            assertEquals(body.length - request.commandBytes(),
                    forJGit.length - translatedLength(forJGit), "the pack follows untouched");
        }

        if (!request.commands().isEmpty()) {
            ByteArrayOutputStream report = new ByteArrayOutputStream();
            PushReports.failed(report, false, request.commands(), "refused");
            PacketLineIn in = new PacketLineIn(new ByteArrayInputStream(report.toByteArray()));
            assertTrue(in.readString().startsWith("unpack "));
            for (int i = 0; i < request.commands().size(); i++) {
                String line = in.readString();
                assertTrue(line.startsWith("ng ") && line.endsWith(" refused") && !line.contains("\n"), line);
            }
            assertTrue(PacketLineIn.isEnd(in.readString()));
        }
    }

    /** {@code body} with the lengths of its command list's pkt-lines in lower case, as the front re-writes them. */
    private static byte[] lowerCaseLengths(byte[] body) {
        byte[] copy = body.clone();
        int pos = 0;
        while (pos + 4 <= copy.length) {
            String head = new String(copy, pos, 4, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
            System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, copy, pos, 4);
            int len = Integer.parseInt(head, 16);
            if (len == 0) {
                break;
            }
            pos += len;
        }
        return copy;
    }

    /** Length of the command list in what JGit reads (up to and including its flush-pkt). */
    private static int translatedLength(byte[] forJGit) {
        int pos = 0;
        while (true) {
            int len = Integer.parseInt(new String(forJGit, pos, 4, StandardCharsets.US_ASCII), 16);
            pos += len == 0 ? 4 : len;
            if (len == 0) {
                return pos;
            }
        }
    }
}
