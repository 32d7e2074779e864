package io.gitwar.service;

import io.gitwar.storage.ReadSnapshot;
import io.gitwar.storage.StoredFile;
import io.gitwar.storage.StoredPack;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase;
import org.eclipse.jgit.internal.storage.dfs.DfsPackDescription;
import org.eclipse.jgit.internal.storage.dfs.DfsPackFile;
import org.eclipse.jgit.internal.storage.dfs.DfsReader;
import org.eclipse.jgit.internal.storage.file.PackIndex;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;

/**
 * What one request reads of a repository: a consistent snapshot, opened on first use and closed with
 * the view. Everything returned is valid until {@link #close()}. Confined to the request's thread.
 */
public final class RepositoryView implements AutoCloseable {

    private final RepositoryActor actor;
    private final GitwarConfig config;
    private final List<LooseObject> encoded = new ArrayList<>();
    private ReadSnapshot snapshot;

    RepositoryView(RepositoryActor actor, GitwarConfig config) {
        this.actor = actor;
        this.config = config;
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
        return DumbListings.packs(snapshot().packs(), config.maintenance().unpackLimit());
    }

    /**
     * A pack's file by the name clients know ({@code pack-<checksum>}) and extension ({@code pack},
     * {@code idx}). Packs a repack replaced a short while ago are still found here (see
     * {@link MaintenanceConfig#replacedPackGrace()}), so a clone that listed them before can finish.
     * The name is the checksum of the pack's bytes, so any two packs found under one name hold the
     * same bytes, and their v2 indexes, a function of those bytes, too.
     */
    public Optional<StoredResource> packFile(String publicName, String extension) throws IOException {
        PackExt ext = extension.equals("pack") ? PackExt.PACK : extension.equals("idx") ? PackExt.INDEX : null;
        if (ext == null) {
            return Optional.empty();
        }
        for (StoredPack p : snapshot().packsIncludingRetired()) {
            StoredFile f = p.file(ext);
            if (p.publicName().equals(publicName) && f != null) {
                return Optional.of(new PackFileResource(snapshot(), f, p.lastModified(), p.checksum()));
            }
        }
        return Optional.empty();
    }

    /**
     * An object on the loose route ({@code objects/xx/yyyy}) in git's loose encoding, if it arrived in
     * a push of fewer than {@code gitwar.receive.unpack-limit} objects (see {@link PackRoles}), or
     * shortly after a repack folded such pushes into a pack (see {@link #heldAfterARepack}). Any other
     * object answers 404 here, and git then finds it through {@code objects/info/packs}.
     */
    public Optional<StoredResource> looseObject(String hexId) throws IOException {
        ObjectId id = ObjectId.fromString(hexId);
        DfsObjDatabase odb = snapshot().repository().getObjectDatabase();
        int unpackLimit = config.maintenance().unpackLimit();
        try (DfsReader reader = odb.newReader()) {
            Instant arrived = null;
            for (DfsPackFile pack : odb.getPacks()) {
                DfsPackDescription d = pack.getPackDescription();
                if (PackRoles.looseServed(d.getPackSource().name(), d.getObjectCount(), unpackLimit)
                        && pack.hasObject(reader, id)) {
                    Instant t = Instant.ofEpochMilli(d.getLastModified());
                    arrived = arrived == null || t.isBefore(arrived) ? t : arrived; // stable: the first arrival
                }
            }
            if (arrived == null) {
                arrived = heldAfterARepack(id, unpackLimit);
            }
            if (arrived == null) {
                return Optional.empty();
            }
            LooseObject object = LooseObject.encode(id, reader.open(id), arrived, config.spoolDir());
            encoded.add(object);
            return Optional.of(object);
        }
    }

    /**
     * A repack folds loose-served packs into a listed pack. A dumb clone that began before it read
     * the old pack list (git reads it once per fetch) and asks for those objects loose; 404 would
     * make it fail ("Unable to find ..."). So while packs that were loose-served are retired but
     * still kept (their grace period), the objects they hold stay on the loose route, read from
     * wherever they are now. Only those: every other object is still found through the pack list, so
     * a dumb clone after a repack downloads the new pack rather than every object one by one.
     * Returns when the object's retired pack arrived, or null.
     */
    private Instant heldAfterARepack(ObjectId id, int unpackLimit) throws IOException {
        for (StoredPack p : snapshot().packsIncludingRetired()) {
            StoredFile index = p.file(PackExt.INDEX);
            if (p.retired() && index != null && PackRoles.looseServed(p.source(), p.objectCount(), unpackLimit)) {
                // fewer than unpack-limit objects: a few KiB of index
                try (InputStream in = snapshot().openFile(index, 0, index.size())) {
                    if (PackIndex.read(in).hasObject(id)) {
                        return p.lastModified();
                    }
                }
            }
        }
        return null;
    }

    ReadSnapshot snapshot() throws IOException {
        if (snapshot == null) {
            snapshot = actor.openSnapshot();
        }
        return snapshot;
    }

    @Override
    public void close() {
        encoded.forEach(LooseObject::discard);
        encoded.clear();
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
