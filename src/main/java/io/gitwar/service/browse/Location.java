package io.gitwar.service.browse;

/**
 * A path at a revision, as a page's URL names it.
 *
 * @param ref the branch, tag or commit id as the URL gave it ({@code main}, {@code topic/x}, an id)
 * @param commit the commit it resolved to, in this request's snapshot
 * @param path the path under the root, without leading or trailing slash; empty for the root
 */
public record Location(String ref, String commit, String path) {

    /** The same revision at another path. */
    public Location at(String otherPath) {
        return new Location(ref, commit, otherPath);
    }
}
