package io.gitwar.service.dumb;

import io.gitwar.config.GitwarConfig;
import io.gitwar.failure.RepositoryNotFound;
import io.gitwar.protocol.dumb.DumbListings;
import io.gitwar.service.Lease;
import io.gitwar.service.LoosePacks;
import io.gitwar.service.PackListings;
import io.gitwar.service.PackRoles;
import io.gitwar.service.StoredResource;
import io.gitwar.service.event.DumbFileSent;
import io.gitwar.service.event.FetchCompleted;
import io.gitwar.storage.ReadSnapshot;
import io.gitwar.storage.file.StoredFile;
import io.gitwar.storage.file.StoredPack;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase;
import org.eclipse.jgit.internal.storage.dfs.DfsPackFile;
import org.eclipse.jgit.internal.storage.dfs.DfsReader;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * The dumb protocol's files, from the request's snapshot: the generated listings ({@code HEAD},
 * {@code info/refs}, {@code objects/info/packs}) and the immutable files (packs, indexes, loose
 * objects). Everything returned is valid while the request's lease is held. Every method throws
 * {@link RepositoryNotFound} if the repository does not exist.
 *
 * <p>A ref listing ({@code info/refs}) is told as a dumb {@link FetchCompleted} (every dumb clone or
 * fetch begins with one), and what is read of a file for a client as {@link DumbFileSent}.
 */
@ApplicationScoped
public class DumbReads {

    private final GitwarConfig config;
    private final LoosePacks loosePacks;
    private final Event<FetchCompleted> fetches;
    private final Event<DumbFileSent> files;
    private final PackListings listings;

    @Inject
    public DumbReads(GitwarConfig config, LoosePacks loosePacks, Event<FetchCompleted> fetches,
            Event<DumbFileSent> files, PackListings listings) {
        this.config = config;
        this.loosePacks = loosePacks;
        this.fetches = fetches;
        this.files = files;
        this.listings = listings;
    }

    /** For CDI's proxy; never called by gitwar. */
    protected DumbReads() {
        this(null, null, null, null, null);
    }

    /** The {@code HEAD} file. */
    public String head(Lease lease) throws IOException {
        return DumbListings.head(lease.snapshot().repository().exactRef(Constants.HEAD));
    }

    /** The {@code info/refs} file. */
    public String infoRefs(Lease lease) throws IOException {
        long start = System.nanoTime();
        String listing = DumbListings.infoRefs(lease.snapshot().repository().getRefDatabase().getRefs());
        fetches.fire(new FetchCompleted(lease.name(), FetchCompleted.Protocol.DUMB, 0,
                Duration.ofNanos(System.nanoTime() - start)));
        return listing;
    }

    /**
     * The {@code objects/info/packs} file: the listed packs (see {@link PackRoles}), noted in
     * {@link PackListings} while the snapshot they were read from is still open, so that a repack
     * committed meanwhile keeps them for the client that is told their names.
     */
    public String packList(Lease lease) throws IOException {
        ReadSnapshot snapshot = lease.snapshot();
        List<StoredPack> packs = snapshot.packs();
        Set<String> looseServed = loosePacks.of(snapshot, packs, config.repack().unpackLimit());
        listings.listed(lease.name(), packs.stream().filter(p -> PackRoles.listed(p, looseServed))
                .map(StoredPack::name).toList());
        return DumbListings.packs(PackRoles.listedNames(packs, looseServed));
    }

    /**
     * A pack's file by the name clients know ({@code pack-<checksum>}) and extension ({@code pack},
     * {@code idx}). Packs a repack replaced a short while ago are still found here (the grace period
     * of {@code gitwar.repack.replaced-pack-grace-minutes}), so a clone that listed them can finish.
     */
    public Optional<StoredResource> packFile(Lease lease, String publicName, String extension) throws IOException {
        PackExt ext = extension.equals("pack") ? PackExt.PACK : extension.equals("idx") ? PackExt.INDEX : null;
        if (ext == null || !publicName.startsWith("pack-")) {
            return Optional.empty();
        }
        ReadSnapshot snapshot = lease.snapshot();
        Optional<StoredPack> pack = snapshot.packByChecksum(publicName.substring("pack-".length()));
        if (pack.isEmpty() || pack.get().file(ext) == null) {
            return Optional.empty();
        }
        StoredPack p = pack.get();
        return Optional.of(new Counted(lease, new PackFileResource(snapshot, p.file(ext), p.lastModified(),
                p.checksum())));
    }

