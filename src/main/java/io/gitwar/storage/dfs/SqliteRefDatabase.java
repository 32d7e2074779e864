package io.gitwar.storage.dfs;

import io.gitwar.storage.file.RefRows;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import org.eclipse.jgit.internal.storage.dfs.DfsRefDatabase;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectIdRef;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.ReflogEntry;
import org.eclipse.jgit.lib.ReflogReader;
import org.eclipse.jgit.lib.SymbolicRef;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.RefList;

/**
 * JGit's DFS ref database over the ref table of one transaction. Every stored ref carries its peeled
 * value (computed when written), so listing refs never reads objects.
 */
final class SqliteRefDatabase extends DfsRefDatabase {

    private final TransactionRows rows;

    SqliteRefDatabase(SqliteRepository repository, TransactionRows rows) {
        super(repository);
        this.rows = rows;
    }

    @Override
    protected RefCache scanAllRefs() throws IOException {
        RefList.Builder<Ref> ids = new RefList.Builder<>();
        RefList.Builder<Ref> sym = new RefList.Builder<>();
        for (RefRows.Row row : rows.refRows().all()) {
            Ref ref = toRef(row);
            ids.add(ref);
            if (ref.isSymbolic()) {
                sym.add(ref);
            }
        }
        ids.sort(); // SQLite orders UTF-8 bytes, RefList wants String order
        sym.sort();
        return new RefCache(ids.toRefList(), sym.toRefList());
    }

    @Override
    protected boolean compareAndPut(Ref oldRef, Ref newRef) throws IOException {
        requireWritable();
        return rows.refRows().compareAndPut(expected(oldRef), toRow(newRef));
    }

    @Override
    protected boolean compareAndRemove(Ref oldRef) throws IOException {
        requireWritable();
        RefRows.Expected expected = expected(oldRef);
        if (expected.absent()) {
            return false;
        }
        return rows.refRows().compareAndRemove(oldRef.getName(), expected);
    }

    @Override
    protected void cachePeeledState(Ref oldLeaf, Ref newLeaf) {
        // Stored refs are peeled already; and a read must never write.
    }

    @Override
    public boolean performsAtomicTransactions() {
        return true;
    }

    @Override
    public BatchRefUpdate newBatchUpdate() {
        return new SqliteBatchRefUpdate(this, rows.refRows());
    }

    @Override
    public ReflogReader getReflogReader(Ref ref) {
        return EmptyReflog.INSTANCE;
    }

    private static Ref toRef(RefRows.Row row) {
        if (row.target() != null) {
            return new SymbolicRef(row.name(), new ObjectIdRef.Unpeeled(Ref.Storage.NEW, row.target(), null));
        }
        ObjectId id = ObjectId.fromString(row.objectId());
        if (row.peeledId() != null) {
            return new ObjectIdRef.PeeledTag(Ref.Storage.PACKED, row.name(), id, ObjectId.fromString(row.peeledId()));
        }
        return new ObjectIdRef.PeeledNonTag(Ref.Storage.PACKED, row.name(), id);
    }

    private RefRows.Row toRow(Ref ref) throws IOException {
        if (ref.isSymbolic()) {
            return new RefRows.Row(ref.getName(), ref.getTarget().getName(), null, null);
        }
        Ref peeled = ref.isPeeled() ? ref : peelNow(ref);
        ObjectId peeledId = peeled.getPeeledObjectId();
        return new RefRows.Row(ref.getName(), null, ref.getObjectId().name(),
                peeledId == null ? null : peeledId.name());
    }

    private Ref peelNow(Ref ref) throws IOException {
        try (RevWalk rw = new RevWalk(getRepository())) {
            RevObject obj = rw.parseAny(ref.getObjectId());
            if (obj instanceof RevTag) {
                return new ObjectIdRef.PeeledTag(Ref.Storage.PACKED, ref.getName(), ref.getObjectId(),
                        rw.peel(obj).copy());
            }
            return new ObjectIdRef.PeeledNonTag(Ref.Storage.PACKED, ref.getName(), ref.getObjectId());
        }
    }

    private static RefRows.Expected expected(Ref oldRef) {
        if (oldRef == null) {
            return RefRows.Expected.ABSENT;
        }
        if (oldRef.isSymbolic()) {
            return new RefRows.Expected(oldRef.getTarget().getName(), null);
        }
        if (oldRef.getStorage() == Ref.Storage.NEW || oldRef.getObjectId() == null) {
            return RefRows.Expected.ABSENT;
        }
        return new RefRows.Expected(null, oldRef.getObjectId().name());
    }

    private void requireWritable() throws IOException {
        if (!rows.isWritable()) {
            throw new IOException("repository " + rows.repositoryName() + " is open read-only here");
        }
    }

    /** gitwar keeps no reflog: history of refs is the pushes' business, not the server's. */
    private static final class EmptyReflog implements ReflogReader {
        static final EmptyReflog INSTANCE = new EmptyReflog();

        @Override
        public ReflogEntry getLastEntry() {
            return null;
        }

        @Override
        public List<ReflogEntry> getReverseEntries() {
            return Collections.emptyList();
        }

        @Override
        public ReflogEntry getReverseEntry(int number) {
            return null;
        }

        @Override
        public List<ReflogEntry> getReverseEntries(int max) {
            return Collections.emptyList();
        }
    }
}
