package io.gitwar.service.cluster;

/**
 * What a replicated repository's file keeps of its placement (its {@code copies} setting, written
 * with each push it applies): the incarnation of the cluster the push was made in, and the placement
 * entry its primary had when it sent the push. The placement itself lives in memory only; after the
 * whole cluster restarted, the files' records are what tells which copies are current
 * ({@link Recovery}), and a node returning to a living cluster tells by the incarnation whether the
 * placement has forgotten its repository (it was deleted meanwhile) or never knew it (the cluster
 * restarted meanwhile).
 *
 * @param incarnation the cluster's incarnation: random, chosen by the first node of a cluster that
 *        started from nothing
 * @param view the repository's placement entry at the push
 */
record CopyRecord(String incarnation, PlacementEntry view) {

    String format() {
        return incarnation + " " + view.format();
    }

    /** The record a file's setting holds; null for null or one no node version wrote. */
    static CopyRecord parse(String value) {
        int space = value == null ? -1 : value.indexOf(' ');
        if (space <= 0) {
            return null;
        }
        try {
            PlacementEntry view = PlacementEntry.parse(value.substring(space + 1));
            return view.state() == PlacementEntry.State.ACTIVE ? new CopyRecord(value.substring(0, space), view) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
