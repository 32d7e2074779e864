package io.gitwar.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Counts per key: a key's count stops at its cap and goes back to nothing. */
class CountsPerKeyTest {

    @Test
    void aKeyTakesUpToItsCapAndOthersAreNotConcerned() {
        CountsPerKey<String> counts = new CountsPerKey<>();
        assertTrue(counts.tryEnter("a", 2));
        assertTrue(counts.tryEnter("a", 2));
        assertFalse(counts.tryEnter("a", 2));
        assertTrue(counts.tryEnter("b", 2));
        assertEquals(2, counts.count("a"));

        counts.leave("a");
        assertTrue(counts.tryEnter("a", 2));
        counts.leave("a");
        counts.leave("a");
        assertEquals(0, counts.count("a"));
        assertEquals(1, counts.count("b"));
    }
}
