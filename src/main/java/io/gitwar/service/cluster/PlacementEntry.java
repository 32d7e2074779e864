package io.gitwar.service.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One repository's value in the placement cache, as text so that every node version reads it:
 * {@code "<node> active"}, {@code "<node> moving <target>"} (the node still answers, the target
 * receives copies) or {@code "<node>,<node>... conflict"} (claimed by several nodes, served by none).
 *
 * @param nodes the node that holds it; several only in conflict
 * @param target the node it moves to, only when moving
 */
record PlacementEntry(List<String> nodes, State state, String target) {

    enum State {
        ACTIVE,
        MOVING,
        CONFLICT
    }

    PlacementEntry {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty() || (state == State.MOVING) != (target != null) || (state == State.CONFLICT) != (nodes.size() > 1)) {
            throw new IllegalArgumentException("not a placement entry: " + nodes + " " + state + " " + target);
        }
    }

    static PlacementEntry active(String node) {
        return new PlacementEntry(List.of(node), State.ACTIVE, null);
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

    /** The node that answers for it (the first of a conflict's). */
    String owner() {
        return nodes.get(0);
    }

    boolean names(String node) {
        return nodes.contains(node);
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
            case "active" -> new PlacementEntry(nodes, State.ACTIVE, null);
            case "moving" -> new PlacementEntry(nodes, State.MOVING, parts.length > 2 ? parts[2] : null);
            case "conflict" -> new PlacementEntry(nodes, State.CONFLICT, null);
            default -> throw new IllegalArgumentException("not a placement entry: " + value);
        };
    }

    /** The cache value: what {@link #parse} reads back. */
    String format() {
        return String.join(",", nodes) + " " + state.name().toLowerCase(java.util.Locale.ROOT)
                + (target == null ? "" : " " + target);
    }
}
