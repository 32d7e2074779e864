package io.gitwar.service;

import io.gitwar.storage.ReadSnapshot;
import io.gitwar.storage.StoredFile;
import io.gitwar.storage.StoredPack;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.Constants;

/**
 * What one request reads of a repository: a consistent snapshot, opened on first use and closed with
 * the view. Everything returned is valid until {@link #close()}. Confined to the request's thread.
 */
public final class RepositoryView implements AutoCloseable {

    private final RepositoryActor actor;
    private ReadSnapshot snapshot;

    RepositoryView(RepositoryActor actor) {
        this.actor = actor;
    }

    public RepositoryName name() {
        return actor.name();
    }

    /** True once something was pushed to the repository. */
    public boolean exists() {
        return snapshot != null || actor.exists();
    }

    /** The dumb {@code HEAD} file. */
    public String headFile() throws IOException {
        return DumbListings.head(snapshot().repository().exactRef(Constants.HEAD));
    }

    /** The dumb {@code info/refs} file. */
    public String infoRefs() throws IOException {
        return DumbListings.infoRefs(snapshot().repository().getRefDatabase().getRefs());
    }

    /** The dumb {@code objects/info/packs} file. */
    public String packList() throws IOException {
        return DumbListings.packs(snapshot().packs());
    }

    /**
     * A pack's file by the name clients know ({@code pack-<checksum>}) and extension ({@code pack},
     * {@code idx}).
     */
    public Optional<StoredResource> packFile(String publicName, String extension) throws IOException {
        PackExt ext = extension.equals("pack") ? PackExt.PACK : extension.equals("idx") ? PackExt.INDEX : null;
        if (ext == null) {
            return Optional.empty();
        }
        for (StoredPack p : snapshot().packs()) {
            StoredFile f = p.file(ext);
            if (p.publicName().equals(publicName) && f != null) {
                return Optional.of(new PackFileResource(snapshot(), f, p.lastModified(), p.checksum()));
            }
        }
        return Optional.empty();
    }

    /**
     * An object served on the loose route ({@code objects/xx/yyyy}). None yet: every object lives in
     * a pack listed in {@code objects/info/packs}, where git looks after a 404 here.
     */
    public Optional<StoredResource> looseObject(String hexId) throws IOException {
        snapshot(); // a missing repository answers 404 as such
        return Optional.empty();
    }

    ReadSnapshot snapshot() throws IOException {
        if (snapshot == null) {
            snapshot = actor.openSnapshot();
        }
        return snapshot;
    }

    @Override
    public void close() {
        if (snapshot != null) {
            snapshot.close();
            snapshot = null;
        }
    }

    private record PackFileResource(ReadSnapshot snapshot, StoredFile file, Instant lastModified,
            String validator) implements StoredResource {

        @Override
        public long length() {
            return file.size();
        }

        @Override
        public InputStream open(long offset, long length) throws IOException {
            return snapshot.openFile(file, offset, length);
        }
    }
}
