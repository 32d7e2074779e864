package io.gitwar.service.cluster;

/** Where a request for one repository is answered. */
public sealed interface Placement {

    /** This node owns it (or there is no cluster): answer here. */
    record Local() implements Placement {
    }

    /** Another live node owns it: forward to {@code url}, its base URL ({@code http://host:port/git}). */
    record Remote(String node, String url) implements Placement {
    }

    /**
     * Its owner is not in the cluster's view (dead, or cut off), or two nodes claim it: nobody may
     * answer for it now. Never a 404, never a new empty repository.
     */
    record Unavailable(String reason) implements Placement {
    }

    /** No node holds it: a read answers 404 here; a push places it first ({@link Cluster#place}). */
    record Unplaced() implements Placement {
    }
}
