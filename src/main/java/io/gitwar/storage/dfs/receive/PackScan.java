package io.gitwar.storage.dfs.receive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.internal.JGitText;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.BlobObjectChecker;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.transport.PackedObjectInfo;
import org.eclipse.jgit.util.NB;
import org.eclipse.jgit.util.sha1.SHA1;

/**
 * The first pass over a received pack, as the stream arrives: every object's header, its compressed
 * bytes inflated to learn where it ends and that it holds what it declares, its CRC-32; a whole
 * object is hashed (and checked, as JGit checks it) here, a delta is only located, with the sizes its
 * first bytes declare. Every byte read is copied to {@code copy}, from which the second pass reads the
 * deltas back on several threads ({@link DeltaForest}).
 *
 * <p>It keeps the bounds JGit's parser keeps in gitwar ({@link BoundedPackParser}): what JGit would
 * refuse, or what this pass does not do the way JGit does, ends it with {@link NotForParallel}, and the
 * pack goes to JGit, which refuses it in its own words (or parses it, e.g. a thin pack).
 */
final class PackScan {

    /** JGit's largest array. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final int HEADER = 12;
    private static final int TRAILER = Constants.OBJECT_ID_LENGTH;

    private final InputStream in;
    private final OutputStream copy;
    private final ParseRules rules;
    private final MessageDigest packDigest = Constants.newMessageDigest();
    private final CRC32 crc = new CRC32();
    private final Inflater inflater = new Inflater();
    private final SHA1 hasher = SHA1.newInstance();
    private final byte[] buf = new byte[64 << 10];
    private final byte[] scratch = new byte[64 << 10];
    private final byte[] deltaStart = new byte[32];
    /** The current object's header, for its CRC-32 (the buffer may move while it is read). */
    private final byte[] header = new byte[64];
    private int headerLength;
    private int pos;
    private int lim;
    /** The stream position of {@code buf[0]}. */
    private long bufStart;
    /** What the deltas read so far will produce when they are resolved. */
    private long produced;
    /** The second thread that hashes whole objects, if there is one. */
    private WholeObjectHashing hashing;
    private final boolean hashElsewhere;

    private PackScan(InputStream in, OutputStream copy, ParseRules rules, boolean hashElsewhere) {
        this.in = in;
        this.copy = copy;
        this.rules = rules;
        this.hashElsewhere = hashElsewhere;
    }

    /**
     * Reads the pack from {@code in} to its end (and checks that nothing follows it), copying every
     * byte read to {@code copy}.
     *
     * @param hashElsewhere whether whole objects are hashed on a second thread
     * @throws NotForParallel if JGit is to parse this pack instead
     */
    static ScannedPack scan(InputStream in, OutputStream copy, ParseRules rules, boolean hashElsewhere,
            ProgressMonitor receiving) throws IOException {
        PackScan s = new PackScan(in, copy, rules, hashElsewhere);
        try {
            return s.run(receiving);
        } finally {
            s.inflater.end();
            if (s.hashing != null) {
                s.hashing.close();
            }
        }
    }

    private ScannedPack run(ProgressMonitor receiving) throws IOException {
        int p = fill(HEADER);
        if (!Arrays.equals(buf, p, p + 4, Constants.PACK_SIGNATURE, 0, 4)) {
            throw new NotForParallel("not a pack");
        }
        long version = NB.decodeUInt32(buf, p + 4);
        long count = NB.decodeUInt32(buf, p + 8);
        if ((version != 2 && version != 3) || count == 0 || count > MAX_ARRAY) {
            throw new NotForParallel("pack version " + version + ", " + count + " objects");
        }
        pos += HEADER;
        ScannedPack pack = new ScannedPack((int) count);
        // what waits to be hashed, and the object being read meanwhile
        if (hashElsewhere && rules.grantIfWithinBound(2 * WholeObjectHashing.BUDGET)) {
            hashing = new WholeObjectHashing(pack, rules);
        }
        receiving.beginTask(JGitText.get().receivingObjects, (int) count);
        for (int i = 0; i < count; i++) {
            if ((i & 255) == 0) {
                rules.requireAlive();
            }
            object(pack, i);
            receiving.update(1);
        }
        digestConsumed();
        long trailerAt = position();
        p = fill(TRAILER);
        byte[] trailer = Arrays.copyOfRange(buf, p, p + TRAILER);
        pos += TRAILER;
        if (lim > pos || readMore()) {
            throw new NotForParallel("data after the pack");
        }
        if (!Arrays.equals(trailer, packDigest.digest())) {
            throw new NotForParallel("pack checksum mismatch");
        }
        if (hashing != null) {
            hashing.finish();
        }
        receiving.endTask();
        pack.finish(trailerAt, trailer, produced);
        return pack;
    }

