package io.gitwar.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.zip.Deflater;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;

/**
 * Builds pack files byte by byte (gitformat-pack), including the broken ones no Git client would
 * send: wrong signatures and counts, lying size headers, corrupt zlib, deltas against missing bases.
 */
public final class PackBytes {

    public static final int COMMIT = Constants.OBJ_COMMIT;
    public static final int TREE = Constants.OBJ_TREE;
    public static final int BLOB = Constants.OBJ_BLOB;
    public static final int TAG = Constants.OBJ_TAG;
    public static final int REF_DELTA = Constants.OBJ_REF_DELTA;
    public static final int OFS_DELTA = Constants.OBJ_OFS_DELTA;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private PackBytes() {
    }

    /** A version 2 pack header declaring {@code count} objects. */
    public static PackBytes header(long count) {
        return header("PACK", 2, count);
    }

    public static PackBytes header(String signature, int version, long count) {
        PackBytes p = new PackBytes();
        p.out.writeBytes(signature.getBytes(StandardCharsets.US_ASCII));
        p.int32(version);
        p.int32(count);
        return p;
    }

    /** A whole object, its header declaring its true size. */
    public PackBytes object(int type, byte[] content) {
        return object(type, content.length, deflate(content));
    }

    /** An object whose header declares {@code declaredSize}, followed by {@code compressed} as is. */
    public PackBytes object(int type, long declaredSize, byte[] compressed) {
        typeAndSize(type, declaredSize);
        out.writeBytes(compressed);
        return this;
    }

    /** A delta against the object {@code base} (which need not be in this pack). */
    public PackBytes refDelta(ObjectId base, byte[] delta) {
        typeAndSize(REF_DELTA, delta.length);
        byte[] raw = new byte[Constants.OBJECT_ID_LENGTH];
        base.copyRawTo(raw, 0);
        out.writeBytes(raw);
        out.writeBytes(deflate(delta));
        return this;
    }

    /** Where the next object starts (an offset delta names its base by the distance back to it). */
    public long position() {
        return out.size();
    }

    /** A delta against the object at {@code basePosition} in this pack. */
    public PackBytes ofsDelta(long basePosition, byte[] delta) {
        long distance = position() - basePosition;
        typeAndSize(OFS_DELTA, delta.length);
        // gitformat-pack: big-endian base-128, each continued byte's value one more than it reads
        byte[] buf = new byte[10];
        int i = buf.length - 1;
        buf[i] = (byte) (distance & 0x7f);
        while ((distance >>>= 7) != 0) {
            buf[--i] = (byte) (0x80 | (--distance & 0x7f));
        }
        out.write(buf, i, buf.length - i);
        out.writeBytes(deflate(delta));
        return this;
    }

    public PackBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** The pack with its SHA-1 trailer. */
    public byte[] finish() {
        byte[] body = out.toByteArray();
        return concat(body, sha1(body));
    }

    /** The pack with a trailer that is not its checksum. */
    public byte[] finishWithBadTrailer() {
        byte[] trailer = sha1(out.toByteArray());
        trailer[0] ^= 0x55;
        return concat(out.toByteArray(), trailer);
    }

    /** A delta (gitformat-pack "deltified representation"): sizes, then one insert of {@code data}. */
    public static byte[] insertDelta(long baseSize, long resultSize, byte[] data) {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        varint(d, baseSize);
        varint(d, resultSize);
        for (int i = 0; i < data.length; i += 127) {
            int n = Math.min(127, data.length - i);
            d.write(n);
            d.write(data, i, n);
        }
        return d.toByteArray();
    }

    /**
     * A delta that builds {@code resultSize} bytes by copying the start of its base over and over:
     * one byte per 64 KiB of result (a copy of 0x10000 bytes from offset 0 needs no argument bytes),
     * so a few KiB describe gigabytes.
     */
    public static byte[] copyDelta(long baseSize, long resultSize) {
        if (baseSize < 0x10000 || resultSize % 0x10000 != 0) {
            throw new IllegalArgumentException("base of 64 KiB at least, result in 64 KiB steps");
        }
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        varint(d, baseSize);
        varint(d, resultSize);
        for (long done = 0; done < resultSize; done += 0x10000) {
            d.write(0x80);
        }
        return d.toByteArray();
    }

    public static ObjectId id(int type, byte[] content) {
        return new ObjectInserter.Formatter().idFor(type, content);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A tree with one file entry. */
    public static byte[] tree(String mode, String name, ObjectId blob) {
        byte[] raw = new byte[Constants.OBJECT_ID_LENGTH];
        blob.copyRawTo(raw, 0);
        return concat(utf8(mode + " " + name + "\0"), raw);
    }

    public static byte[] commit(ObjectId tree, String message) {
        return utf8("tree " + tree.name() + "\n"
                + "author A U Thor <author@example.invalid> 1700000000 +0000\n"
                + "committer A U Thor <author@example.invalid> 1700000000 +0000\n\n" + message + "\n");
    }

    public static byte[] deflate(byte[] content) {
        Deflater d = new Deflater();
        d.setInput(content);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    private void typeAndSize(int type, long size) {
        int first = (type << 4) | (int) (size & 0x0f);
        size >>>= 4;
        if (size != 0) {
            first |= 0x80;
        }
        out.write(first);
        while (size != 0) {
            int b = (int) (size & 0x7f);
            size >>>= 7;
            out.write(size != 0 ? b | 0x80 : b);
        }
    }

    private void int32(long v) {
        out.write((int) (v >>> 24) & 0xff);
        out.write((int) (v >>> 16) & 0xff);
        out.write((int) (v >>> 8) & 0xff);
        out.write((int) v & 0xff);
    }

    private static void varint(ByteArrayOutputStream d, long v) {
        do {
            int b = (int) (v & 0x7f);
            v >>>= 7;
            d.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
