package io.gitwar.service.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which copy of a replicated repository serves it after the whole cluster restarted, from the
 * reports of its nodes' files ({@link CopyReport}).
 *
 * <p>Every acknowledged push is on a majority of the copies its primary knew, and those copies
 * recorded, with it, the copies the primary then counted as current. So once a majority of every
 * node the reports name has reported, at least one report holds the newest acknowledged push, at the
 * highest generation among the copies still believed current. A copy is believed current unless a
 * report at its generation or later names it stale or does not name it at all: the one way to hold a
 * push others do not at the same generation is to have applied one its primary then rolled back
 * (the replica answered too late), and that primary marked it stale before any later push was sent.
 * The first candidate at the highest generation becomes primary, the others at that generation its
 * replicas, and every other node named a stale copy, brought up to date by the primary's sweep.
 */
final class Recovery {

    private Recovery() {
    }

    /** The nodes the reports name (their own and those of their records), in the order first named. */
    static List<String> named(List<CopyReport> reports) {
        Set<String> all = new LinkedHashSet<>();
        for (CopyReport r : reports) {
            all.addAll(r.named());
        }
        return new ArrayList<>(all);
    }

    /** How many more reports the repository waits for; 0 once {@link #resolve} decides. */
    static int missing(List<CopyReport> reports) {
        int named = named(reports).size();
        return Math.max(0, named / 2 + 1 - reports.size());
    }

    /** The placement entry the reports decide, or null while fewer than a majority of the nodes they name reported. */
    static PlacementEntry resolve(List<CopyReport> reports) {
        if (reports.isEmpty() || missing(reports) > 0) {
            return null;
        }
        List<CopyReport> candidates = reports.stream().filter(c -> current(c, reports)).toList();
        if (candidates.isEmpty()) {
            candidates = reports; // records contradict each other: the highest generation is the best guess left
        }
        long best = candidates.stream().mapToLong(CopyReport::generation).max().orElseThrow();
        List<String> top = candidates.stream().filter(c -> c.generation() == best)
                .sorted(Comparator.comparing(CopyReport::node)).map(CopyReport::node).toList();
        String primary = top.get(0);
        for (CopyReport c : candidates) {
            // the primary the best records name, if it is among the candidates: fewer moves for the readers
            if (c.generation() == best && top.contains(c.current().get(0))) {
                primary = c.current().get(0);
                break;
            }
        }
        List<String> replicas = new ArrayList<>(top);
        replicas.remove(primary);
        List<String> stale = new ArrayList<>(named(reports));
        stale.remove(primary);
        stale.removeAll(replicas);
        return new PlacementEntry(List.of(primary), PlacementEntry.State.ACTIVE, null, replicas, stale);
    }

    /** Whether no report at {@code c}'s generation or later counts {@code c} out of the current copies. */
    private static boolean current(CopyReport c, List<CopyReport> reports) {
        for (CopyReport r : reports) {
            if (r.generation() >= c.generation() && !r.current().contains(c.node())) {
                return false;
            }
        }
        return true;
    }
}