    // ---- one object ----

    private void object(ScannedPack pack, int i) throws IOException {
        long at = position();
        crc.reset();
        headerLength = 0;
        int c = headerByte();
        int type = (c >> 4) & 7;
        long size = c & 15;
        int shift = 4;
        while ((c & 0x80) != 0) {
            if (shift > 56) {
                throw new NotForParallel("object size overflows");
            }
            c = headerByte();
            size += ((long) (c & 0x7f)) << shift;
            shift += 7;
        }
        rules.requireNotTooLarge(size);
        switch (type) {
            case Constants.OBJ_COMMIT, Constants.OBJ_TREE, Constants.OBJ_BLOB, Constants.OBJ_TAG -> {
                crc.update(header, 0, headerLength);
                PackedObjectInfo info = whole(i, at, type, size);
                pack.step(size);
                pack.whole(i, at, headerLength, type, size, (int) crc.getValue(), info);
            }
            case Constants.OBJ_OFS_DELTA -> {
                c = headerByte();
                long ofs = c & 127;
                while ((c & 128) != 0) {
                    if (ofs > (Long.MAX_VALUE >> 8)) {
                        throw new NotForParallel("delta base offset overflows");
                    }
                    ofs += 1;
                    c = headerByte();
                    ofs <<= 7;
                    ofs += c & 127;
                }
                crc.update(header, 0, headerLength);
                int base = pack.indexAt(at - ofs, i);
                if (base < 0) {
                    throw new NotForParallel("delta base offset " + (at - ofs) + " is no object's");
                }
                pack.step(delta(at, size));
                pack.ofsDelta(i, at, headerLength, size, base, (int) crc.getValue());
            }
            case Constants.OBJ_REF_DELTA -> {
                int p = fill(Constants.OBJECT_ID_LENGTH);
                ObjectId base = ObjectId.fromRaw(buf, p);
                System.arraycopy(buf, p, header, headerLength, Constants.OBJECT_ID_LENGTH);
                headerLength += Constants.OBJECT_ID_LENGTH;
                pos += Constants.OBJECT_ID_LENGTH;
                crc.update(header, 0, headerLength);
                pack.step(delta(at, size));
                pack.refDelta(i, at, headerLength, size, base, (int) crc.getValue());
            }
            default -> throw new NotForParallel("unknown object type " + type);
        }
    }

    /**
     * A whole object: inflated, hashed and checked, here or by {@link #hashing} (then its entry is
     * null until that is done).
     */
    private PackedObjectInfo whole(int i, long at, int type, long size) throws IOException {
        BlobObjectChecker blobChecker = type == Constants.OBJ_BLOB ? rules.newBlobChecker() : null;
        boolean streamed = type == Constants.OBJ_BLOB
                && (blobChecker != BlobObjectChecker.NULL_CHECKER || hashing == null || !hashing.fits(size));
        if (streamed) { // a large blob streams through the hash, as JGit streams it
            SHA1 h = header(hasher.reset(), type, size);
            inflate(size, (b, off, len) -> {
                h.update(b, off, len);
                blobChecker.update(b, off, len);
            });
            ObjectId id = h.toObjectId();
            try {
                blobChecker.endBlob(id);
            } catch (CorruptObjectException e) {
                throw new NotForParallel(e.getMessage());
            }
            return info(id, at, type, size, (int) crc.getValue());
        }
        if (type != Constants.OBJ_BLOB) {
            rules.requireFitsInMemory(size);
        }
        byte[] data = new byte[(int) size];
        int[] filled = {0};
        inflate(size, (b, off, len) -> {
            System.arraycopy(b, off, data, filled[0], len);
            filled[0] += len;
        });
        if (hashing != null && hashing.fits(size)) {
            hashing.hash(i, at, type, (int) crc.getValue(), data);
            return null;
        }
        SHA1 h = header(hasher.reset(), type, size);
        h.update(data);
        ObjectId id = h.toObjectId();
        rules.check(id, type, data);
        return info(id, at, type, size, (int) crc.getValue());
    }

