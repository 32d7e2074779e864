package io.gitwar.service.repack;

import io.gitwar.config.RepackConfig;
import io.gitwar.service.PackRoles;
import io.gitwar.storage.file.StoredPack;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, after a push, whether a repository needs a repack: a pure function of its live packs and
 * {@link RepackConfig}. Garbage packs never count: no client reads them.
 */
final class RepackPolicy {

    private RepackPolicy() {
    }

    /**
     * Why the repository should be repacked now, or empty if it is fine as it is.
     *
     * @param looseServed the names of the loose-served packs among them (see {@link PackRoles})
     */
    static Optional<String> reason(Collection<StoredPack> livePacks, Set<String> looseServed, RepackConfig c) {
        int packs = 0;
        int listed = 0;
        long young = 0;
        for (StoredPack p : livePacks) {
            if (PackRoles.garbage(p.source())) {
                continue;
            }
            packs++;
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
}
