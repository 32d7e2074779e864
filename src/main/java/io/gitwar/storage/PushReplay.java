package io.gitwar.storage;

import io.gitwar.storage.dfs.ShippedPack;
import io.gitwar.storage.dfs.receive.PackDestination;
import io.gitwar.storage.file.Chunks;
import io.gitwar.storage.file.OutboxRows;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.eclipse.jgit.internal.storage.dfs.DfsOutputStream;
import org.eclipse.jgit.internal.storage.dfs.DfsPackDescription;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * Replays on a replica what a push stored on its primary: the packs as the primary stored them
 * (pack and index, byte for byte: the primary's parser already checked every object) and its ref
 * updates with the same compare-and-swap, in the replica's write transaction, only on the generation
 * the push followed, with what the primary recorded of the copies and the webhook deliveries it owes.
 * So replicas that applied the same pushes in the same order hold the same refs
 * and objects, and one that missed a push refuses the next instead of diverging.
 */
public final class PushReplay {

    private PushReplay() {
    }

    /** One ref the push moved: {@code oldId} or {@code newId} zero for a creation or a deletion. */
    public record RefChange(String name, ObjectId oldId, ObjectId newId) {
    }

    /** The replica is not at the generation the push followed: it missed pushes, or has more. */
    public static final class GenerationMismatch extends IOException {
        private static final long serialVersionUID = 1L;
        private final long have;

        GenerationMismatch(long have, long expected) {
            super("the replica is at generation " + have + ", the push follows " + expected);
            this.have = have;
        }

        /** The replica's generation. */
        public long have() {
            return have;
        }
    }

    /**
     * Stores {@code packs} and moves {@code refs} in {@code tx}, if the repository is at generation
     * {@code follows}; the caller commits. Nothing is stored if this throws (the caller rolls back).
     *
     * @return the generation with this push
     * @throws GenerationMismatch if the repository is not at {@code follows}
     * @throws IOException if a ref does not hold the old id the primary saw (the replica diverged)
     */
    public static long apply(WriteTransaction tx, long follows, List<ShippedPack> packs, List<RefChange> refs,
            Instant at, String copies, List<OutboxRows.Pending> outbox) throws IOException {
        long have = tx.generation();
        if (have != follows) {
            throw new GenerationMismatch(have, follows);
        }
        PackDestination destination = (PackDestination) tx.repository().getObjectDatabase();
        for (ShippedPack shipped : packs) {
            DfsPackDescription d = destination.newPack();
            store(destination, d, PackExt.PACK, shipped.pack());
            store(destination, d, PackExt.INDEX, shipped.index());
            d.setIndexVersion(2);
            d.setObjectCount(shipped.objectCount());
            destination.commit(d);
        }
        BatchRefUpdate batch = tx.repository().getRefDatabase().newBatchUpdate();
        batch.setAtomic(true);
        for (RefChange r : refs) {
            batch.addCommand(new ReceiveCommand(r.oldId(), r.newId(), r.name()));
        }
        try (RevWalk walk = new RevWalk(tx.repository())) {
            batch.execute(walk, NullProgressMonitor.INSTANCE);
        }
        for (ReceiveCommand c : batch.getCommands()) {
            if (c.getResult() != ReceiveCommand.Result.OK) {
                throw new IOException("ref " + c.getRefName() + " on the replica: " + c.getResult()
                        + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"));
            }
        }
        tx.recordCopies(copies);
        tx.outbox().replaceAll(outbox);
        return tx.recordPush(at);
    }

    private static void store(PackDestination destination, DfsPackDescription d, PackExt ext, InputStream in)
            throws IOException {
        long n = 0;
        try (DfsOutputStream out = destination.write(d, ext)) {
            byte[] buffer = new byte[64 * 1024];
            for (int r; (r = in.read(buffer)) >= 0;) {
                out.write(buffer, 0, r);
                n += r;
            }
            d.addFileExt(ext);
            d.setFileSize(ext, n);
            // as the receive path sizes them (ParallelPackParser): a pack's in whole multiples up to a chunk
            d.setBlockSize(ext, ext == PackExt.PACK ? blockSize(out) : out.blockSize());
        }
    }

    private static int blockSize(DfsOutputStream out) {
        int size = out.blockSize();
        if (size <= 0) {
            return Chunks.SIZE;
        }
        return size < Chunks.SIZE ? (Chunks.SIZE / size) * size : size;
    }
}
