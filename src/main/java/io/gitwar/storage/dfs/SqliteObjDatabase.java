package io.gitwar.storage.dfs;

import io.gitwar.storage.dfs.receive.BoundedPackParser;
import io.gitwar.storage.dfs.receive.PackDestination;
import io.gitwar.storage.file.ChunkChannel;
import io.gitwar.storage.file.ChunkOutputStream;
import io.gitwar.storage.file.Chunks;
import io.gitwar.storage.file.StoredFile;
import io.gitwar.storage.file.StoredPack;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase;
import org.eclipse.jgit.internal.storage.dfs.DfsOutputStream;
import org.eclipse.jgit.internal.storage.dfs.DfsPackDescription;
import org.eclipse.jgit.internal.storage.dfs.DfsPackFile;
import org.eclipse.jgit.internal.storage.dfs.DfsReaderOptions;
import org.eclipse.jgit.internal.storage.dfs.ReadableChannel;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectInserter;

/**
 * JGit's DFS object database over the pack tables of one transaction.
 *
 * <p>The pack list JGit keeps in memory belongs to this transaction's repository instance only, so a
 * pack that a push has written but not committed is invisible to every other transaction: they list packs
 * from their own snapshot. Pack names are random and never reused, because JGit's process-wide block
 * cache keys blocks by name: a rolled-back pack's cached blocks can then never be mistaken for
 * another pack's.
 */
final class SqliteObjDatabase extends DfsObjDatabase implements PackDestination {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SqliteRepository repository;
    private final TransactionRows rows;
    /** The packs received and committed in this transaction (a repository object lives as long as one). */
    private final List<DfsPackDescription> received = new ArrayList<>();

    SqliteObjDatabase(SqliteRepository repository, TransactionRows rows) {
        super(repository, new DfsReaderOptions());
        this.repository = repository;
        this.rows = rows;
    }

    /** JGit's inserter, with a pack parser that keeps within the repository's pack bounds. */
    @Override
    public ObjectInserter newInserter() {
        return BoundedPackParser.inserter(this, repository.packBounds());
    }

    // ---- where received packs go (the parallel parser writes as JGit's DFS parser does) ----

    @Override
    public DfsObjDatabase database() {
        return this;
    }

    @Override
    public DfsPackDescription newPack() throws IOException {
        return newPack(PackSource.RECEIVE);
    }

    @Override
    public DfsOutputStream write(DfsPackDescription desc, PackExt ext) throws IOException {
        return writeFile(desc, ext);
    }

    @Override
    public void commit(DfsPackDescription desc) throws IOException {
        commitPack(List.of(desc), null);
    }

    @Override
    public void rollback(DfsPackDescription desc) {
        rollbackPack(List.of(desc));
    }

    @Override
    public String abandonedReason() {
        return rows.packRows().abandonedReason();
    }

    @Override
    public String repositoryName() {
        return rows.repositoryName();
    }

    @Override
    protected DfsPackDescription newPack(PackSource source) throws IOException {
        requireWritable();
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        String name = "pack-" + System.currentTimeMillis() + "-" + HexFormat.of().formatHex(random)
                + "-" + source.name();
        return new SqlitePackDescription(getRepository().getDescription(), name, source);
    }

    @Override
    protected DfsOutputStream writeFile(DfsPackDescription desc, PackExt ext) throws IOException {
        requireWritable();
        long id = rows.packRows().createFile(desc.getPackName(), ext);
        ((SqlitePackDescription) desc).setFileId(ext, id);
        return new ChunkOutputStream(rows.packRows(), id);
    }

    @Override
    protected void commitPackImpl(Collection<DfsPackDescription> desc, Collection<DfsPackDescription> replaces)
            throws IOException {
        requireWritable();
        for (DfsPackDescription d : desc) {
            if (d.getLastModified() <= 0) {
                d.setLastModified(System.currentTimeMillis());
            }
            SqlitePackDescription pack = (SqlitePackDescription) d;
            if (d.getPackSource() == PackSource.RECEIVE) {
                ThinPackRepair.repairIfNeeded(rows.packRows(), pack);
            }
            rows.packRows().insertPack(stored(pack, checksum(pack)));
            if (d.getPackSource() == PackSource.RECEIVE) {
                received.add(d);
            }
        }
        if (replaces != null) {
            // Retired, not deleted: a dumb client may have listed them a moment ago (see Schema).
            Instant now = Instant.now();
            for (DfsPackDescription d : replaces) {
                rows.packRows().retirePack(d.getPackName(), now);
            }
        }
        clearCache();
    }

