package io.gitwar.service.repack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitwar.config.RepackConfig;
import io.gitwar.service.PackRoles;
import io.gitwar.storage.file.StoredPack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jgit.internal.storage.dfs.DfsObjDatabase.PackSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepackPolicyTest {

    private static final RepackConfig DEFAULTS =
            new RepackConfig(100, 50, 3, 6700, Duration.ofDays(1), Duration.ofHours(1), false);

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
        RepackConfig off = new RepackConfig(100, 0, 0, 0, Duration.ofDays(1), Duration.ofHours(1), false);
        List<StoredPack> parsed = parse(packs);
        assertEquals(null, RepackPolicy.reason(parsed, smallPushes(parsed), off).orElse(null));
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
            int times = objectsTimes.length > 1 ? Integer.parseInt(objectsTimes[1]) : 1;
            for (int i = 0; i < times; i++) {
                packs.add(new StoredPack("p" + packs.size(), PackSource.valueOf(sourceRest[0]), Instant.EPOCH,
                        Long.parseLong(objectsTimes[0]), 0, 2, "0".repeat(40), null, Map.of()));
            }
        }
        return packs;
    }
}