    /**
     * An object on the loose route ({@code objects/xx/yyyy}) in git's loose encoding, if it arrived in
     * a loose-served push (see {@link PackRoles}), or shortly before a repack folded such pushes into
     * a pack (see {@link #arrivalBeforeARepack}). Any other object answers 404 here, and git then
     * finds it through {@code objects/info/packs}: the large ones, and those of bigger pushes. Only
     * indexes and object headers are read here; the object is encoded when its length or bytes are
     * asked for (not for a 304). The caller closes the resource.
     */
    public Optional<StoredResource> looseObject(Lease lease, String hexId) throws IOException {
        ObjectId id = ObjectId.fromString(hexId);
        ReadSnapshot snapshot = lease.snapshot();
        int unpackLimit = config.repack().unpackLimit();
        if (snapshot.packsIncludingRetired().stream()
                .noneMatch(p -> PackRoles.smallPush(p.source(), p.objectCount(), unpackLimit))) {
            // A dumb clone asks here first for every object it walks to (28 requests for a clone of
            // 41k objects); without a small push nothing can answer, so skip opening the object database.
            return Optional.empty();
        }
        DfsObjDatabase odb = snapshot.repository().getObjectDatabase();
        Map<String, StoredPack> stored = new HashMap<>();
        for (StoredPack p : snapshot.packs()) {
            stored.put(p.name(), p);
        }
        Instant arrived = null;
        try (DfsReader reader = odb.newReader()) {
            for (DfsPackFile pack : odb.getPacks()) {
                StoredPack p = stored.get(pack.getPackDescription().getPackName());
                if (p != null && PackRoles.smallPush(p.source(), p.objectCount(), unpackLimit)
                        && pack.hasObject(reader, id) && loosePacks.isLooseServed(snapshot, p, unpackLimit)) {
                    Instant t = p.lastModified();
                    arrived = arrived == null || t.isBefore(arrived) ? t : arrived; // stable: the first arrival
                }
            }
            if (arrived == null) {
                arrived = arrivalBeforeARepack(snapshot, id, unpackLimit);
            }
            if (arrived == null || !reader.has(id)) {
                return Optional.empty();
            }
        }
        Repository repository = snapshot.repository();
        return Optional.of(new Counted(lease, new LooseObject(id, arrived, () -> repository.open(id))));
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
    private Instant arrivalBeforeARepack(ReadSnapshot snapshot, ObjectId id, int unpackLimit) throws IOException {
        // small pushes have fewer than unpack-limit objects: a few KiB of index each
        Optional<StoredPack> retired = snapshot.retiredPackHolding(id,
                p -> PackRoles.smallPush(p.source(), p.objectCount(), unpackLimit));
        if (retired.isEmpty() || !loosePacks.isLooseServed(snapshot, retired.get(), unpackLimit)) {
            return null;
        }
        return retired.get().lastModified();
    }

    /** A file whose bytes read for the client are told as {@link DumbFileSent} when its stream closes. */
    private final class Counted implements StoredResource {
        private final Lease lease;
        private final StoredResource file;

        Counted(Lease lease, StoredResource file) {
            this.lease = lease;
            this.file = file;
        }

        @Override
        public long length() throws IOException {
            return file.length();
        }

        @Override
        public Instant lastModified() {
            return file.lastModified();
        }

        @Override
        public String validator() {
            return file.validator();
        }

        @Override
        public InputStream open(long offset, long length) throws IOException {
            return new CountingStream(file.open(offset, length));
        }

        /** Counts what is read; streams that write straight to the client keep doing so ({@code transferTo}). */
        private final class CountingStream extends FilterInputStream {
            private long read;

            CountingStream(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                int b = super.read();
                read += b < 0 ? 0 : 1;
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                int n = super.read(buffer, off, len);
                read += Math.max(0, n);
                return n;
            }

            @Override
            public long transferTo(OutputStream out) throws IOException {
                return in.transferTo(new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                        read += len;
                    }

                    @Override
                    public void write(int b) throws IOException {
                        out.write(b);
                        read++;
                    }
                });
            }

            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    if (read > 0) {
                        files.fire(new DumbFileSent(lease.name(), read));
                        read = 0;
                    }
                }
            }
        }

        @Override
        public void close() {
            file.close();
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
