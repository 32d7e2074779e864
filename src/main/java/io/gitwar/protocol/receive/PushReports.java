package io.gitwar.protocol.receive;

import io.gitwar.protocol.PktLineReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.SideBandOutputStream;

/**
 * Reports a push as failed in git's report-status format, for failures gitwar detects itself (a
 * refused request, a failed commit): {@code unpack <reason>} and {@code ng <ref> <reason>} for every
 * ref, nested in side-band channel 1 when the client asked for side-band, after the reason as an
 * {@code error:} message on channel 2. git prints them as {@code remote: error: <reason>},
 * {@code error: remote unpack failed: <reason>} and {@code ! [remote rejected] ... (<reason>)}.
 */
public final class PushReports {

    private PushReports() {
    }

    /** Reports every command of {@code request} as failed for {@code reason}. */
    public static void failed(OutputStream raw, PushRequest request, String reason) throws IOException {
        failed(raw, request.sideBand(), request.commands(), reason);
    }

    public static void failed(OutputStream raw, boolean sideBand, List<ReceiveCommand> commands, String reason)
            throws IOException {
        String oneLine = PktLineReader.printable(reason);
        if (sideBand) {
            SideBandOutputStream messages = new SideBandOutputStream(SideBandOutputStream.CH_PROGRESS,
                    SideBandOutputStream.MAX_BUF, raw);
            messages.write(("error: " + oneLine + "\n").getBytes(StandardCharsets.UTF_8));
            messages.flush();
        }
        OutputStream data = sideBand
                ? new SideBandOutputStream(SideBandOutputStream.CH_DATA, SideBandOutputStream.MAX_BUF, raw)
                : raw;
        PacketLineOut report = new PacketLineOut(data);
        report.writeString("unpack " + oneLine + "\n");
        for (ReceiveCommand c : commands) {
            report.writeString("ng " + PktLineReader.printable(c.getRefName()) + " " + oneLine + "\n");
        }
        report.end();
        if (sideBand) {
            data.flush();
            new PacketLineOut(raw).end();
        }
        raw.flush();
    }
}
