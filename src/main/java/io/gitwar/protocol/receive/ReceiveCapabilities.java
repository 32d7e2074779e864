package io.gitwar.protocol.receive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
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
 * {@code report-status} before JGit reads it ({@link PushRequest} does that).
 */
public final class ReceiveCapabilities extends RefAdvertiser.PacketLineOutRefAdvertiser {

    static final String REPORT_STATUS = "report-status";
    static final String REPORT_STATUS_V2 = "report-status-v2";

    /** What gitwar's receive-pack advertisement offers (names; agent and object-format carry values). */
    static final Set<String> OFFERED = Set.of(REPORT_STATUS, REPORT_STATUS_V2, "delete-refs", "side-band-64k",
            "quiet", "atomic", "ofs-delta", "agent", "object-format");

    public ReceiveCapabilities(PacketLineOut out) {
        super(out);
    }

    @Override
    public void init(Repository repository) {
        super.init(repository);
        advertiseCapability(REPORT_STATUS_V2);
        advertiseCapability("object-format", "sha1");
    }

    /**
     * Whether a capability a client asked for ({@code name} or {@code name=value}) is one this
     * advertisement offers: JGit's receive-pack capabilities plus gitwar's two. A client must not ask
     * for others (gitprotocol-capabilities).
     */
    static boolean isOffered(String capability) {
        int eq = capability.indexOf('=');
        String name = eq < 0 ? capability : capability.substring(0, eq);
        if (name.equals("object-format")) {
            return capability.equals("object-format=sha1");
        }
        return OFFERED.contains(name);
    }

    /** Translates {@code report-status-v2} to {@code report-status} in a first command line. */
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
}
