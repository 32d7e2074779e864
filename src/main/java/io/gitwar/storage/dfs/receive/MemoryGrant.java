package io.gitwar.storage.dfs.receive;

/**
 * The heap a pack's parse is granted, asked for as it goes: before JGit inflates an object or
 * resolves a delta into memory, the parser asks that its grant cover what it will hold at once. The
 * grant only grows while the parse runs (its peak is what it needs); whoever gave it takes it back
 * when the push ends. Lets the server admit pushes by what they really hold, not by a worst case.
 */
@FunctionalInterface
public interface MemoryGrant {

    /** A grant that never waits and never refuses (a parse outside a push). */
    MemoryGrant UNBOUNDED = bytes -> { };

    /**
     * Makes the grant at least {@code bytes}, waiting for the heap if need be.
     *
     * @throws RuntimeException a named failure if the heap does not come free in time (the push is
     *         refused with its message)
     */
    void atLeast(long bytes);
}
