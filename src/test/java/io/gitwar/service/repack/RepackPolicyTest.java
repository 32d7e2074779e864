package io.gitwar.service.repack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitwar.config.RepackConfig;
import io.gitwar.service.PackRoles;
import io.gitwar.storage.file.StoredFile;
import io.gitwar.storage.file.StoredPack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase.PackSource;
import org.eclipse.jgit.internal.storage.pack.PackExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepackPolicyTest {

    private static final RepackConfig DEFAULTS =
            new RepackConfig(100, 50, 3, 6700, Duration.ofDays(1), Duration.ofHours(1), false,
                    Duration.ofMinutes(10), 100);

    /**
     * Packs as {@code SOURCE:objects*count} separated by spaces, e.g. {@code RECEIVE:3*49 GC:40000}.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // live packs                                   | repack because of (- = no repack)
        "-                                              | -",
        "RECEIVE:3                                      | -",
        "RECEIVE:3*49                                   | -",
        "RECEIVE:3*50                                   | gitwar.repack.auto-pack-limit",
        "GC:40000 RECEIVE:3*48                          | -",
        "GC:40000 RECEIVE:3*49                          | gitwar.repack.auto-pack-limit",
        // garbage never counts
        "GC:40000 UNREACHABLE_GARBAGE:10*20 RECEIVE:3*48 | -",
        // listed packs: GC, COMPACT and pushes of 100 objects or more
        "GC:40000 GC_REST:50 RECEIVE:100                | -",
        "GC:40000 RECEIVE:100*3                         | gitwar.repack.listed-pack-limit",
        "GC:40000 RECEIVE:99*10                         | -",
        "RECEIVE:500*3                                  | -",
        "RECEIVE:500*4                                  | gitwar.repack.listed-pack-limit",
        // objects since the last repack (a big first push gets its bitmap)
        "RECEIVE:6700                                   | -",
        "RECEIVE:6701                                   | gitwar.repack.auto",
        "GC:200000 RECEIVE:6000 RECEIVE:90*8            | gitwar.repack.auto",
    })
    void decides(String packs, String expectedKey) {
        List<StoredPack> parsed = parse(packs);
        String reason = RepackPolicy.reason(parsed, smallPushes(parsed), DEFAULTS).orElse(null);
        if (expectedKey == null) {
            assertEquals(null, reason);
        } else {
            assertEquals(expectedKey, reason == null ? null : reason.replaceAll(".*\\((\\S+) .*", "$1"), reason);
        }
    }

    @ParameterizedTest
    @CsvSource({"RECEIVE:3*500", "RECEIVE:500*40", "RECEIVE:100000"})
    void zeroLimitsTurnRepackingOff(String packs) {
        RepackConfig off = new RepackConfig(100, 0, 0, 0, Duration.ofDays(1), Duration.ofHours(1), false,
                Duration.ofMinutes(10), 100);
        List<StoredPack> parsed = parse(packs);
        assertEquals(null, RepackPolicy.reason(parsed, smallPushes(parsed), off).orElse(null));
    }

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    /**
     * The minimum interval between repacks, from the time of the last one (its packs); the
     * auto-pack-limit is a ceiling that never waits. Packs as in {@link #decides}, plus {@code @minutes}
     * ago for when a pack was written (default: long ago).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // live packs                                   | decision
        "RECEIVE:3                                      | Fine",
        "GC:40000@60 RECEIVE:100*4                      | Now",
        "GC:40000@3 RECEIVE:100*4                       | Later 7",
        "GC:40000@9 RECEIVE:6701                        | Later 1",
        "GC:40000@10 RECEIVE:100*4                      | Now",
        "RECEIVE:100*4                                  | Now",
        // the ceiling: never postponed
        "GC:40000@1 RECEIVE:3*49                        | Now",
        "GC:40000@1 GC_REST:10@1 RECEIVE:3*48           | Now",
        "GC:40000@1 RECEIVE:3*48                        | Fine",
    })
    void rateLimitsRepacksExceptAtTheCeiling(String packs, String expected) {
        List<StoredPack> parsed = parse(packs);
        RepackPolicy.Decision d = RepackPolicy.decide(parsed, smallPushes(parsed), DEFAULTS, NOW);
        String actual = d instanceof RepackPolicy.Later later
                ? "Later " + Duration.between(NOW, later.at()).toMinutes()
                : d.getClass().getSimpleName();
        assertEquals(expected, actual, d.toString());
    }

    @Test
    void noMinimumIntervalRepacksWhenDue() {
        RepackConfig noInterval = new RepackConfig(100, 50, 3, 6700, Duration.ofDays(1), Duration.ofHours(1), false,
                Duration.ZERO, 100);
        List<StoredPack> parsed = parse("GC:40000@0 RECEIVE:100*4");
        assertEquals(RepackPolicy.Now.class, RepackPolicy.decide(parsed, smallPushes(parsed), noInterval, NOW).getClass());
    }

    /**
     * Replaced packs as {@code name:bytes@retiredMinutesAgo}, live ones as {@code name:bytes}: which
     * are deleted to keep all replaced packs within the percentage of the live bytes.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // packs                                       | percent | deleted, oldest first
        "live:100 a:90@5                               | 100     | -",
        "live:100 a:90@50 b:90@5                       | 100     | a",
        "live:100 a:30@50 b:60@30 c:20@5               | 100     | a",
        "live:100 a:90@50 b:90@30 c:20@5               | 100     | a b",
        "live:100 a:90@50 b:90@30 c:90@5               | 100     | a b",
        // what the latest repack replaced stays, whatever its size
        "live:100 a:30@50 b:500@5 c:500@5              | 100     | a",
        "live:100 a:90@50 b:90@5                       | 200     | -",
        "live:100 a:90@50 b:90@5                       | 0       | a",
    })
    void deletesTheOldestReplacedPacksOverTheBound(String packs, int percent, String deleted) {
        List<StoredPack> stored = new ArrayList<>();
        for (String p : packs.trim().split("\\s+")) {
            String[] nameRest = p.split(":");
            String[] bytesAgo = nameRest[1].split("@");
            Instant retired = bytesAgo.length > 1 ? NOW.minus(Duration.ofMinutes(Long.parseLong(bytesAgo[1]))) : null;
            stored.add(new StoredPack(nameRest[0], retired == null ? PackSource.GC : PackSource.RECEIVE, Instant.EPOCH,
                    10, 0, 2, "0".repeat(40), retired, Map.of(PackExt.PACK,
                            new StoredFile(stored.size(), Long.parseLong(bytesAgo[0])))));
        }
        List<String> names = RepackPolicy.replacedOverBound(stored, percent).stream().map(StoredPack::name).toList();
        assertEquals(deleted == null ? List.of() : List.of(deleted.split(" ")), names);
    }

    /** Every small push loose-served, as when none holds a large object. */
    private static Set<String> smallPushes(List<StoredPack> packs) {
        return packs.stream().filter(p -> PackRoles.smallPush(p.source(), p.objectCount(), DEFAULTS.unpackLimit()))
                .map(StoredPack::name).collect(Collectors.toSet());
    }

    private static List<StoredPack> parse(String spec) {
        List<StoredPack> packs = new ArrayList<>();
        if (spec == null) {
            return packs;
        }
        for (String p : spec.trim().split("\\s+")) {
            String[] sourceRest = p.split(":");
            String[] objectsTimes = sourceRest[1].split("\\*");
            String[] timesAgo = (objectsTimes.length > 1 ? objectsTimes[1] : "1").split("@");
            String[] objectsAgo = objectsTimes[0].split("@");
            String ago = objectsAgo.length > 1 ? objectsAgo[1] : timesAgo.length > 1 ? timesAgo[1] : null;
            Instant written = ago == null ? Instant.EPOCH : NOW.minus(Duration.ofMinutes(Long.parseLong(ago)));
            int times = Integer.parseInt(timesAgo[0]);
            for (int i = 0; i < times; i++) {
                packs.add(new StoredPack("p" + packs.size(), PackSource.valueOf(sourceRest[0]), written,
                        Long.parseLong(objectsAgo[0]), 0, 2, "0".repeat(40), null, Map.of()));
            }
        }
        return packs;
    }
}
