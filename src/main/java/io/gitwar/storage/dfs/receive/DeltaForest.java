package io.gitwar.storage.dfs.receive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.eclipse.jgit.internal.storage.pack.BinaryDelta;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.transport.PackedObjectInfo;
import org.eclipse.jgit.util.sha1.SHA1;

/**
 * The second pass over a received pack: every delta applied to its base and hashed, on several
 * threads. Each whole object with deltas on it is the root of a tree that one thread resolves depth
 * first, as JGit's parser does on its one thread; the threads take the roots in turn. A thread reads
 * what it needs back from the pack's copy (positional reads: no shared position), with its own
 * inflater and SHA-1 (JGit's, with collision detection as configured).
 *
 * <p>Memory: a thread holds the objects on its path (a parent is let go as its last child is made,
 * so a chain holds two at a time); all threads together stay within {@code heldCap}, granted
 * beforehand by the receiving thread. A pack that needs more is {@link NotForParallel}: JGit's
 * parser, one thread under its own bounds, takes it.
 */
final class DeltaForest {

    private final ScannedPack pack;
    private final FileChannel copy;
    private final ParseRules rules;
    private final long heldCap;
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong produced;
    private final AtomicInteger nextRoot = new AtomicInteger();
    private final AtomicInteger resolved = new AtomicInteger();
    /** Trees of deltas per base type: JGit's statistics count them. */
    private final AtomicIntegerArray treesByType = new AtomicIntegerArray(8);
    private volatile Throwable failure;

    DeltaForest(ScannedPack pack, FileChannel copy, ParseRules rules, long heldCap) {
        this.pack = pack;
        this.copy = copy;
        this.rules = rules;
        this.heldCap = heldCap;
        this.produced = new AtomicLong(pack.produced());
    }