    /** JGit's entry for a whole object. */
    static PackedObjectInfo info(ObjectId id, long at, int type, long size, int crc) {
        PackedObjectInfo info = new PackedObjectInfo(id);
        info.setOffset(at);
        info.setType(type);
        info.setFullSize(size);
        info.setCRC(crc);
        return info;
    }

    /** An object's header, as git hashes it before its content. */
    private static SHA1 header(SHA1 h, int type, long size) {
        h.update(Constants.encodedTypeString(type));
        h.update((byte) ' ');
        h.update(Constants.encodeASCII(size));
        h.update((byte) 0);
        return h;
    }

    /**
     * A delta's bytes, inflated and dropped but for the sizes they begin with; returns what applying
     * it will hold at once (its base, itself, its result).
     */
    private long delta(long at, long size) throws IOException {
        rules.requireFitsInMemory(size); // JGit inflates a delta into one array
        int[] kept = {0};
        inflate(size, (b, off, len) -> {
            int n = Math.min(len, deltaStart.length - kept[0]);
            System.arraycopy(b, off, deltaStart, kept[0], n);
            kept[0] += n;
        });
        long[] sizes = DeltaSizes.of(deltaStart, kept[0]);
        if (sizes == null) {
            throw new NotForParallel("delta at " + at + " is too short for its sizes");
        }
        long base = sizes[0];
        long result = sizes[1];
        rules.requireNotTooLarge(result);
        rules.requireFitsInMemory(Math.max(base, result));
        rules.requireFitsInMemory(base + size + result);
        produced += result;
        rules.requireWithinBudget(produced, position());
        return base + size + result;
    }

    /** What receives inflated bytes. */
    @FunctionalInterface
    private interface Sink {
        void accept(byte[] b, int off, int len);
    }

    /** Inflates the object's data, which must be exactly {@code size} bytes, into {@code sink}. */
    private void inflate(long size, Sink sink) throws IOException {
        inflater.reset();
        long produced = 0;
        int fed = 0;
        try {
            while (true) {
                if (inflater.needsInput()) {
                    crc.update(buf, pos, fed);
                    pos += fed;
                    fill(1);
                    fed = lim - pos;
                    inflater.setInput(buf, pos, fed);
                }
                int n = inflater.inflate(scratch, 0, scratch.length);
                if (n > 0) {
                    produced += n;
                    if (produced > size) {
                        throw new NotForParallel("an object inflates to more than it declares");
                    }
                    sink.accept(scratch, 0, n);
                }
                if (inflater.finished()) {
                    break;
                }
                if (n == 0 && inflater.needsDictionary()) {
                    throw new NotForParallel("an object needs a zlib dictionary");
                }
            }
        } catch (DataFormatException e) {
            throw new NotForParallel("corrupt zlib data: " + e.getMessage());
        }
        int used = fed - inflater.getRemaining();
        crc.update(buf, pos, used);
        pos += used;
        if (produced != size) {
            throw new NotForParallel("an object inflates to less than it declares");
        }
    }

    // ---- the stream ----

    private long position() {
        return bufStart + pos;
    }

    /** One more byte of the object's header (at most 22 of size and base offset: longer overflow). */
    private int headerByte() throws IOException {
        if (headerLength == 22) {
            throw new NotForParallel("object header too long");
        }
        int p = fill(1);
        pos++;
        header[headerLength++] = buf[p];
        return buf[p] & 0xff;
    }

    /** At least {@code need} unread bytes in {@code buf}, from {@code pos}; returns {@code pos}. */
    private int fill(int need) throws IOException {
        if (lim - pos >= need) {
            return pos;
        }
        digestConsumed();
        while (lim < need) {
            int n = in.read(buf, lim, buf.length - lim);
            if (n <= 0) {
                throw new NotForParallel("pack is truncated");
            }
            copy.write(buf, lim, n);
            lim += n;
        }
        return pos;
    }

    /** The consumed bytes go into the pack's checksum and leave the buffer. */
    private void digestConsumed() {
        packDigest.update(buf, 0, pos);
        bufStart += pos;
        System.arraycopy(buf, pos, buf, 0, lim - pos);
        lim -= pos;
        pos = 0;
    }

    /** Whether anything follows the pack (copied too, so that JGit sees it if it takes over). */
    private boolean readMore() throws IOException {
        int n = in.read(buf, lim, buf.length - lim);
        if (n > 0) {
            copy.write(buf, lim, n);
            return true;
        }
        return false;
    }
}
