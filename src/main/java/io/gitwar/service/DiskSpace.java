package io.gitwar.service;

import io.gitwar.config.GitwarConfig;
import io.gitwar.failure.InsufficientStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The free space of the file system that holds the data directory (repositories, spooled push
 * bodies, staged new repositories), and the floor it keeps ({@code gitwar.min-free-disk-mib}):
 * pushes are refused before they take it below the floor, so that a full disk never fails the
 * server's own writes. Thread-safe and cheap (one {@code statvfs}); a health check can ask it too.
 */
@ApplicationScoped
public class DiskSpace {

    private static final long MIB = 1 << 20;

    private final GitwarConfig config;

    @Inject
    public DiskSpace(GitwarConfig config) {
        this.config = config;
    }

    /** For CDI's proxy; never called by gitwar. */
    protected DiskSpace() {
        this(null);
    }

    /** Bytes free for gitwar on the data directory's file system; -1 when it cannot be told. */
    public long freeBytes() {
        try {
            return Files.getFileStore(nearestExisting(config.dataDir())).getUsableSpace();
        } catch (IOException | SecurityException e) {
            return -1;
        }
    }

    /** The free space pushes leave. */
    public long floorBytes() {
        return config.limits().minFreeDiskBytes();
    }

    /** False when less than the floor is free (what a health check reports). */
    public boolean aboveFloor() {
        long free = freeBytes();
        return free < 0 || free >= floorBytes();
    }

    /**
     * Refuses to write {@code bytes} more if that would leave less than the floor free. When the free
     * space cannot be told, it does not refuse: the write itself then fails if the disk is full.
     *
     * @throws InsufficientStorage naming what is free and the floor
     */
    public void requireRoomFor(long bytes) {
        requireRoomFor(bytes, "this push", "pushes are refused");
    }

    /**
     * Like {@link #requireRoomFor(long)}, for something else than a push: {@code what} needs the
     * bytes ("this copy"), {@code refusal} says what is refused ("copies are refused").
     */
    public void requireRoomFor(long bytes, String what, String refusal) {
        long free = freeBytes();
        if (free >= 0 && free - Math.max(0, bytes) < floorBytes()) {
            throw new InsufficientStorage("the server's disk is nearly full (" + free / MIB + " MiB free, "
                    + (bytes > 0 ? what + " needs about " + ceilMib(bytes) + " MiB, " : "")
                    + "the server keeps " + floorBytes() / MIB + " MiB free): " + refusal);
        }
    }

    private static long ceilMib(long bytes) {
        return (bytes + MIB - 1) / MIB;
    }

    /** The data directory may not exist before the first push: its file system is that of its parent. */
    private static Path nearestExisting(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? dir.toAbsolutePath().getRoot() : p;
    }
}
