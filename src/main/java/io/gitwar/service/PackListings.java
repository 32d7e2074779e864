package io.gitwar.service;

import io.gitwar.config.GitwarConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Which packs {@code objects/info/packs} answers named lately, per repository: a dumb client that
 * read the list downloads those packs next, perhaps after a repack replaced them, so a replaced
 * pack is kept for {@code gitwar.repack.replaced-pack-grace-minutes} after the last answer that
 * named it, and no longer than that for this reason. A replaced pack no answer named can go as
 * soon as no snapshot that could still read it is open (the {@code Repacker} asks). Held in
 * memory: a restart ends every download anyway. Entries older than the grace period are dropped
 * (checked at most once a minute), so this holds only the repositories listed within it.
 * Thread-safe.
 */
@ApplicationScoped
public class PackListings {

    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    @Inject
    GitwarConfig config;

    private final Map<RepositoryName, Map<String, Instant>> named = new HashMap<>();
    private Instant nextPrune = Instant.MIN;

    /** An answer of {@code objects/info/packs} named {@code packs} of {@code repository} just now. */
    public synchronized void listed(RepositoryName repository, Collection<String> packs) {
        Instant now = Instant.now();
        if (!packs.isEmpty()) {
            Map<String, Instant> names = named.computeIfAbsent(repository, r -> new HashMap<>());
            for (String pack : packs) {
                names.put(pack, now);
            }
        }
        if (now.isAfter(nextPrune)) {
            Instant cutoff = now.minus(grace());
            named.values().forEach(names -> names.values().removeIf(at -> at.isBefore(cutoff)));
            named.values().removeIf(Map::isEmpty);
            nextPrune = now.plus(PRUNE_EVERY);
        }
    }

    /** Whether an answer named {@code pack} of {@code repository} within the grace period. */
    public synchronized boolean namedLately(RepositoryName repository, String pack) {
        Instant at = named.getOrDefault(repository, Map.of()).get(pack);
        return at != null && !at.isBefore(Instant.now().minus(grace()));
    }

    private Duration grace() {
        return config.repack().replacedPackGrace();
    }
}
