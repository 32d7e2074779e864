package io.gitwar.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Removed repositories kept for a while: each in a directory {@code <millis>-<id>} of the trash
 * directory, with its files as they were and a file {@code name} holding the repository's name. To
 * bring one back, an operator copies its {@code .git.sqlite} file (with its {@code -wal}, if any) to
 * the repository's place, or restores it through the API.
 */
final class Trash {

    private static final Logger LOG = Logger.getLogger(Trash.class.getName());

    private Trash() {
    }

    /** Moves {@code file} and its companions (same name plus a suffix) into a new entry of {@code trash}. */
    static void keep(Path trash, String name, Path file, List<String> companionSuffixes) throws IOException {
        Path entry = Files.createDirectories(trash.resolve(System.currentTimeMillis() + "-" + UUID.randomUUID()));
        Files.writeString(entry.resolve("name"), name + "\n", StandardCharsets.UTF_8);
        // the file first: a reader never opens it once the name is held, and its WAL follows it
        Files.move(file, entry.resolve(file.getFileName()));
        for (String suffix : companionSuffixes) {
            Path companion = file.resolveSibling(file.getFileName() + suffix);
            if (Files.exists(companion)) {
                Files.move(companion, entry.resolve(companion.getFileName()));
            }
        }
        SqliteStore.syncDirectory(trash);
    }

    /** Deletes the entries older than {@code keep}; entries it cannot read the age of are left alone. */
    static void empty(Path trash, Duration keep) {
        if (!Files.isDirectory(trash)) {
            return;
        }
        long cutoff = Instant.now().minus(keep).toEpochMilli();
        try (Stream<Path> entries = Files.list(trash)) {
            for (Path entry : entries.toList()) {
                String n = entry.getFileName().toString();
                int dash = n.indexOf('-');
                try {
                    if (dash > 0 && Long.parseLong(n.substring(0, dash)) < cutoff) {
                        deleteTree(entry);
                        LOG.info(() -> "emptied " + entry + " from the trash");
                    }
                } catch (NumberFormatException notOurs) {
                    // an entry gitwar did not make: the operator's
                }
            }
        } catch (IOException e) {
            LOG.warning(() -> "cannot empty the trash " + trash + ": " + e.getMessage());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
