package io.gitwar.service.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;

/**
 * The placement policy of a new repository: rendezvous (highest random weight) hashing of its name
 * over the live nodes. Every node computes the same choice from the same view; a node joining or
 * leaving changes the choice only for the names it wins or held (1/n of them), as a consistent hash.
 */
final class Rendezvous {

    private Rendezvous() {
    }

    /** {@code nodes} in the order of their weight for {@code name}: the first is {@link #choose}'s. */
    static java.util.List<String> rank(String name, Collection<String> nodes) {
        java.util.List<String> ranked = new java.util.ArrayList<>(nodes);
        ranked.sort((a, b) -> {
            int c = Long.compareUnsigned(weight(name, b), weight(name, a));
            return c != 0 ? c : a.compareTo(b);
        });
        return ranked;
    }

    static String choose(String name, Collection<String> nodes) {
        String best = null;
        long bestWeight = 0;
        for (String node : nodes) {
            long w = weight(name, node);
            if (best == null || Long.compareUnsigned(w, bestWeight) > 0
                    || (w == bestWeight && node.compareTo(best) < 0)) {
                best = node;
                bestWeight = w;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no nodes");
        }
        return best;
    }

    private static long weight(String name, String node) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((node + '\n' + name).getBytes(StandardCharsets.UTF_8));
            long w = 0;
            for (int i = 0; i < 8; i++) {
                w = (w << 8) | (d[i] & 0xff);
            }
            return w;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }
}
