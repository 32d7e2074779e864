package io.gitwar.service.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One repository's value in the placement cache, as text so that every node version reads it:
 * {@code "<node> active"}, {@code "<node> moving <target>"} (the node still answers, the target
 * receives copies) or {@code "<node>,<node>... conflict"} (claimed by several nodes, served by none).
 * An active entry of a replicated repository adds {@code replicas=<node>,...}: the nodes that hold
 * every push the node (its primary) acknowledged, and {@code stale=<node>,...}: nodes that hold an
 * older copy (dropped from the replicas when a push could not reach them), which they never serve.
 * {@code "<node>,<node>... recovering <report> <report>..."} is a replicated repository after the whole
 * cluster restarted, served by none while its nodes report their copies ({@link CopyReport},
 * {@link Recovery}).
 *
 * @param nodes the node that holds it (the primary); several only in conflict
 * @param target the node it moves to, only when moving
 * @param replicas the nodes holding every acknowledged push besides the primary
 * @param stale the nodes holding an older copy
 * @param reports what the nodes' files say, only when recovering
 */
record PlacementEntry(List<String> nodes, State state, String target, List<String> replicas, List<String> stale,
        List<CopyReport> reports) {

    enum State {
        ACTIVE,
        MOVING,
        CONFLICT,
        RECOVERING
    }

    private static final String REPLICAS = "replicas=";
    private static final String STALE = "stale=";

    PlacementEntry {
        nodes = List.copyOf(nodes);
        replicas = List.copyOf(replicas);
        stale = List.copyOf(stale);
        reports = List.copyOf(reports);
        if ((state == State.RECOVERING) != !reports.isEmpty()
                || !nodes.equals(state == State.RECOVERING ? reports.stream().map(CopyReport::node).toList() : nodes)
                || nodes.isEmpty() || (state == State.MOVING) != (target != null) || (state == State.CONFLICT && nodes.size() < 2)
                || (state != State.CONFLICT && state != State.RECOVERING && nodes.size() > 1)
                || (state != State.ACTIVE && !(replicas.isEmpty() && stale.isEmpty()))
                || replicas.contains(nodes.get(0)) || stale.contains(nodes.get(0))
                || replicas.stream().anyMatch(stale::contains)) {
            throw new IllegalArgumentException("not a placement entry: " + nodes + " " + state + " " + target
                    + " " + replicas + " " + stale);
        }
    }

    PlacementEntry(List<String> nodes, State state, String target, List<String> replicas, List<String> stale) {
        this(nodes, state, target, replicas, stale, List.of());
    }

    PlacementEntry(List<String> nodes, State state, String target) {
        this(nodes, state, target, List.of(), List.of());
    }

    /** A repository recovering after the whole cluster's restart, with the reports so far. */
    static PlacementEntry recovering(List<CopyReport> reports) {
        return new PlacementEntry(reports.stream().map(CopyReport::node).toList(), State.RECOVERING, null, List.of(),
                List.of(), reports);
    }

    /**
     * This recovering entry with {@code report} (in place of an earlier one by the same node), or
     * the active entry the reports decide once enough have come ({@link Recovery#resolve}).
     */
    PlacementEntry withReport(CopyReport report) {
        List<CopyReport> all = new ArrayList<>(reports);
        all.removeIf(r -> r.node().equals(report.node()));
        all.add(report);
        return reported(all);
    }

    /** The entry {@code reports} make: active once {@link Recovery#resolve} decides, else recovering. */
    static PlacementEntry reported(List<CopyReport> reports) {
        PlacementEntry resolved = Recovery.resolve(reports);
        return resolved != null ? resolved : recovering(reports);
    }

    static PlacementEntry active(String node) {
        return new PlacementEntry(List.of(node), State.ACTIVE, null);
    }

    /** A replicated repository's entry: {@code primary} answers, {@code replicas} hold every push too. */
    static PlacementEntry replicated(String primary, List<String> replicas) {
        return new PlacementEntry(List.of(primary), State.ACTIVE, null, replicas, List.of());
    }

    static PlacementEntry moving(String node, String target) {
        return new PlacementEntry(List.of(node), State.MOVING, target);
    }

    /** This entry's nodes and {@code node}, in conflict. */
    PlacementEntry withClaimBy(String node) {
        List<String> all = new ArrayList<>(nodes);
        all.add(node);
        return new PlacementEntry(all, State.CONFLICT, null);
    }

    /** This entry with {@code replica} moved from the replicas to the stale copies. */
    PlacementEntry withStale(String replica) {
        List<String> r = new ArrayList<>(replicas);
        r.remove(replica);
        List<String> s = new ArrayList<>(stale);
        s.add(replica);
        return new PlacementEntry(nodes, state, target, r, s);
    }

    /**
     * This entry with {@code replica} its primary (the old primary's copy then counts as stale: it
     * may miss what the new one acknowledges).
     */
    PlacementEntry promoted(String replica) {
        List<String> r = new ArrayList<>(replicas);
        r.remove(replica);
        List<String> s = new ArrayList<>(stale);
        s.add(owner());
        return new PlacementEntry(List.of(replica), state, target, r, s);
    }

    /** This entry with {@code node}, a stale copy brought up to date, back among the replicas. */
    PlacementEntry withCurrent(String node) {
        List<String> r = new ArrayList<>(replicas);
        r.add(node);
        List<String> s = new ArrayList<>(stale);
        s.remove(node);
        return new PlacementEntry(nodes, state, target, r, s);
    }

    /** This entry without {@code gone} (a replica or stale copy), with {@code newcomer} as a copy to be made. */
    PlacementEntry withReplacement(String gone, String newcomer) {
        List<String> r = new ArrayList<>(replicas);
        r.remove(gone);
        List<String> s = new ArrayList<>(stale);
        s.remove(gone);
        s.add(newcomer);
        return new PlacementEntry(nodes, state, target, r, s);
    }

    /** The node that answers for it (the first of a conflict's). */
    String owner() {
        return nodes.get(0);
    }

    /** Whether {@code node} holds the repository in this entry's eyes: owner, claimant, replica or stale copy. */
    boolean names(String node) {
        return nodes.contains(node) || replicas.contains(node) || stale.contains(node);
    }

    boolean movingTo(String node) {
        return state == State.MOVING && target.equals(node);
    }

    /** The entry a cache value holds; null for null. */
    static PlacementEntry parse(String value) {
        if (value == null) {
            return null;
        }
        String[] parts = value.split(" ");
        List<String> nodes = Arrays.asList(parts[0].split(","));
        return switch (parts.length > 1 ? parts[1] : "") {
            case "active" -> active(nodes, parts);
            case "moving" -> new PlacementEntry(nodes, State.MOVING, parts.length == 3 ? parts[2] : null);
            case "conflict" -> new PlacementEntry(nodes, State.CONFLICT, parts.length == 2 ? null : "");
            case "recovering" -> recovering(Arrays.stream(parts).skip(2).map(CopyReport::parse).toList());
            default -> throw new IllegalArgumentException("not a placement entry: " + value);
        };
    }

    private static PlacementEntry active(List<String> nodes, String[] parts) {
        List<String> replicas = List.of();
        List<String> stale = List.of();
        for (int i = 2; i < parts.length; i++) {
            if (parts[i].startsWith(REPLICAS) && replicas.isEmpty()) {
                replicas = list(parts[i].substring(REPLICAS.length()));
            } else if (parts[i].startsWith(STALE) && stale.isEmpty()) {
                stale = list(parts[i].substring(STALE.length()));
            } else {
                throw new IllegalArgumentException("not a placement entry: " + String.join(" ", parts));
            }
        }
        return new PlacementEntry(nodes, State.ACTIVE, null, replicas, stale);
    }

    private static List<String> list(String commaSeparated) {
        return commaSeparated.isEmpty() ? List.of() : Arrays.asList(commaSeparated.split(","));
    }

    /** The cache value: what {@link #parse} reads back. */
    String format() {
        return String.join(",", nodes) + " " + state.name().toLowerCase(java.util.Locale.ROOT)
                + (target == null ? "" : " " + target)
                + reports.stream().map(r -> " " + r.format()).collect(java.util.stream.Collectors.joining())
                + (replicas.isEmpty() ? "" : " " + REPLICAS + String.join(",", replicas))
                + (stale.isEmpty() ? "" : " " + STALE + String.join(",", stale));
    }
}
