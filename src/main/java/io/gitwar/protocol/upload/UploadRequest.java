package io.gitwar.protocol.upload;

import io.gitwar.failure.BadRequest;
import io.gitwar.failure.LimitExceeded;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.PacketLineIn;
import org.eclipse.jgit.transport.PacketLineOut;

/**
 * One upload-pack request, read whole and validated before JGit's engine sees it; the engine then
 * reads exactly the same bytes, or the request rewritten for {@code deepen-relative}.
 *
 * <p>Read whole because it is small and bounded ({@link Bounds}), so that the repository is read
 * only once the request is known to be sound: protocol v0/v1 the wants section, its flush-pkt and
 * the {@code have} lines up to {@code done} or the next flush-pkt (or nothing: the first round of a
 * shallow fetch); v2 one command ({@code fetch} or {@code ls-refs}), its capabilities and arguments.
 * Every line is checked ({@link RequestArguments}): ids, {@code deepen} values (git's own limit, a
 * positive int), filter specs, which lines may appear where, and nothing after the end. Refusals are
 * {@link BadRequest} or {@link LimitExceeded}, with a message fit for git's {@code remote error:}.
 *
 * <p>Two things of JGit's engine need the request too. It rejects {@code deepen-relative} (what
 * {@code git fetch --deepen} sends), so the request is rewritten into an absolute {@code deepen}
 * that reaches as deep (see {@link RelativeDepth}). And a JGit bug needs to know whether a v0
 * request asked for {@code deepen-since}/{@code deepen-not} (see gitwar's upload-pack exchange).
 *
 * <p>Holds the request's bytes, its wants and the client's shallow commits (all bounded); only
 * counts its haves. Immutable.
 */
public final class UploadRequest {

    /**
     * What one request may hold: decoded bytes; {@code want} lines; {@code have} lines (also
     * {@code shallow}). Its {@code ref-prefix} and {@code deepen-not} lines are bounded by git's own
     * number, {@value RequestArguments#MAX_REF_LINES}.
     */
    public record Bounds(long maxBytes, int maxWants, int maxHaves) {
    }

    private static final String DEEPEN_RELATIVE = RequestArguments.DEEPEN_RELATIVE;

    private final boolean v2;
    private final byte[] raw;
    private final RequestArguments arguments;

    private UploadRequest(boolean v2, byte[] raw, RequestArguments arguments) {
        this.v2 = v2;
        this.raw = raw;
        this.arguments = arguments;
    }

    /**
     * Reads and checks the whole request in {@code body} (decoded), up to its end.
     *
     * @throws BadRequest if it is malformed or asks for something no Git server serves
     * @throws LimitExceeded if it is larger than {@code bounds} allow
     */
    public static UploadRequest read(InputStream body, boolean v2, Bounds bounds) throws IOException {
        RequestLines lines = new RequestLines(body, bounds.maxBytes());
        RequestArguments arguments = new RequestArguments(bounds);
        if (v2) {
            readV2(lines, arguments);
        } else {
            readV0(lines, arguments);
        }
        lines.expectEnd();
        return new UploadRequest(v2, lines.bytes(), arguments);
    }

    /** Wants, shallows, deepen and filter lines up to a flush-pkt; then haves up to done or a flush-pkt. */
    private static void readV0(RequestLines lines, RequestArguments arguments) throws IOException {
        String line = lines.next();
        if (line == null) {
            throw new BadRequest("empty request: expected want lines and a flush-pkt (0000)");
        }
        while (!PacketLineIn.isEnd(line)) {
            if (line == null) {
                throw new BadRequest("request ends before the flush-pkt (0000) after the wants");
            }
            arguments.wantsSectionV0(line);
            line = lines.next();
        }
        if (arguments.wants().isEmpty()) {
            return; // nothing wanted (git's "0000"): JGit answers nothing and reads no further
        }
        line = lines.next();
        if (line == null) {
            return; // the first round of a shallow fetch: the wants alone
        }
        while (!PacketLineIn.isEnd(line) && !line.equals("done")) {
            arguments.haveV0(line);
            line = lines.next();
            if (line == null) {
                throw new BadRequest("request ends before done or a flush-pkt (0000) after the haves");
            }
        }
    }

    /** {@code command=...}, capabilities, optionally a delim-pkt and arguments; a flush-pkt. */
    private static void readV2(RequestLines lines, RequestArguments arguments) throws IOException {
        String line = lines.next();
        if (line == null) {
            throw new BadRequest("empty request: expected a command");
        }
        if (PacketLineIn.isEnd(line)) {
            return; // no command: JGit answers nothing
        }
        arguments.commandV2(line);
        line = lines.next();
        while (line != null && !PacketLineIn.isEnd(line) && !PacketLineIn.isDelimiter(line)) {
            arguments.capabilityV2(line);
            line = lines.next();
        }
        if (line == null) {
            throw new BadRequest("request ends before its flush-pkt (0000)");
        }
        if (PacketLineIn.isEnd(line)) {
            return;
        }
        for (line = lines.next(); !PacketLineIn.isEnd(line); line = lines.next()) {
            if (line == null) {
                throw new BadRequest("request ends before the flush-pkt (0000) after the arguments");
            }
            arguments.argumentV2(line);
        }
    }

    /** Whether a v0/v1 request asks for {@code deepen-since} or {@code deepen-not}. */
    public boolean deepenSinceOrNot() {
        return arguments.deepenSinceOrNot();
    }

    /** Whether the request asks to deepen relative to the client's shallow commits. */
    public boolean deepenRelative() {
        return arguments.deepenRelative();
    }

    /** The {@code deepen <n>} value; 0 without one. */
    public int depth() {
        return arguments.depth();
    }

    public List<ObjectId> wants() {
        return arguments.wants();
    }

    public Set<ObjectId> clientShallows() {
        return new LinkedHashSet<>(arguments.shallows());
    }

    /** How many {@code have} lines the request holds. */
    public int haveCount() {
        return arguments.haves();
    }

    /** The whole request, byte for byte as received. */
    public InputStream unchanged() {
        return new ByteArrayInputStream(raw);
    }

    /**
     * The whole request with {@code deepen-relative} dropped and {@code deepen <n>} replaced by
     * {@code deepen <absoluteDepth>}.
     */
    public InputStream withAbsoluteDepth(int absoluteDepth) throws IOException {
        ByteArrayOutputStream rewritten = new ByteArrayOutputStream(raw.length + 16);
        PacketLineOut out = new PacketLineOut(rewritten);
        PacketLineIn in = new PacketLineIn(new ByteArrayInputStream(raw));
        boolean firstWant = true;
        while (true) {
            String line;
            try {
                line = in.readString();
            } catch (EOFException end) {
                break; // the request was checked when read: it ends between two lines
            }
            if (PacketLineIn.isEnd(line)) {
                out.end();
            } else if (PacketLineIn.isDelimiter(line)) {
                out.writeDelim();
            } else if (line.equals(DEEPEN_RELATIVE)) {
                continue; // v2 argument
            } else if (line.startsWith("deepen ")) {
                out.writeString("deepen " + absoluteDepth + "\n");
            } else if (!v2 && firstWant && line.startsWith("want ")) {
                firstWant = false;
                out.writeString(Arrays.stream(line.split(" ")).filter(t -> !t.equals(DEEPEN_RELATIVE))
                        .collect(Collectors.joining(" ")) + "\n");
            } else {
                out.writeString(line + "\n");
            }
        }
        return new ByteArrayInputStream(rewritten.toByteArray());
    }
}
