package io.gitwar.service.admin;

import io.gitwar.config.GitwarConfig;
import io.gitwar.failure.RepositoryNotFound;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.DiskSpace;
import io.gitwar.service.Lease;
import io.gitwar.service.RepositoryName;
import io.gitwar.storage.StagedFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;

/**
 * Backups of live repositories: one SQLite file, consistent at one instant, written to the spool
 * directory by SQLite's {@code VACUUM INTO} in a read transaction of its own (pushes, fetches and
 * repacks go on meanwhile, and no write turn is taken), then sent and deleted.
 */
@ApplicationScoped
public class Backups {

    private final ActorRegistry registry;
    private final GitwarConfig config;
    private final DiskSpace disk;

    @Inject
    public Backups(ActorRegistry registry, GitwarConfig config, DiskSpace disk) {
        this.registry = registry;
        this.config = config;
        this.disk = disk;
    }

    /** For CDI's proxy; never called by gitwar. */
    protected Backups() {
        this(null, null, null);
    }

    /** A backup written and not sent yet; closing it deletes its file. Confined to one thread. */
    public static final class Backup implements AutoCloseable {
        private final StagedFile file;

        private Backup(StagedFile file) {
            this.file = file;
        }

        public long size() throws IOException {
            return file.size();
        }

        /** The backup's bytes, valid until it is closed. */
        public InputStream open() throws IOException {
            return file.open();
        }

        @Override
        public void close() {
            file.close();
        }
    }

    /**
     * Writes a backup of the repository as it is now.
     *
     * @throws RepositoryNotFound if it does not exist
     * @throws io.gitwar.failure.InsufficientStorage if the copy would take the disk below its floor
     */
    public Backup take(RepositoryName name) throws IOException {
        try (Lease lease = registry.lease(name)) {
            if (!lease.exists()) {
                throw new RepositoryNotFound("repository not found: " + name);
            }
            StagedFile file = registry.dataDirectory().scratch(config.spoolDir());
            try {
                disk.requireRoomFor(registry.dataDirectory().fileBytes(lease.name().value()), "the backup",
                        "backups are refused");
                lease.actor().copyTo(file);
                return new Backup(file);
            } catch (IOException | RuntimeException e) {
                file.close();
                throw e;
            }
        }
    }
}
