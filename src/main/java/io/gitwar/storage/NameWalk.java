package io.gitwar.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Lists repository names from the data directory's tree ({@link DataDirectory}'s layout: inner
 * segments are {@code <segment>.d} directories, the last is a {@code <segment>.git.sqlite} file),
 * a page at a time: sorted, after a cursor, at most a limit, keeping no more than the page in
 * memory. Directories that cannot hold a name of the page are not read. Entries starting with a
 * dot (staging, spool, trash) are gitwar's own and never names.
 */
final class NameWalk {

    private final String prefix;
    private final String after;
    private final int limit;
    /** The smallest names found so far, at most {@link #limit}. */
    private final TreeSet<String> page = new TreeSet<>();

    private NameWalk(String prefix, String after, int limit) {
        this.prefix = prefix == null ? "" : prefix;
        this.after = after;
        this.limit = limit;
    }

    static List<String> names(Path root, String prefix, String after, int limit) throws IOException {
        if (limit <= 0) {
            return List.of();
        }
        NameWalk walk = new NameWalk(prefix, after, limit);
        walk.walk(root, "");
        return new ArrayList<>(walk.page);
    }

    private void walk(Path dir, String namePrefix) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String n = entry.getFileName().toString();
                if (n.startsWith(".")) {
                    continue;
                }
                if (n.endsWith(DataDirectory.FILE_SUFFIX) && n.length() > DataDirectory.FILE_SUFFIX.length()) {
                    offer(namePrefix + n.substring(0, n.length() - DataDirectory.FILE_SUFFIX.length()));
                } else if (n.endsWith(DataDirectory.DIRECTORY_SUFFIX) && n.length() > DataDirectory.DIRECTORY_SUFFIX.length()) {
                    String inner = namePrefix + n.substring(0, n.length() - DataDirectory.DIRECTORY_SUFFIX.length()) + "/";
                    if (mayHold(inner) && Files.isDirectory(entry)) {
                        walk(entry, inner);
                    }
                }
            }
        } catch (NoSuchFileException | NotDirectoryException goneMeanwhile) {
            // a directory removed while it was listed holds nothing that existed throughout
        }
    }

    /** Whether names starting with {@code inner} can match the prefix and come after the cursor. */
    private boolean mayHold(String inner) {
        if (!inner.startsWith(prefix) && !prefix.startsWith(inner)) {
            return false;
        }
        // every name under inner sorts below a cursor that is greater and does not start with inner
        return after == null || after.startsWith(inner) || after.compareTo(inner) < 0;
    }

    private void offer(String name) {
        if (!name.startsWith(prefix) || (after != null && name.compareTo(after) <= 0)) {
            return;
        }
        page.add(name);
        if (page.size() > limit) {
            page.pollLast();
        }
    }
}
