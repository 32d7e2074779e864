package io.gitwar.protocol.upload;

import io.gitwar.failure.LimitExceeded;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jgit.errors.InvalidObjectIdException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.PacketLineIn;
import org.eclipse.jgit.transport.PacketLineOut;

/**
 * The part of an upload-pack request that says what is wanted and how deep (v0/v1: the wants
 * section, up to the first flush; v2: a {@code fetch} command's arguments), read before JGit's
 * engine sees the request, which then gets exactly the same bytes, or the section rewritten for
 * {@code deepen-relative}.
 *
 * <p>Two things need it. JGit rejects {@code deepen-relative} (what {@code git fetch --deepen} sends,
 * and in v2 may send whenever the server supports {@code shallow}), so the request is rewritten into
 * an absolute {@code deepen} that reaches as deep (see {@link RelativeDepth}). And a JGit bug needs
 * to know whether a v0 request asked for {@code deepen-since}/{@code deepen-not} (see
 * gitwar's upload-pack exchange).
 *
 * <p>Holds the section in memory while it is read, as JGit does with the wants and haves in it;
 * at most {@link #MAX_SECTION} bytes. Single use.
 */
public final class UploadRequest {

    /** Far above a real request (a want or have line is 50 bytes: 300 000 of them). */
    public static final long MAX_SECTION = 16L << 20;

    private static final String DEEPEN_RELATIVE = "deepen-relative";

    private final boolean v2;
    private final InputStream rest;
    private final byte[] raw;
    /** The section as pkt-line strings; {@link PacketLineIn#isEnd}/{@link PacketLineIn#isDelimiter} markers. */
    private final List<String> lines;
    private final boolean complete;

    private UploadRequest(boolean v2, InputStream rest, byte[] raw, List<String> lines, boolean complete) {
        this.v2 = v2;
        this.rest = rest;
        this.raw = raw;
        this.lines = lines;
        this.complete = complete;
    }

    /**
     * Reads the section of {@code body}. A request it cannot parse is passed on as it is, for the
     * engine to reject.
     *
     * @throws LimitExceeded if the section is larger than {@link #MAX_SECTION}
     */
    public static UploadRequest read(InputStream body, boolean v2) throws IOException {
        Tee tee = new Tee(body);
        PacketLineIn in = new PacketLineIn(tee);
        List<String> lines = new ArrayList<>();
        boolean complete = false;
        try {
            while (true) {
                String line = in.readString();
                lines.add(line);
                if (PacketLineIn.isEnd(line)) {
                    complete = true;
                    break;
                }
            }
        } catch (EOFException e) {
            complete = false; // a section ends with a flush: pass it on for JGit to answer
        } catch (IOException e) {
            if (tee.over) {
                throw new LimitExceeded("upload-pack request larger than " + (MAX_SECTION >> 20) + " MiB before its end");
            }
            complete = false; // not pkt-lines: JGit answers that
        }
        return new UploadRequest(v2, body, tee.copy.toByteArray(), lines, complete);
    }

    private static boolean isFetch(List<String> lines) {
        return !lines.isEmpty() && lines.get(0).equals("command=fetch");
    }

    /** The lines of the wants or arguments: v0 the whole section, v2 what follows the delimiter. */
    private List<String> arguments() {
        if (!complete) {
            return List.of();
        }
        if (!v2) {
            return lines;
        }
        if (!isFetch(lines)) {
            return List.of();
        }
        for (int i = 0; i < lines.size(); i++) {
            if (PacketLineIn.isDelimiter(lines.get(i))) {
                return lines.subList(i + 1, lines.size());
            }
        }
        return List.of();
    }

    /** Whether a v0/v1 request asks for {@code deepen-since} or {@code deepen-not}. */
    public boolean deepenSinceOrNot() {
        return arguments().stream().anyMatch(l -> l.startsWith("deepen-since ") || l.startsWith("deepen-not "));
    }

    /** Whether the request asks to deepen relative to the client's shallow commits. */
    public boolean deepenRelative() {
        List<String> args = arguments();
        if (v2) {
            return args.contains(DEEPEN_RELATIVE);
        }
        return !args.isEmpty() && args.get(0).startsWith("want ")
                && Arrays.asList(args.get(0).split(" ")).contains(DEEPEN_RELATIVE);
    }

    /** The {@code deepen <n>} value; 0 without one. */
    public int depth() {
        for (String l : arguments()) {
            if (l.startsWith("deepen ")) {
                try {
                    return Integer.parseInt(l.substring("deepen ".length()).trim());
                } catch (NumberFormatException e) {
                    return 0; // JGit rejects it
                }
            }
        }
        return 0;
    }

    public List<ObjectId> wants() {
        return ids("want ");
    }

    public Set<ObjectId> clientShallows() {
        return new LinkedHashSet<>(ids("shallow "));
    }

    private List<ObjectId> ids(String prefix) {
        List<ObjectId> ids = new ArrayList<>();
        for (String l : arguments()) {
            if (l.startsWith(prefix) && l.length() >= prefix.length() + 40) {
                try {
                    ids.add(ObjectId.fromString(l.substring(prefix.length(), prefix.length() + 40)));
                } catch (InvalidObjectIdException e) {
                    // JGit rejects it
                }
            }
        }
        return ids;
    }

    /** The whole request, byte for byte as received. */
    public InputStream unchanged() {
        return new SequenceInputStream(new ByteArrayInputStream(raw), rest);
    }

    /**
     * The whole request with {@code deepen-relative} dropped and {@code deepen <n>} replaced by
     * {@code deepen <absoluteDepth>}.
     */
    public InputStream withAbsoluteDepth(int absoluteDepth) throws IOException {
        ByteArrayOutputStream section = new ByteArrayOutputStream(raw.length + 16);
        PacketLineOut out = new PacketLineOut(section);
        boolean firstWant = true;
        for (String line : lines) {
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
        return new SequenceInputStream(new ByteArrayInputStream(section.toByteArray()), rest);
    }

    /** Keeps a copy of what is read, up to {@link #MAX_SECTION}. */
    private static final class Tee extends FilterInputStream {
        final ByteArrayOutputStream copy = new ByteArrayOutputStream();
        boolean over;

        Tee(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                keep(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                keep(b, off, n);
            }
            return n;
        }

        private void keep(byte[] b, int off, int n) throws IOException {
            if (copy.size() + (long) n > MAX_SECTION) {
                over = true;
                throw new IOException("request section over the limit");
            }
            copy.write(b, off, n);
        }
    }
}
