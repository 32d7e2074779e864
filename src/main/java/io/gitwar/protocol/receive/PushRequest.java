package io.gitwar.protocol.receive;

import io.gitwar.failure.BadRequest;
import io.gitwar.failure.LimitExceeded;
import io.gitwar.protocol.PktLineReader;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * The front of a push: the command list of a receive-pack request, read strictly before JGit sees
 * the request, so that malformed input is refused with a precise reason and limits are checked
 * before the repository is locked or anything is written.
 *
 * <p>Reads {@code [shallow <id>]* <old> <new> <ref>\0<capabilities> [<old> <new> <ref>]* 0000} and
 * then, if any command is not a delete, the first 12 bytes of the pack (its header). What JGit
 * reads ({@link #forJGit()}) is the request byte for byte, except that {@code report-status-v2}
 * is translated to {@code report-status} (see {@link ReceiveCapabilities}). The pack itself is
 * left to JGit. Decoding ends in validation ({@link #validate()}): only capabilities gitwar
 * offered, only ref names git would accept. Not thread-safe; one per request.
 */
public final class PushRequest {

    /** JGit's receive.maxCommandBytes default: the command list may be at most this long. */
    public static final int MAX_COMMAND_BYTES = 3 << 20;

    /**
     * The longest ref name a push may create, in UTF-8 bytes. git sets none, but its files backend
     * cannot store a last component longer (Linux's NAME_MAX), real names are far shorter (branch
     * names of tools such as Renovate: about 60 bytes), and every name is held and listed with each
     * ref advertisement: the refs a repository may have are counted with names at most this long.
     */
    public static final int MAX_REF_NAME_BYTES = 255;

    private static final int ID_LENGTH = 40;
    private static final int PACK_HEADER_LENGTH = 12;
    /**
     * The fewest bytes an object can take in a pack: a one-byte type/size header and a two-byte
     * zlib header. A count above (pack bytes / this) cannot be true.
     */
    private static final int MIN_OBJECT_BYTES = 3;
    /** Header (12) and trailing SHA-1 (20). */
    private static final int PACK_OVERHEAD = 32;

    private final List<ReceiveCommand> commands;
    private final List<String> capabilities;
    private final byte[] translatedCommands;
    private final long commandBytes;
    /** The request after the command list; marks and resets to look at the pack header. */
    private final BufferedInputStream rest;
    private byte[] packHeader;

    private PushRequest(List<ReceiveCommand> commands, List<String> capabilities, byte[] translatedCommands,
            long commandBytes, BufferedInputStream rest) {
        this.commands = commands;
        this.capabilities = capabilities;
        this.translatedCommands = translatedCommands;
        this.commandBytes = commandBytes;
        this.rest = rest;
    }

    /**
     * Reads the command list of {@code in}; {@code in} stays positioned at the pack.
     *
     * @throws BadRequest if the command list is not well-formed (framing, ids, missing flush)
     * @throws LimitExceeded if it is longer than {@value #MAX_COMMAND_BYTES} bytes
     */
    public static PushRequest read(InputStream in) throws IOException {
        PktLineReader pkts = new PktLineReader(in, MAX_COMMAND_BYTES);
        ByteArrayOutputStream forJGit = new ByteArrayOutputStream();
        List<ReceiveCommand> commands = new ArrayList<>();
        List<String> capabilities = List.of();
        byte[] payload;
        while ((payload = pkts.next()) != null) {
            if (commands.isEmpty() && startsWith(payload, "shallow ")) {
                String id = line(payload, "shallow ".length(), payload.length);
                requireId(id, "shallow line");
                writePkt(forJGit, payload);
                continue;
            }
            int nul = commands.isEmpty() ? indexOf(payload, (byte) 0) : -1;
            int end = nul >= 0 ? nul : payload.length;
            commands.add(command(line(payload, 0, end)));
            if (nul >= 0) {
                String caps = line(payload, nul + 1, payload.length).strip();
                capabilities = caps.isEmpty() ? List.of() : Arrays.asList(caps.split(" +"));
                String translated = ReceiveCapabilities.translateCapabilities(
                        new String(payload, StandardCharsets.ISO_8859_1));
                writePkt(forJGit, translated.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                writePkt(forJGit, payload);
            }
        }
        forJGit.writeBytes("0000".getBytes(StandardCharsets.US_ASCII));
        return new PushRequest(List.copyOf(commands), List.copyOf(capabilities), forJGit.toByteArray(),
                pkts.consumed(), new BufferedInputStream(in, PACK_HEADER_LENGTH));
    }

    /** The commands, in request order, none executed. */
    public List<ReceiveCommand> commands() {
        return commands;
    }

    /** The capabilities the client asked for, as sent. */
    public List<String> capabilities() {
        return capabilities;
    }

    /** Bytes of the request before the pack. */
    public long commandBytes() {
        return commandBytes;
    }

    /** True when the client reads a report-status answer (every git client asks for one). */
    public boolean canReport() {
        return hasCapability(ReceiveCapabilities.REPORT_STATUS) || hasCapability(ReceiveCapabilities.REPORT_STATUS_V2);
    }

    public boolean sideBand() {
        return hasCapability("side-band-64k");
    }

    /** True unless every command is a delete (a push of deletes sends no pack). */
    public boolean needsPack() {
        return commands.stream().anyMatch(c -> c.getType() != ReceiveCommand.Type.DELETE);
    }

    /** True when the client sent only a flush: git's probe before a large push, nothing to do. */
    public boolean isProbe() {
        return commands.isEmpty();
    }

    /**
     * Checks what the framing could not: every capability is one gitwar offered (a client must not
     * ask for others, gitprotocol-capabilities), and every ref name is one git's receive-pack accepts.
     *
     * @throws BadRequest naming the first violation; the commands are known, so it can be reported
     * @throws LimitExceeded for a ref name longer than {@value #MAX_REF_NAME_BYTES} bytes
     */
    public void validate() {
        String unsupported = unsupportedCapability();
        if (unsupported != null) {
            throw new BadRequest("unsupported capability " + PktLineReader.printable(unsupported));
        }
        String funny = invalidRefName();
        if (funny != null) {
            throw new BadRequest("funny refname " + PktLineReader.printable(funny) + " (see git check-ref-format)");
        }
        for (ReceiveCommand c : commands) {
            int bytes = c.getRefName().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_REF_NAME_BYTES && c.getType() != ReceiveCommand.Type.DELETE) {
                throw new LimitExceeded("ref name of " + bytes + " bytes, longer than the limit of "
                        + MAX_REF_NAME_BYTES + ": " + PktLineReader.printable(abbreviate(c.getRefName())));
            }
        }
    }

    /** The first capability gitwar did not offer, or null. */
    String unsupportedCapability() {
        for (String c : capabilities) {
            if (!ReceiveCapabilities.isOffered(c)) {
                return c;
            }
        }
        return null;
    }

    /** The first ref name git's receive-pack would call "funny", or null. */
    String invalidRefName() {
        for (ReceiveCommand c : commands) {
            if (!isValidRefName(c.getRefName())) {
                return c.getRefName();
            }
        }
        return null;
    }

    /**
     * git's rules for a ref a push may update: under {@code refs/} and valid per
     * {@code git check-ref-format} (JGit's check, plus git's rule that no component ends in
     * {@code .lock}).
     */
    public static boolean isValidRefName(String name) {
        if (!name.startsWith("refs/") || !Repository.isValidRefName(name)) {
            return false;
        }
        for (String component : name.split("/")) {
            if (component.endsWith(".lock")) {
                return false;
            }
        }
        return true;
    }

    /**
     * The number of objects the pack header declares, or -1 if the request has no well-formed
     * header there (JGit then reports what is wrong with it). {@link #forJGit()} still includes the
     * header, whichever is called first.
     */
    public long declaredObjectCount() throws IOException {
        if (packHeader == null) {
            rest.mark(PACK_HEADER_LENGTH);
            packHeader = rest.readNBytes(PACK_HEADER_LENGTH);
            rest.reset();
        }
        if (packHeader.length < PACK_HEADER_LENGTH || packHeader[0] != 'P' || packHeader[1] != 'A'
                || packHeader[2] != 'C' || packHeader[3] != 'K') {
            return -1;
        }
        return ((packHeader[8] & 0xffL) << 24) | ((packHeader[9] & 0xff) << 16) | ((packHeader[10] & 0xff) << 8)
                | (packHeader[11] & 0xff);
    }

    /** Whether a pack of {@code packBytes} bytes could hold {@code count} objects at all. */
    public static boolean plausibleObjectCount(long count, long packBytes) {
        return count <= Math.max(0, packBytes - PACK_OVERHEAD) / MIN_OBJECT_BYTES;
    }

    /** The request as JGit should read it: the translated command list, then the pack. */
    public InputStream forJGit() {
        return new SequenceInputStream(new ByteArrayInputStream(translatedCommands), rest);
    }

    private boolean hasCapability(String name) {
        return capabilities.contains(name);
    }

    private static ReceiveCommand command(String line) {
        if (line.endsWith("\n")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.length() < 2 * ID_LENGTH + 3 || line.charAt(ID_LENGTH) != ' ' || line.charAt(2 * ID_LENGTH + 1) != ' ') {
            throw new BadRequest("malformed command \"" + PktLineReader.printable(abbreviate(line))
                    + "\": expected <old-id> <new-id> <ref>");
        }
        String oldId = line.substring(0, ID_LENGTH);
        String newId = line.substring(ID_LENGTH + 1, 2 * ID_LENGTH + 1);
        requireId(oldId, "old id");
        requireId(newId, "new id");
        String name = new String(line.substring(2 * ID_LENGTH + 2).getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.UTF_8);
        return new ReceiveCommand(ObjectId.fromString(oldId), ObjectId.fromString(newId), name);
    }

    private static void requireId(String id, String what) {
        if (!ObjectId.isId(id)) {
            throw new BadRequest("malformed " + what + " \"" + PktLineReader.printable(abbreviate(id))
                    + "\": expected 40 hex digits");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }

    /** A payload's bytes as chars one to one (ISO-8859-1), so nothing is lost on the way back. */
    private static String line(byte[] payload, int from, int to) {
        return new String(payload, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static boolean startsWith(byte[] payload, String prefix) {
        return payload.length >= prefix.length()
                && line(payload, 0, prefix.length()).equals(prefix);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static void writePkt(ByteArrayOutputStream out, byte[] payload) {
        out.writeBytes(String.format("%04x", payload.length + 4).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
    }
}
