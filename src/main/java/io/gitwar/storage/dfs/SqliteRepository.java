package io.gitwar.storage.dfs;

import io.gitwar.storage.dfs.receive.PackBounds;
import java.io.IOException;
import java.util.List;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase;
import org.eclipse.jgit.internal.storage.dfs.DfsRepository;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryBuilder;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.lib.RefDatabase;

/**
 * A JGit repository whose objects and refs are read and written through one transaction's rows.
 * Lives as long as that transaction; never shared between transactions. Whoever opened it closes it.
 */
public final class SqliteRepository extends DfsRepository {

    private final SqliteObjDatabase objectDatabase;
    private final SqliteRefDatabase refDatabase;
    private PackBounds packBounds = PackBounds.DEFAULT;

    private SqliteRepository(Builder builder) {
        super(builder);
        this.objectDatabase = new SqliteObjDatabase(this, builder.rows);
        this.refDatabase = new SqliteRefDatabase(this, builder.rows);
    }

    /** A repository over {@code rows}. */
    public static SqliteRepository open(TransactionRows rows) throws IOException {
        return new Builder(rows).setRepositoryDescription(new DfsRepositoryDescription(rows.repositoryName())).build();
    }

    /** What a pack received into this repository may cost (see {@link io.gitwar.storage.dfs.receive.BoundedPackParser}). */
    public void setPackBounds(PackBounds bounds) {
        this.packBounds = bounds;
    }

    PackBounds packBounds() {
        return packBounds;
    }

    @Override
    public DfsObjDatabase getObjectDatabase() {
        return objectDatabase;
    }

    /** The packs received in this repository's transaction, as stored (see {@link SqliteObjDatabase#receivedPacks}). */
    public List<ShippedPack> receivedPacks() throws IOException {
        return objectDatabase.receivedPacks();
    }

    @Override
    public RefDatabase getRefDatabase() {
        return refDatabase;
    }

    private static final class Builder extends DfsRepositoryBuilder<Builder, SqliteRepository> {
        private final TransactionRows rows;

        Builder(TransactionRows rows) {
            this.rows = rows;
        }

        @Override
        public SqliteRepository build() throws IOException {
            return new SqliteRepository(this);
        }
    }
}
