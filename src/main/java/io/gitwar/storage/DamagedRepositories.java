package io.gitwar.storage;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Logger;

/**
 * The repositories of a data directory that gitwar cannot serve, and why: a file that is not a
 * gitwar repository (not SQLite, empty, without gitwar's tables, of a newer gitwar), or an old-layout
 * file the start could not move. Such a file is never written to; requests for it fail with
 * {@link RepositoryDamagedException}. Each is logged once per start (not per request), and the
 * health check and the API read {@link #all()}.
 *
 * <p>Thread-safe. A damaged file is looked at again by every request, so a file the administrator
 * repaired is served again (and leaves this list); a repository left in the old layout stays
 * refused until a start moves it.
 */
public final class DamagedRepositories {

    private static final Logger LOG = Logger.getLogger(DamagedRepositories.class.getName());

    private record Entry(String reason, boolean untilRestart) {
    }

    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** Each damaged repository's name and why it is not served, sorted by name. */
    public Map<String, String> all() {
        Map<String, String> copy = new TreeMap<>();
        entries.forEach((name, e) -> copy.put(name, e.reason()));
        return copy;
    }

    /** Records that {@code name}'s file is not a gitwar repository; logs it the first time. */
    void report(String name, Path file, String reason) {
        Entry previous = entries.put(name, new Entry(reason, false));
        if (previous == null || !previous.reason().equals(reason)) {
            LOG.warning(() -> "repository " + name + " is damaged and is not served: " + reason + " (" + file + ")");
        }
    }

    /** Refuses {@code name} until the next start: its old-layout file could not be moved. */
    void refuseUntilRestart(String name, String reason) {
        entries.put(name, new Entry(reason, true));
    }

    /** Why {@code name} is refused without looking at its file, or null. */
    String refusal(String name) {
        Entry e = entries.get(name);
        return e != null && e.untilRestart() ? e.reason() : null;
    }

    /** {@code name}'s file opened as a gitwar repository: whatever was wrong with it was repaired. */
    void healthy(String name) {
        if (!entries.isEmpty()) {
            entries.computeIfPresent(name, (n, e) -> e.untilRestart() ? e : null);
        }
    }
}
