package io.gitwar.config;

import java.time.Duration;

/**
 * When and how gitwar repacks repositories, and which pushes it serves as loose objects. The
 * defaults are git's where git has the knob; a limit of 0 turns its trigger off. The repack keys
 * were {@code gitwar.gc.*} before; those still work.
 *
 * @param unpackLimit git's {@code receive.unpackLimit}: a push of fewer objects is served on the loose
 *        route and its pack is not listed in {@code objects/info/packs} ({@code gitwar.receive.unpack-limit})
 * @param autoPackLimit git's {@code gc.autoPackLimit}: a push that leaves this many packs (loose-served
 *        or listed) starts a repack ({@code gitwar.repack.auto-pack-limit})
 * @param listedPackLimit a push that leaves more listed packs than this starts a repack: dumb clients
 *        download the index of every listed pack ({@code gitwar.repack.listed-pack-limit})
 * @param autoObjects git's {@code gc.auto}: more objects than this outside the last repack's packs start
 *        one, so a big first push soon gets its reachability bitmap ({@code gitwar.repack.auto})
 * @param garbageTtl how long unreachable objects are kept (JGit's garbage pack TTL) before a repack
 *        prunes them ({@code gitwar.repack.garbage-ttl-minutes}; 0 keeps them forever)
 * @param replacedPackGrace how long a pack that a repack replaced stays downloadable by its name
 *        ({@code gitwar.repack.replaced-pack-grace-minutes})
 * @param findDeltas whether a repack searches for new deltas among objects stored whole
 *        ({@code gitwar.repack.find-deltas}); stored deltas are always kept
 * @param minInterval a push starts at most one repack of a repository in this time, unless it
 *        reached {@code autoPackLimit}; one that is due sooner waits, and runs when the time is
 *        over ({@code gitwar.repack.min-interval-minutes}; 0: no minimum)
 * @param replacedPackMaxPercent the packs replaced by earlier repacks are kept for their grace period
 *        only while all replaced packs together take at most this percentage of the live packs' bytes;
 *        beyond it the oldest are deleted first, never those the latest repack replaced
 *        ({@code gitwar.repack.replaced-pack-max-percent})
 */
public record RepackConfig(
        int unpackLimit,
        int autoPackLimit,
        int listedPackLimit,
        long autoObjects,
        Duration garbageTtl,
        Duration replacedPackGrace,
        boolean findDeltas,
        Duration minInterval,
        int replacedPackMaxPercent) {

    static RepackConfig from(Settings s) {
        return new RepackConfig(
                s.get("gitwar.receive.unpack-limit", Integer.class, 100),
                s.get("gitwar.repack.auto-pack-limit", "gitwar.gc.auto-pack-limit", Integer.class, 50),
                // a dumb clone downloads every listed index; three keep that to a few requests
                s.get("gitwar.repack.listed-pack-limit", "gitwar.gc.listed-pack-limit", Integer.class, 3),
                s.get("gitwar.repack.auto", "gitwar.gc.auto", Long.class, 6700L),
                // JGit's DfsGarbageCollector default: a day
                Duration.ofMinutes(s.get("gitwar.repack.garbage-ttl-minutes", "gitwar.gc.garbage-ttl-minutes",
                        Long.class, 24 * 60L)),
                // a dumb clone reads objects/info/packs and asks for the packs within seconds; an hour
                // also covers a resumed download of a big pack
                Duration.ofMinutes(s.get("gitwar.repack.replaced-pack-grace-minutes",
                        "gitwar.gc.replaced-pack-grace-minutes", Long.class, 60L)),
                // every pack gitwar stores was delta-compressed by the git that pushed it (thin packs
                // against what gitwar already had); searching again costs 8-12 s of CPU per 40k-object
                // repack (JGit's DeltaIndex on the objects stored whole) and saved nothing measurable
                s.get("gitwar.repack.find-deltas", "gitwar.gc.find-deltas", Boolean.class, false),
                // a repack rewrites the whole repository (JGit: about 0.6 s per 40k objects) and
                // keeps what it replaced for the grace period; one per 10 minutes bounds what a
                // stream of pushes can cost (at most 6 replaced copies per hour of grace), and a
                // busy repository is still repacked within minutes
                Duration.ofMinutes(s.get("gitwar.repack.min-interval-minutes", Long.class, 10L)),
                // one more copy of the repository at most, besides what the latest repack replaced
                // (which a dumb clone that listed the old packs a moment ago needs)
                s.get("gitwar.repack.replaced-pack-max-percent", Integer.class, 100));
    }
}
