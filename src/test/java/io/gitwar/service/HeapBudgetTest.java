package io.gitwar.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.failure.TooManyRequests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The heap admission: requests that do not fit wait in arrival order, and are refused only after the wait. */
class HeapBudgetTest {

    private static final long MIB = 1 << 20;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void aRequestThatDoesNotFitWaitsAndRunsWhenTheHeapIsGivenBack() throws Exception {
        HeapBudget budget = new HeapBudget(10 * MIB, Duration.ofMinutes(1));
        HeapBudget.Reservation first = budget.reserve(8 * MIB, "clone 1");
        Future<HeapBudget.Reservation> second = threads.submit(() -> budget.reserve(8 * MIB, "clone 2"));
        awaitWaiting(budget, 1);
        assertFalse(second.isDone());

        first.close();
        second.get(1, TimeUnit.MINUTES).close();
        assertEquals(0, budget.inUse());
    }

    @Test
    void aLargeRequestThatWaitsIsNotOvertakenBySmallOnes() throws Exception {
        HeapBudget budget = new HeapBudget(10 * MIB, Duration.ofMinutes(1));
        HeapBudget.Reservation first = budget.reserve(8 * MIB, "clone 1");
        Future<HeapBudget.Reservation> large = threads.submit(() -> budget.reserve(6 * MIB, "large push"));
        awaitWaiting(budget, 1);
        // 2 MiB are free, enough for this one, but the large request came first
        Future<HeapBudget.Reservation> small = threads.submit(() -> budget.reserve(MIB, "small fetch"));
        awaitWaiting(budget, 2);
        assertFalse(small.isDone());

        first.close();
        large.get(1, TimeUnit.MINUTES).close();
        small.get(1, TimeUnit.MINUTES).close();
    }

    @Test
    void aRequestIsRefusedWhenNoRoomComesWithinTheWait() {
        HeapBudget budget = new HeapBudget(10 * MIB, Duration.ofMillis(200));
        try (HeapBudget.Reservation all = budget.reserve(10 * MIB, "clone 1")) {
            TooManyRequests refused = assertThrows(TooManyRequests.class, () -> budget.reserve(MIB, "clone 2"));
            assertTrue(refused.getMessage().contains("server busy"), refused.getMessage());
            assertEquals(0, budget.waiting());
        }
    }

    @Test
    void aReservationGrowsWhenTheHeapComesFree() throws Exception {
        HeapBudget budget = new HeapBudget(10 * MIB, Duration.ofMinutes(1));
        HeapBudget.Reservation other = budget.reserve(6 * MIB, "clone");
        HeapBudget.Reservation push = budget.reserve(2 * MIB, "push");
        CompletableFuture<Void> grown = CompletableFuture.runAsync(() -> push.growTo(8 * MIB), threads);
        awaitWaiting(budget, 1);

        other.close();
        grown.get(1, TimeUnit.MINUTES);
        assertEquals(8 * MIB, budget.inUse());
        push.close();
        assertEquals(0, budget.inUse());
    }

    @Test
    void moreRequestsThanCouldEverRunAtOnceAreRefusedAtOnceInsteadOfQueueing() throws Exception {
        HeapBudget budget = new HeapBudget(10 * MIB, Duration.ofMinutes(1));
        HeapBudget.Reservation all = budget.reserve(10 * MIB, "clone 1");
        // room for two 5 MiB requests at once: two may wait, the third is refused
        Future<HeapBudget.Reservation> a = threads.submit(() -> budget.reserve(5 * MIB, "clone 2"));
        Future<HeapBudget.Reservation> b = threads.submit(() -> budget.reserve(5 * MIB, "clone 3"));
        awaitWaiting(budget, 2);
        assertThrows(TooManyRequests.class, () -> budget.reserve(5 * MIB, "clone 4"));

        all.close();
        a.get(1, TimeUnit.MINUTES).close();
        b.get(1, TimeUnit.MINUTES).close();
    }

    @Test
    void aReservationThatGrowsGoesBeforeNewRequests() throws Exception {
        HeapBudget budget = new HeapBudget(10 * MIB, Duration.ofMinutes(1));
        HeapBudget.Reservation clone = budget.reserve(6 * MIB, "clone");
        HeapBudget.Reservation push = budget.reserve(2 * MIB, "push");
        Future<HeapBudget.Reservation> arrival = threads.submit(() -> budget.reserve(6 * MIB, "new fetch"));
        awaitWaiting(budget, 1);
        CompletableFuture<Void> grown = CompletableFuture.runAsync(() -> push.growTo(6 * MIB), threads);
        awaitWaiting(budget, 2);

        clone.close(); // 8 MiB free: the push grows by 4 first, the new fetch (6) waits for the push's end
        grown.get(1, TimeUnit.MINUTES);
        assertFalse(arrival.isDone());
        assertEquals(6 * MIB, budget.inUse());
        push.close();
        arrival.get(1, TimeUnit.MINUTES).close();
        assertEquals(0, budget.inUse());
    }

    @Test
    void whenEveryReservationWaitsToGrowOneIsRefusedAtOnceAndTheOthersGo() throws Exception {
        // 16 pushes admitted with 8 MiB each fill the budget, then each asks for 16 MiB: none could
        // ever give heap back. One is refused at once (not all after the wait), the others then go.
        HeapBudget budget = new HeapBudget(128 * MIB, Duration.ofHours(1));
        List<HeapBudget.Reservation> pushes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            pushes.add(budget.reserve(8 * MIB, "push " + i));
        }
        List<Future<Boolean>> grown = new ArrayList<>();
        for (HeapBudget.Reservation push : pushes) {
            grown.add(threads.submit(() -> {
                try (push) {
                    push.growTo(16 * MIB);
                    return true;
                } catch (TooManyRequests refused) {
                    assertTrue(refused.getMessage().contains("every other request waits"), refused.getMessage());
                    return false;
                }
            }));
        }
        int refused = 0;
        for (Future<Boolean> g : grown) {
            refused += g.get(1, TimeUnit.MINUTES) ? 0 : 1;
        }
        assertEquals(1, refused);
        assertEquals(0, budget.inUse());
        assertEquals(0, budget.waiting());
    }

    private static void awaitWaiting(HeapBudget budget, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (budget.waiting() < count) {
            assertTrue(System.nanoTime() < deadline, "no request started waiting");
            Thread.sleep(5);
        }
    }
}
