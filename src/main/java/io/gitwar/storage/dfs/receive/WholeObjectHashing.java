package io.gitwar.storage.dfs.receive;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.PackedObjectInfo;
import org.eclipse.jgit.util.sha1.SHA1;

/**
 * Hashes and checks whole objects on a second thread while the first pass ({@link PackScan}) goes on
 * reading and inflating: hashing is most of that pass's time. At most {@link #BUDGET} bytes wait at
 * once; an object that would exceed it is the scan's to hash itself, so the scan never waits.
 */
final class WholeObjectHashing implements AutoCloseable {

    /** Inflated bytes handed over and not hashed yet, at most. */
    static final long BUDGET = 4 << 20;

    private record Work(int index, long at, int type, int crc, byte[] data) {
    }

    private static final Work END = new Work(-1, 0, 0, 0, null);

    private final ScannedPack pack;
    private final ParseRules rules;
    private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final AtomicLong waiting = new AtomicLong();
    private final Thread thread;
    private volatile Throwable failure;
    private boolean ended;

    WholeObjectHashing(ScannedPack pack, ParseRules rules) {
        this.pack = pack;
        this.rules = rules;
        this.thread = new Thread(this::run, "gitwar-hash");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether {@code data} fits the budget now: then it is hashed there, else the caller hashes it. */
    boolean fits(long bytes) {
        return waiting.get() + bytes <= BUDGET && failure == null;
    }

    /** Hands over object {@code index} (whole, at {@code at}), which {@link #fits}. */
    void hash(int index, long at, int type, int crc, byte[] data) {
        waiting.addAndGet(data.length);
        queue.add(new Work(index, at, type, crc, data));
    }

    /** Waits until every object handed over is hashed; its ids are then in the pack. */
    void finish() throws IOException {
        end();
        NotForParallel.rethrow(failure);
    }

    /** Stops the thread (at once if the scan failed: what waits is dropped). */
    @Override
    public void close() {
        if (!ended) {
            queue.clear();
            end();
        }
    }

    private void end() {
        ended = true;
        queue.add(END);
        if (NotForParallel.join(thread)) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        SHA1 hasher = SHA1.newInstance();
        try {
            for (Work w = queue.take(); w != END; w = queue.take()) {
                if (failure == null) {
                    pack.resolved(w.index(), hash(hasher, w));
                }
                waiting.addAndGet(-w.data().length);
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private PackedObjectInfo hash(SHA1 hasher, Work w) throws IOException {
        SHA1 h = hasher.reset();
        h.update(Constants.encodedTypeString(w.type()));
        h.update((byte) ' ');
        h.update(Constants.encodeASCII(w.data().length));
        h.update((byte) 0);
        h.update(w.data());
        ObjectId id = h.toObjectId();
        rules.check(id, w.type(), w.data());
        return PackScan.info(id, w.at(), w.type(), w.data().length, w.crc());
    }
}
