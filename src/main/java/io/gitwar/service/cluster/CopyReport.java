package io.gitwar.service.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one node's file of a replicated repository says of itself after a restart of the whole
 * cluster (the placement, in memory only, is gone): its generation and the copies its last push
 * named, as that push's primary saw them ({@link CopyRecord}). The placement gathers the reports of
 * a repository's nodes until {@link Recovery} can tell which copy holds every acknowledged push.
 *
 * @param node the node the file is on
 * @param generation the file's generation
 * @param current the primary and the replicas its last push named (they held every acknowledged push)
 * @param stale the copies its last push named stale
 */
record CopyReport(String node, long generation, List<String> current, List<String> stale) {

    CopyReport {
        current = List.copyOf(current);
        stale = List.copyOf(stale);
    }

    /** The report of {@code node}'s file at {@code generation}, whose last push recorded {@code view}. */
    static CopyReport of(String node, long generation, PlacementEntry view) {
        List<String> current = new ArrayList<>();
        current.add(view.owner());
        current.addAll(view.replicas());
        return new CopyReport(node, generation, current, view.stale());
    }

    /** Every node the report names: itself and the copies of its record. */
    List<String> named() {
        List<String> all = new ArrayList<>(List.of(node));
        for (String n : current) {
            if (!all.contains(n)) {
                all.add(n);
            }
        }
        for (String n : stale) {
            if (!all.contains(n)) {
                all.add(n);
            }
        }
        return all;
    }

    /** One token of a placement value: {@code node=generation:current+...:stale+...}. */
    String format() {
        return node + "=" + generation + ":" + String.join("+", current) + ":" + String.join("+", stale);
    }

    static CopyReport parse(String token) {
        int eq = token.indexOf('=');
        String[] parts = token.substring(eq + 1).split(":", -1);
        if (eq <= 0 || parts.length != 3) {
            throw new IllegalArgumentException("not a copy report: " + token);
        }
        return new CopyReport(token.substring(0, eq), Long.parseLong(parts[0]), list(parts[1]), list(parts[2]));
    }

    private static List<String> list(String plusSeparated) {
        return plusSeparated.isEmpty() ? List.of() : Arrays.asList(plusSeparated.split("\\+"));
    }
}
