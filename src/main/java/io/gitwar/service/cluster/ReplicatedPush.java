package io.gitwar.service.cluster;

import io.gitwar.storage.PushReplay.RefChange;
import io.gitwar.storage.dfs.ShippedPack;
import io.gitwar.storage.file.OutboxRows;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;

/**
 * A push as its primary sends it to a replica, one binary body read in one pass: the generation it
 * follows, when it was received, its ref changes, then each pack's bytes and its index's, each file
 * as blocks of {@code [length][bytes]} ended by a block of length 0 (the sender streams them from its
 * rows; neither side holds a file in the heap).
 *
 * @param primary the node that sent it (the replica takes it only from the primary its placement names)
 * @param copies what the replica records of the repository's copies with it ({@link CopyRecord})
 * @param follows the generation the push follows (the replica must be at it)
 * @param at when the primary received it
 * @param refs its ref changes, with the old ids the primary saw
 * @param outbox the webhook deliveries the primary owes with it (the replica keeps them, and delivers
 *        them only once it has become the primary)
 * @param packs its packs, as the primary stored them
 */
public record ReplicatedPush(String primary, String copies, long follows, Instant at, List<RefChange> refs,
        List<OutboxRows.Pending> outbox, List<ShippedPack> packs) {

    private static final int MAGIC = 0x67777032; // "gwp2"
    /** The largest block a reader accepts: the sender's are 64 KiB. */
    private static final int MAX_BLOCK = 1 << 20;
    private static final int BLOCK = 64 * 1024;
    /** More refs or packs than a push carries are no push (git's own refs bound is far below). */
    private static final int MAX_ITEMS = 1 << 20;
    /** The largest payload a reader accepts: a push's payload names at most 20 commits per ref. */
    private static final int MAX_PAYLOAD = 16 << 20;

    /** This push's body: a stream the sender reads the packs through as it is sent. */
    public InputStream body() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(head);
        out.writeInt(MAGIC);
        out.writeUTF(primary);
        out.writeUTF(copies);
        out.writeLong(follows);
        out.writeLong(at.toEpochMilli());
        out.writeInt(refs.size());
        for (RefChange r : refs) {
            out.writeUTF(r.name());
            r.oldId().copyRawTo(out);
            r.newId().copyRawTo(out);
        }
        out.writeInt(outbox.size());
        for (OutboxRows.Pending d : outbox) {
            out.writeUTF(d.deliveryId());
            out.writeUTF(d.scope().name());
            out.writeLong(d.hookId());
            out.writeUTF(d.event());
            byte[] payload = d.payload().getBytes(StandardCharsets.UTF_8);
            out.writeInt(payload.length);
            out.write(payload);
            out.writeInt(d.attempts());
            out.writeLong(d.nextAttemptAt().toEpochMilli());
            out.writeLong(d.createdAt().toEpochMilli());
        }
        out.writeInt(packs.size());
        for (ShippedPack p : packs) {
            out.writeLong(p.objectCount());
        }
        out.flush();
        List<InputStream> parts = new ArrayList<>();
        parts.add(new ByteArrayInputStream(head.toByteArray()));
        for (ShippedPack p : packs) {
            parts.add(new Blocks(p.pack()));
            parts.add(new Blocks(p.index()));
        }
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    /**
     * Reads a push from {@code in}; its packs' streams read on from {@code in}, so they must be read
     * in order (each pack, then its index), as {@code PushReplay} does.
     *
     * @throws IOException if the body is no push of this format
     */
    public static ReplicatedPush read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        if (data.readInt() != MAGIC) {
            throw new IOException("not a replicated push");
        }
        String primary = data.readUTF();
        String copies = data.readUTF();
        long follows = data.readLong();
        Instant at = Instant.ofEpochMilli(data.readLong());
        int refCount = count(data.readInt());
        List<RefChange> refs = new ArrayList<>(refCount);
        byte[] id = new byte[2 * 20];
        for (int i = 0; i < refCount; i++) {
            String name = data.readUTF();
            data.readFully(id);
            refs.add(new RefChange(name, ObjectId.fromRaw(id, 0), ObjectId.fromRaw(id, 20)));
        }
        int deliveries = count(data.readInt());
        List<OutboxRows.Pending> outbox = new ArrayList<>(Math.min(deliveries, 1024));
        for (int i = 0; i < deliveries; i++) {
            String deliveryId = data.readUTF();
            OutboxRows.Scope scope;
            try {
                scope = OutboxRows.Scope.valueOf(data.readUTF());
            } catch (IllegalArgumentException e) {
                throw new IOException("not a replicated push: " + e.getMessage());
            }
            long hookId = data.readLong();
            String event = data.readUTF();
            int length = data.readInt();
            if (length < 0 || length > MAX_PAYLOAD) {
                throw new IOException("not a replicated push: a payload of " + length + " bytes");
            }
            byte[] payload = new byte[length];
            data.readFully(payload);
            outbox.add(new OutboxRows.Pending(0, deliveryId, scope, hookId, event,
                    new String(payload, StandardCharsets.UTF_8), data.readInt(), Instant.ofEpochMilli(data.readLong()),
                    Instant.ofEpochMilli(data.readLong())));
        }
        int packCount = count(data.readInt());
        List<ShippedPack> packs = new ArrayList<>(packCount);
        for (int i = 0; i < packCount; i++) {
            long objects = data.readLong();
            packs.add(new ShippedPack(new Unblocks(data), new Unblocks(data), objects));
        }
        return new ReplicatedPush(primary, copies, follows, at, refs, outbox, packs);
    }

    private static int count(int n) throws IOException {
        if (n < 0 || n > MAX_ITEMS) {
            throw new IOException("not a replicated push: " + n + " items");
        }
        return n;
    }

    /** A stream read in arrays; a single byte is read as an array of one (never done by the copies). */
    private abstract static class ArrayStream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** A file as blocks: {@code [length][bytes]}..., then {@code [0]}. */
    private static final class Blocks extends ArrayStream {
        private final InputStream file;
        private final byte[] block = new byte[4 + BLOCK];
        private int pos;
        private int lim;
        private boolean ended;

        Blocks(InputStream file) {
            this.file = file;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos == lim && !fill()) {
                return -1;
            }
            int n = Math.min(len, lim - pos);
            System.arraycopy(block, pos, b, off, n);
            pos += n;
            return n;
        }

        private boolean fill() throws IOException {
            if (ended) {
                return false;
            }
            int n = file.readNBytes(block, 4, BLOCK);
            block[0] = (byte) (n >>> 24);
            block[1] = (byte) (n >>> 16);
            block[2] = (byte) (n >>> 8);
            block[3] = (byte) n;
            pos = 0;
            lim = 4 + n;
            if (n == 0) {
                ended = true;
                file.close();
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    /** The bytes of one {@link Blocks}-framed file, read from the body. */
    private static final class Unblocks extends ArrayStream {
        private final DataInputStream in;
        private int left;
        private boolean ended;

        Unblocks(DataInputStream in) {
            this.in = in;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (left == 0) {
                if (ended) {
                    return -1;
                }
                left = in.readInt();
                if (left < 0 || left > MAX_BLOCK) {
                    throw new IOException("not a replicated push: a block of " + left + " bytes");
                }
                ended = left == 0;
            }
            int n = in.read(b, off, Math.min(len, left));
            if (n < 0) {
                throw new EOFException("replicated push cut short");
            }
            left -= n;
            return n;
        }
    }
}
