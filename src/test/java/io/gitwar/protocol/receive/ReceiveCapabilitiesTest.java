package io.gitwar.protocol.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ReceivePack;
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

    @ParameterizedTest
    @CsvSource({
        "report-status, true", "report-status-v2, true", "side-band-64k, true", "agent=git/2.39.5, true",
        "object-format=sha1, true", "quiet, true", "atomic, true", "delete-refs, true", "ofs-delta, true",
        "object-format=sha256, false", "push-options, false", "side-band, false", "foo-bar, false", "'', false",
    })
    void onlyOfferedCapabilitiesMayBeAskedFor(String capability, boolean offered) {
        assertEquals(offered, ReceiveCapabilities.isOffered(capability));
    }

    @Test
    void offeredIsWhatTheAdvertisementSays() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InMemoryRepository repo = new InMemoryRepository(
                new DfsRepositoryDescription("t"))) {
            new ReceivePack(repo).sendAdvertisedRefs(
                    new ReceiveCapabilities(new PacketLineOut(out)));
        }
        String adv = out.toString(StandardCharsets.ISO_8859_1);
        String caps = adv.substring(adv.indexOf('\0') + 1, adv.indexOf('\n')).strip();
        Set<String> names = new TreeSet<>();
        for (String c : caps.split(" ")) {
            names.add(c.contains("=") ? c.substring(0, c.indexOf('=')) : c);
            assertTrue(ReceiveCapabilities.isOffered(c), c + " in " + caps);
        }
        assertEquals(new TreeSet<>(ReceiveCapabilities.OFFERED), names);
    }

    private static String pkt(String s) {
        return String.format("%04x", s.getBytes(StandardCharsets.UTF_8).length + 4) + s;
    }
}
