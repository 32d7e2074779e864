package io.gitwar.protocol.upload;

import io.gitwar.failure.BadRequest;
import io.gitwar.failure.LimitExceeded;
import io.gitwar.protocol.PktLineReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.PackProtocolException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.FilterSpec;
import org.eclipse.jgit.transport.PacketLineIn;

/**
 * The lines of one upload-pack request, checked one by one as {@link UploadRequest} reads them
 * (gitprotocol-pack for v0/v1, gitprotocol-v2), and what gitwar needs of them. Checks what JGit's
 * parsers would otherwise fail on with a server fault (an id that is not hex, a {@code deepen} that
 * is no int) or accept without bound (haves, wants), and says what was expected and what came.
 * Single use.
 */
final class RequestArguments {

    static final String DEEPEN_RELATIVE = "deepen-relative";
    /** The largest {@code deepen} git's upload-pack takes ("a positive int"), and JGit's deepen-since. */
    private static final long MAX_INT = Integer.MAX_VALUE;
    private static final Pattern ID = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,10}");
    /**
     * The most {@code ref-prefix} and {@code deepen-not} lines a request may hold: git's own bound on
     * ref prefixes (ls-refs.c, TOO_MANY_PREFIXES); git sends about six prefixes per refspec, one
     * deepen-not per {@code --shallow-exclude}.
     */
    static final int MAX_REF_LINES = 65_536;
    /** How much of a client's line a message quotes. */
    private static final int QUOTED = 80;
    /** v2 fetch arguments without a value, as JGit's engine takes them. */
    private static final Set<String> FETCH_FLAGS =
            Set.of("done", "thin-pack", "no-progress", "include-tag", "ofs-delta", "wait-for-done");

    private final UploadRequest.Bounds bounds;
    private final List<ObjectId> wants = new ArrayList<>();
    private final Set<ObjectId> shallows = new LinkedHashSet<>();
    private int shallowLines;
    private int haves;
    /** deepen-not and ref-prefix lines: they name refs. */
    private int refLines;
    private int depth;
    private boolean deepenRelative;
    private boolean deepenSinceOrNot;
    private boolean filter;
    private String command;

    RequestArguments(UploadRequest.Bounds bounds) {
        this.bounds = bounds;
    }

    /** A line of a v0 request before its first flush-pkt. */
    void wantsSectionV0(String line) {
        if (PacketLineIn.isDelimiter(line)) {
            throw new BadRequest("delim-pkt (0001) in a protocol v0 request");
        }
        if (line.startsWith("want ")) {
            String rest = line.substring("want ".length());
            // capabilities only on the first want: "want <id> multi_ack_detailed side-band-64k ..."
            if (wants.isEmpty() && rest.length() > 40 && rest.charAt(40) == ' ') {
                for (String capability : rest.substring(41).split(" ")) {
                    deepenRelative |= capability.equals(DEEPEN_RELATIVE);
                }
                rest = rest.substring(0, 40);
            }
            want(id(rest, line));
        } else if (!shallowOrDeepen(line)) {
            throw new BadRequest("expected want, shallow, deepen, deepen-since, deepen-not or filter before the"
                    + " flush-pkt (0000), got \"" + quote(line) + "\"");
        }
    }

    /** A line of a v0 request after its first flush-pkt, except {@code done} and a flush-pkt. */
    void haveV0(String line) {
        if (!line.startsWith("have ")) {
            throw new BadRequest("expected have, done or a flush-pkt (0000) after the wants, got \""
                    + quote(line) + "\"");
        }
        have(line);
    }

    /** The first line of a v2 request. */
    void commandV2(String line) {
        if (!line.startsWith("command=")) {
            throw new BadRequest("expected command=fetch or command=ls-refs, got \"" + quote(line) + "\"");
        }
        command = line.substring("command=".length());
        if (!command.equals("fetch") && !command.equals("ls-refs")) {
            throw new BadRequest("unknown command \"" + quote(command) + "\": this server offers fetch and ls-refs");
        }
    }

    /** A capability line of a v2 request; those JGit does not know it ignores, and so does gitwar. */
    void capabilityV2(String line) {
        if (line.startsWith("object-format=") && !line.equals("object-format=sha1")) {
            throw new BadRequest("unsupported " + quote(line) + ": this server stores sha1 objects only");
        }
    }

    /** An argument line of a v2 request (after its delim-pkt). */
    void argumentV2(String line) {
        if (PacketLineIn.isDelimiter(line)) {
            throw new BadRequest("a second delim-pkt (0001) in a request");
        }
        if (command.equals("ls-refs")) {
            if (line.startsWith("ref-prefix ") && line.length() > "ref-prefix ".length()) {
                refLine("ref-prefix");
            } else if (!line.equals("peel") && !line.equals("symrefs")) {
                throw new BadRequest("unexpected \"" + quote(line) + "\" in an ls-refs request");
            }
        } else if (line.startsWith("want ")) {
            want(id(line.substring("want ".length()), line));
        } else if (line.startsWith("have ")) {
            have(line);
        } else if (line.equals(DEEPEN_RELATIVE)) {
            deepenRelative = true;
        } else if (!FETCH_FLAGS.contains(line) && !shallowOrDeepen(line)) {
            throw new BadRequest("unexpected \"" + quote(line) + "\" in a fetch request");
        }
    }

    /** The arguments v0 and v2 share: shallow, deepen, deepen-since, deepen-not, filter. */
    private boolean shallowOrDeepen(String line) {
        if (line.startsWith("shallow ")) {
            ObjectId id = id(line.substring("shallow ".length()), line);
            if (++shallowLines > bounds.maxHaves()) {
                throw new LimitExceeded("more than " + bounds.maxHaves()
                        + " shallow lines in one request, the limit of this server");
            }
            shallows.add(id);
        } else if (line.startsWith("deepen ")) {
            depth = positiveInt(line.substring("deepen ".length()), "deepen", "a number of commits");
        } else if (line.startsWith("deepen-since ")) {
            positiveInt(line.substring("deepen-since ".length()), "deepen-since", "seconds since 1970");
            deepenSinceOrNot = true;
        } else if (line.startsWith("deepen-not ") && line.length() > "deepen-not ".length()) {
            refLine("deepen-not");
            deepenSinceOrNot = true;
        } else if (line.startsWith("filter ")) {
            filter(line.substring("filter ".length()));
        } else {
            return false;
        }
        return true;
    }

    private void want(ObjectId id) {
        if (wants.size() >= bounds.maxWants()) {
            throw new LimitExceeded("more than " + bounds.maxWants() + " wants in one request, the limit of this server");
        }
        wants.add(id);
    }

    private void have(String line) {
        id(line.substring("have ".length()), line);
        if (++haves > bounds.maxHaves()) {
            throw new LimitExceeded("more than " + bounds.maxHaves() + " haves in one request, the limit of this server");
        }
    }

    private void refLine(String what) {
        if (++refLines > MAX_REF_LINES) {
            throw new LimitExceeded("more than " + MAX_REF_LINES + " " + what
                    + " lines in one request, the limit of this server");
        }
    }

    /** One filter, as JGit's engine serves them (blob:none, blob:limit=n, tree:n). */
    private void filter(String spec) {
        if (filter) {
            throw new BadRequest("more than one filter line in a request");
        }
        filter = true;
        try {
            FilterSpec.fromFilterLine(spec);
        } catch (PackProtocolException e) {
            throw new BadRequest("invalid filter \"" + quote(spec)
                    + "\": this server filters by blob:none, blob:limit=<bytes> and tree:<depth>");
        }
    }

    private static ObjectId id(String hex, String line) {
        if (!ID.matcher(hex).matches()) {
            throw new BadRequest("invalid object id in \"" + quote(line) + "\": expected 40 hex digits");
        }
        return ObjectId.fromString(hex);
    }

    /** git's limit for {@code deepen}: {@code 1 .. 2^31-1}; JGit parses {@code deepen-since} as an int too. */
    private static int positiveInt(String value, String what, String unit) {
        if (!NUMBER.matcher(value).matches() || Long.parseLong(value) < 1 || Long.parseLong(value) > MAX_INT) {
            throw new BadRequest("invalid " + what + " \"" + quote(value) + "\": expected " + unit
                    + " from 1 to " + MAX_INT);
        }
        return Integer.parseInt(value);
    }

    private static String quote(String clientText) {
        String printable = PktLineReader.printable(clientText);
        return printable.length() <= QUOTED ? printable : printable.substring(0, QUOTED) + "...";
    }

    List<ObjectId> wants() {
        return wants;
    }

    Set<ObjectId> shallows() {
        return shallows;
    }

    int haves() {
        return haves;
    }

    int depth() {
        return depth;
    }

    boolean deepenRelative() {
        return deepenRelative;
    }

    boolean deepenSinceOrNot() {
        return deepenSinceOrNot;
    }
}
