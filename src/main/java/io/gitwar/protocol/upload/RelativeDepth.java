package io.gitwar.protocol.upload;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Turns {@code deepen-relative} (deepen by {@code n} commits beyond the client's shallow commits,
 * which JGit does not implement) into the absolute {@code deepen} JGit does implement.
 *
 * <p>A shallow commit of the client at distance {@code k} from the nearest want (the wants have
 * depth 0, as in JGit's DepthWalk) is deepened by {@code n} with {@code deepen k+n+1}. With shallow
 * commits at several distances the farthest decides, so every one of them is deepened by at least
 * {@code n} (git deepens each by exactly {@code n}; for the usual shallow clone, whose boundary is
 * at one distance from the tips, the two agree). With none of the client's shallow commits below the
 * wants, {@code deepen-relative n} is {@code deepen n}.
 */
public final class RelativeDepth {

    private RelativeDepth() {
    }

    /** Capped at git's "infinite" depth, {@code 0x7fffffff}. */
    public static int absolute(Repository repo, Collection<ObjectId> wants, Set<ObjectId> clientShallows, int relative)
            throws IOException {
        int farthest = farthestShallow(repo, wants, clientShallows);
        if (farthest < 0) {
            return relative;
        }
        return (int) Math.min(Integer.MAX_VALUE, (long) farthest + relative + 1);
    }

    /** The largest distance from the wants to one of the client's shallow commits; -1 if none is reached. */
    static int farthestShallow(Repository repo, Collection<ObjectId> wants, Set<ObjectId> clientShallows)
            throws IOException {
        if (clientShallows.isEmpty()) {
            return -1;
        }
        try (RevWalk walk = new RevWalk(repo)) {
            walk.setRetainBody(false);
            Map<ObjectId, Integer> distance = new HashMap<>();
            ArrayDeque<RevCommit> queue = new ArrayDeque<>();
            for (ObjectId want : wants) {
                try {
                    RevObject o = walk.peel(walk.parseAny(want));
                    if (o instanceof RevCommit c && distance.putIfAbsent(c.copy(), 0) == null) {
                        queue.add(c);
                    }
                } catch (MissingObjectException e) {
                    // JGit rejects the want
                }
            }
            int farthest = -1;
            int reached = 0;
            // breadth first: the first visit of a commit is at its shortest distance, as in DepthWalk
            while (!queue.isEmpty() && reached < clientShallows.size()) {
                RevCommit c = queue.poll();
                int d = distance.get(c);
                if (clientShallows.contains(c)) {
                    farthest = Math.max(farthest, d);
                    reached++;
                    continue; // the client has nothing below its own boundary
                }
                walk.parseHeaders(c);
                for (RevCommit p : c.getParents()) {
                    if (distance.putIfAbsent(p.copy(), d + 1) == null) {
                        queue.add(p);
                    }
                }
            }
            return farthest;
        }
    }
}
