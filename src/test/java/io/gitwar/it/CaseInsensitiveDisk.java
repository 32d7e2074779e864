package io.gitwar.it;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real case-insensitive file system for a test: exFAT (what Windows and macOS put on removable
 * disks; it finds {@code App} under {@code app}), made in an image file, attached to a loop device
 * and mounted through FUSE ({@code exfatprogs}, {@code exfat-fuse}; the kernel here has neither
 * vfat nor ext4 casefold). Needs root, {@code /dev/fuse} and a free loop device: where any is
 * missing the test is skipped with the reason. No hard links there: gitwar renames instead.
 */
final class CaseInsensitiveDisk implements AutoCloseable {

    private final Path mountPoint;
    private final String loopDevice;

    private CaseInsensitiveDisk(Path mountPoint, String loopDevice) {
        this.mountPoint = mountPoint;
        this.loopDevice = loopDevice;
    }

    /** Mounts a new, empty {@code sizeMiB} exFAT file system at {@code work/mnt} (its image in {@code work}). */
    static CaseInsensitiveDisk mount(Path work, int sizeMiB) throws Exception {
        Path image = work.resolve("exfat.img");
        Path mountPoint = Files.createDirectories(work.resolve("mnt"));
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength((long) sizeMiB << 20); // sparse
        }
        String loop;
        try {
            run("mkfs.exfat", image.toString());
            loop = run("losetup", "--find", "--show", image.toString()).trim();
        } catch (IOException e) {
            Assumptions.abort("no case-insensitive file system here: " + e.getMessage());
            throw e;
        }
        try {
            run("mount.exfat-fuse", loop, mountPoint.toString());
        } catch (IOException e) {
            run("losetup", "--detach", loop);
            Assumptions.abort("no case-insensitive file system here: " + e.getMessage());
        }
        return new CaseInsensitiveDisk(mountPoint, loop);
    }

    Path path() {
        return mountPoint;
    }

    @Override
    public void close() throws Exception {
        try {
            run("umount", mountPoint.toString());
        } finally {
            run("losetup", "--detach", loopDevice);
        }
    }

    /** Runs a command to its end (at most a minute); its output, or an IOException saying why it failed. */
    private static String run(String... command) throws IOException, InterruptedException {
        // output to a file, not a pipe: a daemon the command leaves behind must not hold our reader open
        Path out = Files.createTempFile("command", ".txt");
        try {
            Process p;
            try {
                p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            } catch (IOException e) {
                throw new IOException(command[0] + " cannot run (" + e.getMessage() + ")", e);
            }
            if (!p.waitFor(1, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(command[0] + " timed out");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + text.strip());
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
