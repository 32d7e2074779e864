package io.gitwar.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReceiveCapabilitiesTest {

    private static final String CMD = "0000000000000000000000000000000000000000 "
            + "1111111111111111111111111111111111111111 refs/heads/main";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "report-status-v2 side-band-64k quiet object-format=sha1 agent=git/2.39.5 | report-status side-band-64k quiet object-format=sha1 agent=git/2.39.5",
        "report-status side-band-64k | report-status side-band-64k",
        "side-band-64k report-status report-status-v2 | side-band-64k report-status",
    })
    void reportStatusV2BecomesReportStatus(String given, String expected) {
        assertEquals(CMD + "\0" + expected + "\n", ReceiveCapabilities.translateCapabilities(CMD + "\0" + given + "\n"));
    }

    @Test
    void rewritesOnlyTheFirstCommandAndRecomputesItsLength() throws Exception {
        String first = CMD + "\0report-status-v2 side-band-64k\n";
        String second = "1111111111111111111111111111111111111111 2222222222222222222222222222222222222222 refs/heads/x\n";
        String body = pkt("shallow " + "3".repeat(40)) + pkt(first) + pkt(second) + "0000PACKrest";
        String out = new String(ReceiveCapabilities.translateRequest(
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))).readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(pkt("shallow " + "3".repeat(40)) + pkt(CMD + "\0report-status side-band-64k\n") + pkt(second)
                + "0000PACKrest", out);
    }

    @Test
    void passesAnythingElseThroughUnchanged() throws Exception {
        for (String body : new String[] {"0000", "", "zzzzjunk", "00", "0005"}) {
            String out = new String(ReceiveCapabilities.translateRequest(
                    new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))).readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(body, out);
        }
    }

    private static String pkt(String s) {
        return String.format("%04x", s.getBytes(StandardCharsets.UTF_8).length + 4) + s;
    }
}
