package io.gitwar.service;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser;

/**
 * The receive-pack capabilities gitwar offers beyond JGit's: {@code report-status-v2} and
 * {@code object-format=sha1}, as git's own receive-pack does.
 *
 * <p>JGit's engine speaks only {@code report-status}, and git, offered v2, asks for v2 alone. A v1
 * report is also a valid v2 report (v2 only adds optional {@code option} lines for refs a hook
 * rewrote, which gitwar never does), so the request's capability is translated back to
 * {@code report-status} before JGit reads it.
 */
final class ReceiveCapabilities extends RefAdvertiser.PacketLineOutRefAdvertiser {

    static final String REPORT_STATUS = "report-status";
    static final String REPORT_STATUS_V2 = "report-status-v2";

    ReceiveCapabilities(PacketLineOut out) {
        super(out);
    }

    @Override
    public void init(Repository repository) {
        super.init(repository);
        advertiseCapability(REPORT_STATUS_V2);
        advertiseCapability("object-format", "sha1");
    }

    /**
     * The request with {@code report-status-v2} in its first command's capabilities replaced by
     * {@code report-status}. Anything it cannot parse passes through unchanged for JGit to reject.
     */
    static InputStream translateRequest(InputStream in) throws IOException {
        ByteArrayOutputStream consumed = new ByteArrayOutputStream();
        while (true) {
            byte[] header = in.readNBytes(4);
            int length = pktLength(header);
            if (length <= 4) {
                consumed.write(header); // flush, empty, garbage or end: nothing to translate
                break;
            }
            byte[] payload = in.readNBytes(length - 4);
            if (payload.length < length - 4) {
                consumed.write(header);
                consumed.write(payload);
                break;
            }
            String line = new String(payload, StandardCharsets.UTF_8);
            if (line.startsWith("shallow ")) {
                consumed.write(header);
                consumed.write(payload);
                continue;
            }
            writePkt(consumed, translateCapabilities(line));
            break;
        }
        return new SequenceInputStream(new ByteArrayInputStream(consumed.toByteArray()), in);
    }

    static String translateCapabilities(String firstLine) {
        int nul = firstLine.indexOf('\0');
        if (nul < 0) {
            return firstLine;
        }
        String caps = firstLine.substring(nul + 1);
        boolean newline = caps.endsWith("\n");
        List<String> tokens = new ArrayList<>(Arrays.asList(caps.strip().split(" ")));
        if (!tokens.remove(REPORT_STATUS_V2)) {
            return firstLine;
        }
        if (!tokens.contains(REPORT_STATUS)) {
            tokens.add(0, REPORT_STATUS);
        }
        return firstLine.substring(0, nul + 1) + String.join(" ", tokens) + (newline ? "\n" : "");
    }

    private static int pktLength(byte[] header) {
        if (header.length < 4) {
            return -1;
        }
        int n = 0;
        for (byte b : header) {
            int d = Character.digit(b, 16);
            if (d < 0) {
                return -1;
            }
            n = n * 16 + d;
        }
        return n;
    }

    private static void writePkt(ByteArrayOutputStream out, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(String.format("%04x", bytes.length + 4).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
    }
}
