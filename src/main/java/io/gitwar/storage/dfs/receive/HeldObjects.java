package io.gitwar.storage.dfs.receive;

import java.util.ArrayDeque;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectId;

/**
 * What JGit holds in memory while it resolves a pack's deltas, followed as it goes. JGit walks each
 * tree of deltas depth first from its base (PackParser's DeltaVisit): it keeps an object while deltas
 * on it remain to be applied, and drops it after its last one. Here each such object is a node on the
 * current path with the number of its deltas still to come; the bytes of the nodes with deltas to
 * come are what is held, besides the delta being applied and its result.
 */
final class HeldObjects {

    private static final class Node {
        final long offset;
        ObjectId id;
        final long bytes;
        int remaining;

        Node(long offset, ObjectId id, long bytes, int remaining) {
            this.offset = offset;
            this.id = id;
            this.bytes = bytes;
            this.remaining = remaining;
        }
    }

    private final ArrayDeque<Node> path = new ArrayDeque<>();
    /** Bytes of the nodes on the path with deltas to come. */
    private long held;

    /** A new tree: its base, at {@code offset} in the pack (-1 if not in it), with {@code deltas} on it. */
    void base(long offset, AnyObjectId id, long bytes, int deltas) {
        path.clear();
        held = 0;
        push(new Node(offset, id == null ? null : id.copy(), bytes, deltas));
    }

    /**
     * A delta on the base at {@code basePosition} (or named {@code baseId}) is about to be applied:
     * returns the bytes held while it is, besides the delta and its result (its base included); -1
     * when the base is not on the path (JGit walks otherwise than expected: the caller judges alone).
     */
    long applying(long basePosition, AnyObjectId baseId) {
        while (!path.isEmpty() && !matches(path.peek(), basePosition, baseId)) {
            pop(); // finished subtrees: JGit dropped them
        }
        Node base = path.peek();
        if (base == null) {
            return -1;
        }
        long holding = held + (base.remaining > 0 ? 0 : base.bytes);
        if (base.remaining > 0 && --base.remaining == 0) {
            held -= base.bytes; // its last delta: JGit drops it once this one is applied
            path.pop();
        }
        return holding;
    }

    /** The result of the delta just applied: {@code bytes} at {@code offset}, with {@code deltas} on it. */
    void applied(long offset, long bytes, int deltas) {
        push(new Node(offset, null, bytes, deltas));
    }

    /** The result at {@code offset} got its id: deltas naming it by id count too. */
    void named(long offset, AnyObjectId id, int deltasById) {
        Node top = path.peek();
        if (top != null && top.offset == offset) {
            top.id = id.copy();
            if (deltasById > 0) {
                if (top.remaining == 0) {
                    held += top.bytes;
                }
                top.remaining += deltasById;
            }
        }
    }

    private void push(Node n) {
        if (n.remaining > 0) {
            held += n.bytes;
        }
        path.push(n);
    }

    private void pop() {
        Node n = path.pop();
        if (n.remaining > 0) {
            held -= n.bytes;
        }
    }

    private static boolean matches(Node n, long basePosition, AnyObjectId baseId) {
        return baseId != null ? n.id != null && n.id.equals(baseId) : n.offset == basePosition && basePosition >= 0;
    }
}