    @Override
    protected void rollbackPack(Collection<DfsPackDescription> desc) {
        // The transaction that wrote these files is rolled back by its owner anyway; deleting them
        // now only keeps a transaction that goes on (GC after a failed pack) from committing them.
        for (DfsPackDescription d : desc) {
            try {
                rows.packRows().deletePack(d.getPackName());
            } catch (IOException e) {
                // the rollback of the enclosing transaction removes them
            }
        }
    }

    @Override
    protected List<DfsPackDescription> listPacks() throws IOException {
        List<DfsPackDescription> packs = new ArrayList<>();
        for (StoredPack p : rows.packRows().list(false)) {
            SqlitePackDescription d = new SqlitePackDescription(getRepository().getDescription(), p.name(), p.source());
            d.setLastModified(p.lastModified().toEpochMilli());
            d.setObjectCount(p.objectCount());
            d.setDeltaCount(p.deltaCount());
            d.setIndexVersion(p.indexVersion());
            p.files().forEach((ext, file) -> {
                d.addFileExt(ext);
                d.setFileSize(ext, file.size());
                d.setBlockSize(ext, Chunks.SIZE);
                d.setFileId(ext, file.id());
            });
            packs.add(d);
        }
        return packs;
    }

    @Override
    protected ReadableChannel openFile(DfsPackDescription desc, PackExt ext) throws IOException {
        Long id = ((SqlitePackDescription) desc).fileId(ext);
        if (id == null) {
            throw new FileNotFoundException(desc.getFileName(ext));
        }
        return new ChunkChannel(rows.packRows(), id, desc.getFileSize(ext));
    }

    /**
     * The packs received in this transaction, as stored (a push's: what its replicas are sent), each
     * readable until the transaction ends.
     */
    public List<ShippedPack> receivedPacks() throws IOException {
        List<ShippedPack> packs = new ArrayList<>();
        for (DfsPackDescription d : received) {
            packs.add(new ShippedPack(Channels.newInputStream(openFile(d, PackExt.PACK)),
                    Channels.newInputStream(openFile(d, PackExt.INDEX)), d.getObjectCount()));
        }
        return packs;
    }

    @Override
    public long getApproximateObjectCount() {
        long count = 0;
        for (DfsPackFile p : getCurrentPacks()) {
            count += p.getPackDescription().getObjectCount();
        }
        return count;
    }

    /** The pack's trailing SHA-1, which names it for dumb clients exactly as git names its packs. */
    private String checksum(SqlitePackDescription d) throws IOException {
        long size = d.getFileSize(PackExt.PACK);
        if (!d.hasFileExt(PackExt.PACK) || size < Constants.OBJECT_ID_LENGTH) {
            throw new IOException("pack " + d.getPackName() + " has no pack file to commit");
        }
        ByteBuffer trailer = ByteBuffer.allocate(Constants.OBJECT_ID_LENGTH);
        try (ReadableChannel rc = openFile(d, PackExt.PACK)) {
            rc.position(size - trailer.capacity());
            while (trailer.hasRemaining() && rc.read(trailer) > 0) {
                // ChunkChannel fills as much as it can per call
            }
        }
        return HexFormat.of().formatHex(trailer.array());
    }

    /** The row to commit for a fully written pack. */
    private static StoredPack stored(SqlitePackDescription d, String checksum) {
        Map<PackExt, StoredFile> files = new EnumMap<>(PackExt.class);
        d.fileIds().forEach((ext, id) -> files.put(ext, new StoredFile(id, d.getFileSize(ext))));
        return new StoredPack(d.getPackName(), d.getPackSource(), Instant.ofEpochMilli(d.getLastModified()),
                d.getObjectCount(), d.getDeltaCount(), d.getIndexVersion(), checksum, null, files);
    }

    private void requireWritable() throws IOException {
        if (!rows.isWritable()) {
            throw new IOException("repository " + rows.repositoryName() + " is open read-only here");
        }
    }
}
