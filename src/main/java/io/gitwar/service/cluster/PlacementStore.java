package io.gitwar.service.cluster;

import java.util.List;
import java.util.Map;

/**
 * The shared map behind the placement and this node's place in the cluster: a replicated cache
 * whose conditional writes are atomic across the cluster (two nodes calling {@link #putIfAbsent} on
 * the same key at once both get the one value that won). Thread-safe.
 */
interface PlacementStore {

    /** This node's name in the cluster ({@code jboss.node.name}, JGroups' logical name). */
    String self();

    /** The names of the nodes in the current view, this one included. */
    List<String> members();

    String get(String key);

    /** Stores {@code value} unless the key has one; returns the value now stored (the winner's). */
    String putIfAbsent(String key, String value);

    boolean replace(String key, String expected, String value);

    /** Removes the key if its value is {@code expected}. */
    boolean remove(String key, String expected);

    void put(String key, String value);

    /** The entries whose keys start with {@code prefix}, as this node holds them now (all of them: the cache is replicated). */
    Map<String, String> entries(String prefix);
}
