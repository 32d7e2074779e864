package io.gitwar.storage.dfs;

import io.gitwar.storage.file.Chunks;
import io.gitwar.storage.file.PackRows;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.util.NB;

/**
 * Makes a received thin pack a valid pack file for clients that download it whole.
 *
 * <p>JGit's DFS pack parser completes a thin pack by appending the delta bases it lacked, but keeps
 * the header's object count as the client sent it (its file-based parser rewrites the header; the
 * DFS one does not, because JGit itself reads packs only through their index). git's dumb client
 * runs index-pack on the raw file, stops after the header's count and reports the pack corrupt. So
 * when the counts differ, the header is corrected and the pack's trailing checksum, and the copy of
 * it at the end of the index, are recomputed. Only thin pushes pay for this, and they are small.
 */
final class ThinPackRepair {

    private static final int HEADER_COUNT_OFFSET = 8;
    private static final int SHA1 = 20;

    private ThinPackRepair() {
    }

    /** Repairs the pack and its index if the pack's header undercounts its objects. */
    static void repairIfNeeded(PackRows rows, SqlitePackDescription d) throws IOException {
        Long packId = d.fileId(PackExt.PACK);
        Long idxId = d.fileId(PackExt.INDEX);
        if (packId == null || idxId == null) {
            return;
        }
        byte[] first = rows.readChunk(packId, 0);
        if (first == null || first.length < 12 || NB.decodeUInt32(first, HEADER_COUNT_OFFSET) == d.getObjectCount()) {
            return;
        }
        NB.encodeInt32(first, HEADER_COUNT_OFFSET, (int) d.getObjectCount());
        rows.replaceChunk(packId, 0, first);

        long packSize = d.getFileSize(PackExt.PACK);
        byte[] packChecksum = sha1(rows, packId, packSize - SHA1);
        patch(rows, packId, packSize - SHA1, packChecksum);

        long idxSize = d.getFileSize(PackExt.INDEX);
        patch(rows, idxId, idxSize - 2 * SHA1, packChecksum); // v2 index: pack checksum, then its own
        patch(rows, idxId, idxSize - SHA1, sha1(rows, idxId, idxSize - SHA1));
    }

    private static byte[] sha1(PackRows rows, long fileId, long length) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
        for (long seq = 0, done = 0; done < length; seq++) {
            byte[] chunk = rows.readChunk(fileId, seq);
            if (chunk == null) {
                throw new IOException("chunk " + seq + " of file " + fileId + " is missing");
            }
            int n = (int) Math.min(chunk.length, length - done);
            md.update(chunk, 0, n);
            done += n;
        }
        return md.digest();
    }

    /** Overwrites bytes at {@code position}; they may straddle two chunks. */
    private static void patch(PackRows rows, long fileId, long position, byte[] bytes) throws IOException {
        int written = 0;
        while (written < bytes.length) {
            long pos = position + written;
            long seq = pos / Chunks.SIZE;
            byte[] chunk = rows.readChunk(fileId, seq);
            if (chunk == null) {
                throw new IOException("chunk " + seq + " of file " + fileId + " is missing");
            }
            int from = (int) (pos % Chunks.SIZE);
            int n = Math.min(bytes.length - written, chunk.length - from);
            System.arraycopy(bytes, written, chunk, from, n);
            rows.replaceChunk(fileId, seq, chunk);
            written += n;
        }
    }
}
