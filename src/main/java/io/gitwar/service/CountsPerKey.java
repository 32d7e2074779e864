package io.gitwar.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many of something are in progress per key (a client address, a repository), each key with a
 * cap. Holds only keys with something in progress, so it never outgrows the requests themselves.
 * Thread-safe: a count never goes above its cap, not even for a moment.
 *
 * @param <K> the key
 */
public final class CountsPerKey<K> {

    private final Map<K, Integer> counts = new ConcurrentHashMap<>();

    /** Counts one more for {@code key} unless it has {@code max} already; whether it did. */
    public boolean tryEnter(K key, int max) {
        boolean[] entered = {false};
        counts.compute(key, (k, n) -> {
            int current = n == null ? 0 : n;
            if (current >= max) {
                return n;
            }
            entered[0] = true;
            return current + 1;
        });
        return entered[0];
    }

    /** Counts one less for {@code key}; after a successful {@link #tryEnter} only. */
    public void leave(K key) {
        counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** What is in progress for {@code key} now. */
    public int count(K key) {
        return counts.getOrDefault(key, 0);
    }
}