    /** Starts {@code n} threads that resolve trees until none is left. */
    Thread[] start(int n) {
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            threads[i] = new Thread(() -> work(null), "gitwar-resolve-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
        return threads;
    }

    /**
     * Resolves trees on the calling thread too, then waits for {@code threads}; {@code progress} (the
     * caller's: only its thread may write to the client) is told how many deltas are resolved.
     *
     * @throws NotForParallel if JGit is to parse the pack after all
     */
    void finish(Thread[] threads, ProgressMonitor progress) throws IOException {
        int reported = work(progress);
        if (NotForParallel.join(threads)) {
            failure = new NotForParallel("interrupted");
            Thread.currentThread().interrupt();
        }
        progress.update(resolved.get() - reported);
        NotForParallel.rethrow(failure);
    }

    int resolvedCount() {
        return resolved.get();
    }

    /** How many trees of deltas had a base of {@code type}. */
    int trees(int type) {
        return treesByType.get(type);
    }

    /** Resolves trees until none is left; returns how many deltas it told {@code progress} (may be null) of. */
    private int work(ProgressMonitor progress) {
        Resolver r = new Resolver();
        int reported = 0;
        try {
            for (int i; failure == null && (i = nextRoot.getAndIncrement()) < pack.count(); ) {
                if (pack.isWhole(i)) {
                    r.tree(i);
                }
                if (progress != null && (i & 63) == 0) {
                    int now = resolved.get();
                    progress.update(now - reported);
                    reported = now;
                }
            }
        } catch (Throwable t) {
            if (failure == null) {
                failure = t;
            }
        } finally {
            r.end();
        }
        return reported;
    }

    /** A parent and the deltas on it still to resolve. */
    private record Frame(byte[] data, int[] children, int[] next) {
    }

    /** One thread's tools. */
    private final class Resolver {
        private final Inflater inflater = new Inflater();
        private final SHA1 hasher = SHA1.newInstance();
        private final ByteBuffer in = ByteBuffer.allocate(64 << 10);
        private int steps;

        void tree(int root) throws IOException {
            PackedObjectInfo rootInfo = pack.object(root);
            int[] children = children(root, rootInfo);
            if (children.length == 0) {
                return;
            }
            rules.requireAlive();
            int type = pack.type(root);
            treesByType.incrementAndGet(type);
            byte[] data = inflate(root);
            hold(data.length);
            produce(data.length);
            Deque<Frame> path = new ArrayDeque<>();
            path.push(new Frame(data, children, new int[1]));
            while (!path.isEmpty()) {
                if (failure != null) {
                    return;
                }
                Frame parent = path.peek();
                if (parent.next[0] == parent.children.length) {
                    path.pop();
                    hold(-parent.data.length);
                    continue;
                }
                int child = parent.children[parent.next[0]++];
                byte[] result = apply(parent.data, child, type);
                if (parent.next[0] == parent.children.length) { // its last child: let it go now
                    path.pop();
                    hold(-parent.data.length);
                }
                int[] grandchildren = children(child, pack.object(child));
                if (grandchildren.length == 0) {
                    hold(-result.length);
                } else {
                    path.push(new Frame(result, grandchildren, new int[1]));
                }
                if ((++steps & 255) == 0) {
                    rules.requireAlive();
                }
            }
        }

        /** The object the delta {@code child} makes of {@code base}: hashed, checked, recorded. */
        private byte[] apply(byte[] base, int child, int type) throws IOException {
            byte[] delta = inflate(child);
            hold(delta.length);
            long[] sizes = DeltaSizes.of(delta, delta.length);
            if (sizes == null || sizes[0] != base.length) {
                throw new NotForParallel("delta at " + pack.offset(child) + " does not fit its base");
            }
            rules.requireNotTooLarge(sizes[1]);
            hold(sizes[1]);
            byte[] result;
            try {
                result = BinaryDelta.apply(base, delta);
            } catch (RuntimeException corrupt) {
                throw new NotForParallel("delta at " + pack.offset(child) + ": " + corrupt);
            }
            hold(-delta.length);
            ObjectId id = hash(type, result);
            rules.check(id, type, result);
            PackedObjectInfo info = new PackedObjectInfo(id);
            info.setOffset(pack.offset(child));
            info.setCRC(pack.crc(child));
            info.setType(type);
            info.setFullSize(result.length);
            pack.resolved(child, info);
            resolved.incrementAndGet();
            return result;
        }

        private int[] children(int i, PackedObjectInfo info) {
            int[] byOffset = pack.offsetChildren(i);
            int[] byId = pack.takeReferenceChildren(info);
            if (byId.length == 0) {
                return byOffset;
            }
            int[] all = Arrays.copyOf(byOffset, byOffset.length + byId.length);
            System.arraycopy(byId, 0, all, byOffset.length, byId.length);
            return all;
        }

        private ObjectId hash(int type, byte[] data) throws IOException {
            SHA1 h = hasher.reset();
            h.update(Constants.encodedTypeString(type));
            h.update((byte) ' ');
            h.update(Constants.encodeASCII(data.length));
            h.update((byte) 0);
            h.update(data);
            return h.toObjectId();
        }

        /** Object {@code i}'s data, inflated from the pack's copy. */
        private byte[] inflate(int i) throws IOException {
            long size = pack.inflatedSize(i);
            if (size > Integer.MAX_VALUE - 8) {
                throw new NotForParallel("an object of " + size + " bytes");
            }
            byte[] out = new byte[(int) size];
            long at = pack.dataStart(i);
            long end = pack.end(i);
            inflater.reset();
            int done = 0;
            try {
                while (!inflater.finished()) {
                    if (inflater.needsInput()) {
                        if (at >= end) {
                            throw new NotForParallel("object at " + pack.offset(i) + " ends early");
                        }
                        in.clear();
                        in.limit((int) Math.min(in.capacity(), end - at));
                        int n = copy.read(in, at);
                        if (n <= 0) {
                            throw new NotForParallel("the pack's copy ends early");
                        }
                        at += n;
                        inflater.setInput(in.array(), 0, n);
                    }
                    int n = inflater.inflate(out, done, out.length - done);
                    done += n;
                    if (n == 0 && !inflater.finished() && !inflater.needsInput()) {
                        throw new NotForParallel("object at " + pack.offset(i) + " inflates to more than it declares");
                    }
                }
            } catch (DataFormatException e) {
                throw new NotForParallel(e.getMessage());
            }
            if (done != out.length) {
                throw new NotForParallel("object at " + pack.offset(i) + " inflates to less than it declares");
            }
            return out;
        }

        void end() {
            inflater.end();
        }
    }

    /** Counts {@code bytes} more (or, negative, fewer) held by all threads, within the cap. */
    private void hold(long bytes) throws NotForParallel {
        if (held.addAndGet(bytes) > heldCap) {
            throw new NotForParallel("resolving needs more than " + heldCap + " bytes at once");
        }
    }

    private void produce(long bytes) throws NotForParallel {
        rules.requireWithinBudget(produced.addAndGet(bytes), pack.length());
    }
}
