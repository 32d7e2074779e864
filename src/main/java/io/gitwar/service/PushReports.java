package io.gitwar.service;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.SideBandOutputStream;

/**
 * Reports a push as failed in git's report-status format, for failures that happen after JGit wrote
 * its own report (the commit of the transaction): {@code unpack <reason>} and {@code ng <ref> <reason>}
 * for every ref, nested in side-band channel 1 when the client asked for side-band. git prints them
 * as {@code ! [remote rejected] ... (<reason>)}.
 */
final class PushReports {

    private PushReports() {
    }

    static void failed(OutputStream raw, boolean sideBand, List<ReceiveCommand> commands, String reason)
            throws IOException {
        String oneLine = reason.replace('\n', ' ');
        OutputStream data = sideBand
                ? new SideBandOutputStream(SideBandOutputStream.CH_DATA, SideBandOutputStream.MAX_BUF, raw)
                : raw;
        PacketLineOut report = new PacketLineOut(data);
        report.writeString("unpack " + oneLine + "\n");
        for (ReceiveCommand c : commands) {
            report.writeString("ng " + c.getRefName() + " " + oneLine + "\n");
        }
        report.end();
        if (sideBand) {
            data.flush();
            new PacketLineOut(raw).end();
        }
        raw.flush();
    }
}
