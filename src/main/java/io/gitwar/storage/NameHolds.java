package io.gitwar.storage;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Repository names whose file is being replaced, moved or removed, or whose previous file may still
 * be open. While a name is held, no new connection is opened on its path and no new file is
 * published there.
 *
 * <p>Why a moved or deleted file keeps its name held until its last connection closes: SQLite
 * finds a database's WAL by name. The last connection to close on a file checkpoints its WAL and
 * then deletes {@code NAME-wal} by path, which would be the WAL of a new repository created under
 * the same name meanwhile: its committed pushes would be lost. So a name is free again only once
 * the connections on the old file (reads that were in progress, which finish on their snapshot)
 * are all closed ({@link SqliteStore#inUse()}).
 *
 * <p>Thread-safe; one per data directory.
 */
public final class NameHolds {

    /** What a held name answers a new read. */
    public enum State {
        /** Its file is being swapped: new reads wait and try again. */
        SWAPPING,
        /** Its old file is gone (or replaced) but may still be open: a read finds what is there now. */
        DRAINING
    }

    private final ConcurrentMap<String, Hold> holds = new ConcurrentHashMap<>();

    /**
     * Holds {@code name} for the caller, which must {@link Hold#release() release} it.
     *
     * @throws RepositoryHeldException if the name is held already
     */
    public Hold hold(String name) throws RepositoryHeldException {
        Hold mine = new Hold(name);
        while (true) {
            Hold current = holds.putIfAbsent(name, mine);
            if (current == null) {
                return mine;
            }
            if (current.state() != null) {
                throw new RepositoryHeldException(name);
            }
            holds.remove(name, current); // drained meanwhile: the name is free
        }
    }

    /** Whether {@code name} is held, and how; null if it is free. */
    public State state(String name) {
        Hold h = holds.get(name);
        if (h == null) {
            return null;
        }
        State s = h.state();
        if (s == null) {
            holds.remove(name, h);
        }
        return s;
    }

    /** One hold on a name. Released once; a released hold may drain an old store first. */
    public final class Hold {
        private final String name;
        private volatile boolean released;
        private volatile SqliteStore draining;

        private Hold(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        State state() {
            if (!released) {
                return State.SWAPPING;
            }
            SqliteStore s = draining;
            return s != null && s.inUse() ? State.DRAINING : null;
        }

        /** Frees the name: nothing of a former file is open any more. */
        public void release() {
            released = true;
            holds.remove(name, this);
        }

        /** Frees the name once {@code old}, a closed store of its former file, has no connection open. */
        public void releaseWhenClosed(SqliteStore old) {
            draining = old;
            released = true;
            if (!old.inUse()) {
                holds.remove(name, this);
            }
        }
    }
}
