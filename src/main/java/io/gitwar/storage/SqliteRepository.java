package io.gitwar.storage;

import java.io.IOException;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase;
import org.eclipse.jgit.internal.storage.dfs.DfsRepository;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryBuilder;
import org.eclipse.jgit.lib.RefDatabase;

/**
 * A JGit repository whose objects and refs are read and written through one {@link StoreSession}.
 * Lives as long as its session; never shared between sessions.
 */
public final class SqliteRepository extends DfsRepository {

    private final StoreSession session;
    private final SqliteObjDatabase objectDatabase;
    private final SqliteRefDatabase refDatabase;

    private SqliteRepository(Builder builder) {
        super(builder);
        this.session = builder.session;
        this.objectDatabase = new SqliteObjDatabase(this, session);
        this.refDatabase = new SqliteRefDatabase(this, session);
    }

    @Override
    public DfsObjDatabase getObjectDatabase() {
        return objectDatabase;
    }

    @Override
    public RefDatabase getRefDatabase() {
        return refDatabase;
    }

    /** The session this repository reads and writes through. */
    public StoreSession session() {
        return session;
    }

    /** Builds a repository on a session; see {@link StoreSession#repository()}. */
    static final class Builder extends DfsRepositoryBuilder<Builder, SqliteRepository> {
        private StoreSession session;

        Builder setSession(StoreSession s) {
            this.session = s;
            return this;
        }

        @Override
        public SqliteRepository build() throws IOException {
            return new SqliteRepository(this);
        }
    }
}
