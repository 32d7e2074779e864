package io.gitwar.storage.dfs.receive;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The two sizes a delta starts with (gitformat-pack: its base's size, then its result's, as
 * little-endian base-128 numbers), read from the delta's compressed bytes as the pack parser passes
 * them by: only the first few bytes are inflated, so a delta's sizes are known before JGit
 * allocates anything for it. One delta at a time; {@link #end()} releases the inflater.
 */
final class DeltaSizes {

    /** Two 64-bit numbers take at most ten bytes each. */
    private static final int MAX_HEADER = 20;

    private final Inflater inflater = new Inflater();
    private final byte[] header = new byte[MAX_HEADER];
    private int have;
    private boolean done;
    private long baseSize = -1;
    private long resultSize = -1;

    /** Starts on the next delta. */
    void reset() {
        inflater.reset();
        have = 0;
        done = false;
        baseSize = -1;
        resultSize = -1;
    }

    /**
     * Takes more of the delta's compressed bytes; returns true once the sizes are known (or cannot
     * be: a delta too short or corrupt, which JGit refuses itself).
     */
    boolean feed(byte[] compressed, int offset, int length) {
        if (done || length <= 0) {
            return done;
        }
        inflater.setInput(compressed, offset, length);
        try {
            while (!done && have < MAX_HEADER) {
                int n = inflater.inflate(header, have, MAX_HEADER - have);
                have += n;
                done = decode() || inflater.finished() || inflater.needsDictionary();
                if (n == 0 && !done) {
                    break; // needs more input
                }
            }
            done |= have == MAX_HEADER;
        } catch (DataFormatException e) {
            done = true;
        }
        inflater.setInput(new byte[0]); // keep no reference to the parser's buffer
        return done;
    }

    /** The base object's size, or -1 if not (yet) known. */
    long baseSize() {
        return baseSize;
    }

    /** The result's size, or -1 if not (yet) known. */
    long resultSize() {
        return resultSize;
    }

    void end() {
        inflater.end();
    }

    private boolean decode() {
        long[] sizes = of(header, have);
        if (sizes == null) {
            return false;
        }
        baseSize = sizes[0];
        resultSize = sizes[1];
        return true;
    }

    /**
     * The base's and the result's size that the first {@code length} inflated bytes of a delta
     * declare, or null if they end inside them.
     */
    static long[] of(byte[] delta, int length) {
        int[] pos = {0};
        long base = varint(delta, length, pos);
        long result = base < 0 ? -1 : varint(delta, length, pos);
        return result < 0 ? null : new long[] {base, result};
    }

    /**
     * The number at {@code pos[0]}; -1 if the bytes end inside it; {@link Long#MAX_VALUE} if it does
     * not fit 63 bits (so that every bound refuses it).
     */
    private static long varint(byte[] bytes, int length, int[] pos) {
        long value = 0;
        for (int shift = 0; pos[0] < length; shift += 7) {
            int b = bytes[pos[0]++] & 0xff;
            long bits = b & 0x7f;
            if (shift > 63 || shift > 56 && bits >>> (63 - shift) != 0) {
                return Long.MAX_VALUE;
            }
            value |= bits << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }
}
