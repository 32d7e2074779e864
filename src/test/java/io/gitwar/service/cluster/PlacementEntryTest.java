package io.gitwar.service.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The placement's values as text: what each state reads back as, and what is no entry. */
class PlacementEntryTest {

    @Test
    void everyStateReadsBackAsWritten() {
        for (String value : List.of("node-1 active", "node-1 moving node-2", "node-1,node-2 conflict",
                "node-1 active replicas=node-2,node-3", "node-1 active replicas=node-2 stale=node-3",
                "node-1 active stale=node-2,node-3")) {
            assertEquals(value, PlacementEntry.parse(value).format());
        }
        assertEquals("node-1 active", PlacementEntry.active("node-1").format());
        assertEquals("node-1 moving node-3", PlacementEntry.moving("node-1", "node-3").format());
        assertEquals("node-1,node-2 conflict", PlacementEntry.active("node-1").withClaimBy("node-2").format());
        assertNull(PlacementEntry.parse(null));
    }

    @Test
    void aMovingEntryIsItsOwnersAndNamesItsTarget() {
        PlacementEntry e = PlacementEntry.parse("node-1 moving node-2");
        assertEquals("node-1", e.owner());
        assertTrue(e.names("node-1"));
        assertFalse(e.names("node-2"));
        assertTrue(e.movingTo("node-2"));
        assertFalse(PlacementEntry.parse("node-2 active").movingTo("node-2"));
    }

    @Test
    void whatIsNoEntryIsRefused() {
        for (String value : List.of("", "node-1", "node-1 lost", "node-1 moving", "node-1,node-2 active",
                "node-1 conflict", "node-1 active replicas=node-1", "node-1 active replicas=node-2 stale=node-2",
                "node-1 moving node-2 replicas=node-3", "node-1 active node-2", "node-1,node-2 conflict x")) {
            assertThrows(IllegalArgumentException.class, () -> PlacementEntry.parse(value), value);
        }
    }

    @Test
    void aReplicaTakesOverAndTheOldPrimaryIsStale() {
        PlacementEntry e = PlacementEntry.replicated("node-1", List.of("node-2", "node-3"));
        assertEquals("node-1 active replicas=node-2,node-3", e.format());
        PlacementEntry promoted = e.promoted("node-3");
        assertEquals("node-3 active replicas=node-2 stale=node-1", promoted.format());
        assertTrue(promoted.names("node-1"), "a stale copy is no stranger's: no conflict at its start");
        assertEquals("node-3 active stale=node-1,node-2", promoted.withStale("node-2").format());
        assertEquals("node-1 active", PlacementEntry.replicated("node-1", List.of()).format());
    }
}
