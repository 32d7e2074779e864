package io.gitwar.service.repack;

import io.gitwar.config.RepackConfig;
import io.gitwar.service.PackRoles;
import io.gitwar.storage.file.StoredFile;
import io.gitwar.storage.file.StoredPack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, after a push, whether a repository needs a repack and when, and which replaced packs a
 * repack deletes before their grace period: pure functions of the stored packs and
 * {@link RepackConfig}. Garbage packs never count: no client reads them.
 *
 * <p>The limits protect different things. {@code auto-pack-limit} (git's gc.autoPackLimit) is the
 * ceiling for every reader, JGit's own included: reached, a repack runs at once. The others (listed
 * packs, which dumb clients download an index of each; objects since the last repack) start a
 * repack at most once per {@code min-interval}, since each rewrites the whole repository and keeps
 * what it replaced for the grace period; the time of the last repack is that of its packs, so it
 * survives restarts.
 */
final class RepackPolicy {

    private RepackPolicy() {
    }

    /** What a repository needs after a push. */
    sealed interface Decision {
    }

    /** Nothing. */
    record Fine() implements Decision {
    }

    /** A repack now, for this reason. */
    record Now(String reason) implements Decision {
    }

    /** A repack at {@code at}, when the minimum interval since the last one is over. */
    record Later(String reason, Instant at) implements Decision {
    }

    /**
     * What the repository needs at {@code now}.
     *
     * @param looseServed the names of the loose-served packs among them (see {@link PackRoles})
     */
    static Decision decide(Collection<StoredPack> livePacks, Set<String> looseServed, RepackConfig c, Instant now) {
        Optional<String> reason = reason(livePacks, looseServed, c);
        if (reason.isEmpty()) {
            return new Fine();
        }
        if (c.autoPackLimit() > 0 && counted(livePacks) >= c.autoPackLimit()) {
            return new Now(reason.get());
        }
        Optional<Instant> last = livePacks.stream().filter(p -> PackRoles.repacked(p.source()))
                .map(StoredPack::lastModified).max(Comparator.naturalOrder());
        if (last.isPresent() && last.get().plus(c.minInterval()).isAfter(now)) {
            return new Later(reason.get(), last.get().plus(c.minInterval()));
        }
        return new Now(reason.get());
    }

    /**
     * Why the repository should be repacked, or empty if it is fine as it is.
     *
     * @param looseServed the names of the loose-served packs among them (see {@link PackRoles})
     */
    static Optional<String> reason(Collection<StoredPack> livePacks, Set<String> looseServed, RepackConfig c) {
        int packs = counted(livePacks);
        int listed = 0;
        long young = 0;
        for (StoredPack p : livePacks) {
            if (PackRoles.garbage(p.source())) {
                continue;
            }
            if (PackRoles.listed(p, looseServed)) {
                listed++;
            }
            if (!PackRoles.repacked(p.source())) {
                young += p.objectCount();
            }
        }
        if (c.autoPackLimit() > 0 && packs >= c.autoPackLimit()) {
            return Optional.of(packs + " packs (gitwar.repack.auto-pack-limit " + c.autoPackLimit() + ")");
        }
        if (c.listedPackLimit() > 0 && listed > c.listedPackLimit()) {
            return Optional.of(listed + " listed packs (gitwar.repack.listed-pack-limit " + c.listedPackLimit() + ")");
        }
        if (c.autoObjects() > 0 && young > c.autoObjects()) {
            return Optional.of(young + " objects since the last repack (gitwar.repack.auto " + c.autoObjects() + ")");
        }
        return Optional.empty();
    }

    private static int counted(Collection<StoredPack> livePacks) {
        return (int) livePacks.stream().filter(p -> !PackRoles.garbage(p.source())).count();
    }

    /**
     * The replaced packs to delete before their grace period so that all replaced packs together
     * take at most {@code maxPercent} of the live packs' bytes: the oldest first, never one that
     * the latest repack replaced.
     *
     * @param packs the live and the retired packs
     */
    static List<StoredPack> replacedOverBound(Collection<StoredPack> packs, int maxPercent) {
        long live = packs.stream().filter(p -> !p.retired()).mapToLong(RepackPolicy::bytes).sum();
        long bound = live * maxPercent / 100;
        List<StoredPack> replaced = new ArrayList<>(packs.stream().filter(StoredPack::retired)
                .sorted(Comparator.comparing(StoredPack::retiredAt).thenComparing(StoredPack::lastModified))
                .toList());
        Optional<Instant> latest = replaced.stream().map(StoredPack::retiredAt).max(Comparator.naturalOrder());
        long total = replaced.stream().mapToLong(RepackPolicy::bytes).sum();
        List<StoredPack> delete = new ArrayList<>();
        for (StoredPack p : replaced) {
            if (total <= bound || p.retiredAt().equals(latest.get())) {
                break;
            }
            delete.add(p);
            total -= bytes(p);
        }
        return delete;
    }

    /** The bytes a pack takes: all its files. */
    static long bytes(StoredPack p) {
        return p.files().values().stream().mapToLong(StoredFile::size).sum();
    }
}
