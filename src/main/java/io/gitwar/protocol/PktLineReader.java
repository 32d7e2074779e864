package io.gitwar.protocol;

import io.gitwar.failure.BadRequest;
import io.gitwar.failure.LimitExceeded;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * Reads pkt-lines strictly (gitprotocol-common): four hex digits giving the length including
 * themselves, {@code 0000} for a flush, payloads of at most {@value #MAX_PAYLOAD} bytes. Every
 * violation is a {@link BadRequest} that says what was wrong; JGit's own reader is more lenient
 * and less specific. Counts what it consumed, and refuses to read past a byte budget.
 *
 * <p>Not thread-safe; one per request.
 */
public final class PktLineReader {

    /** A pkt-line is at most 65520 bytes including its length (LARGE_PACKET_MAX in git). */
    public static final int MAX_LENGTH = 65520;
    public static final int MAX_PAYLOAD = MAX_LENGTH - 4;

    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");

    private final InputStream in;
    private final long budget;
    private long consumed;

    public PktLineReader(InputStream in, long budget) {
        this.in = in;
        this.budget = budget;
    }

    /**
     * The next payload, or null for a flush-pkt.
     *
     * @throws BadRequest for a malformed or truncated pkt-line, or the end of input
     * @throws LimitExceeded when the budget would be exceeded
     */
    public byte[] next() throws IOException {
        byte[] head = in.readNBytes(4);
        if (head.length == 0) {
            throw new BadRequest(consumed == 0 ? "empty request body: expected the commands of a push"
                    : "request ends before the flush-pkt (0000) after the commands");
        }
        if (head.length < 4) {
            throw new BadRequest("request ends inside a pkt-line length");
        }
        int length = 0;
        for (byte b : head) {
            int digit = Character.digit(b, 16);
            if (digit < 0) {
                throw new BadRequest("malformed pkt-line length \"" + printable(head) + "\": expected 4 hex digits");
            }
            length = length * 16 + digit;
        }
        consumed += 4;
        if (length == 0) {
            return null;
        }
        if (length < 4) {
            throw new BadRequest("invalid pkt-line length " + printable(head)
                    + ": 0001-0003 are not pkt-lines of a push");
        }
        if (length > MAX_LENGTH) {
            throw new BadRequest("pkt-line length " + length + " over the maximum of " + MAX_LENGTH);
        }
        int payloadLength = length - 4;
        if (consumed + payloadLength > budget) {
            throw new LimitExceeded("the command list is longer than " + budget + " bytes");
        }
        byte[] payload = in.readNBytes(payloadLength);
        if (payload.length < payloadLength) {
            throw new BadRequest("request ends inside a pkt-line (" + payloadLength + " bytes announced, "
                    + payload.length + " sent)");
        }
        consumed += payloadLength;
        return payload;
    }

    /** Bytes read so far. */
    public long consumed() {
        return consumed;
    }

    /** Request bytes as they may appear in a message: printable ASCII, anything else as '?'. */
    public static String printable(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            s.append(b >= 0x20 && b < 0x7f ? (char) b : '?');
        }
        return s.toString();
    }

    /** A string as it may appear in a message or a report line: control characters as '?'. */
    public static String printable(String text) {
        return CONTROL.matcher(text).replaceAll("?");
    }
}
