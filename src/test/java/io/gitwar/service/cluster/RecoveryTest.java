package io.gitwar.service.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule that picks a replicated repository's primary from its copies' reports after the whole cluster restarted. */
class RecoveryTest {

    private static CopyReport report(String node, long generation, String view) {
        return CopyReport.of(node, generation, PlacementEntry.parse(view));
    }

    @Test
    void itWaitsForAMajorityOfEveryNodeTheReportsName() {
        CopyReport a = report("a", 3, "a active replicas=b,c");
        assertNull(Recovery.resolve(List.of(a)));
        assertEquals(1, Recovery.missing(List.of(a)));
        // a replacement named by a later record widens the set: 4 named, 3 needed
        CopyReport d = report("d", 5, "b active replicas=d stale=c");
        assertNull(Recovery.resolve(List.of(a, d)));
        assertEquals(1, Recovery.missing(List.of(a, d)));
        assertEquals(PlacementEntry.parse("b active replicas=d stale=a,c"),
                Recovery.resolve(List.of(a, d, report("b", 5, "b active replicas=d stale=c"))));
    }

    @Test
    void theHighestGenerationAmongCopiesBelievedCurrentWinsAndItsEqualsAreReplicas() {
        PlacementEntry e = Recovery.resolve(List.of(
                report("c", 7, "a active replicas=b,c"),
                report("b", 7, "a active replicas=b,c")));
        assertEquals(PlacementEntry.parse("b active replicas=c stale=a"), e, "the first by name when the primary is missing");
        assertEquals(PlacementEntry.parse("a active replicas=b stale=c"), Recovery.resolve(List.of(
                report("b", 7, "a active replicas=b,c"),
                report("a", 7, "a active replicas=b,c"),
                report("c", 6, "a active replicas=b,c"))), "the recorded primary, and a lower generation stale");
    }

    @Test
    void aCopyALaterOrEqualRecordCountsStaleNeverWinsEvenAtAHigherGeneration() {
        // c took a push at 6 its primary rolled back, then was replaced by d, which holds 6 and 7
        assertEquals(PlacementEntry.parse("d active stale=c,a,b"), Recovery.resolve(List.of(
                report("c", 6, "a active replicas=b,c"),
                report("d", 7, "a active replicas=b,d"),
                report("a", 5, "a active replicas=b,c"))));
        // a copy brought up to date carries its primary's record, which named it stale: stale again
        assertEquals(PlacementEntry.parse("a active stale=b"), Recovery.resolve(List.of(
                report("b", 9, "a active stale=b"),
                report("a", 9, "a active stale=b"))));
    }

    @Test
    void recoveringEntriesReadBackAsWritten() {
        PlacementEntry e = PlacementEntry.recovering(List.of(report("a", 3, "a active replicas=b,c")));
        assertEquals("a recovering a=3:a+b+c:", e.format());
        assertEquals(e, PlacementEntry.parse(e.format()));
        PlacementEntry two = e.withReport(report("c", 2, "a active replicas=b stale=c"));
        assertEquals(PlacementEntry.parse("a active stale=b,c"), two);
    }
}
