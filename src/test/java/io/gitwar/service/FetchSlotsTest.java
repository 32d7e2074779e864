package io.gitwar.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.config.GitwarConfig;
import io.gitwar.config.MapConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FetchSlotsTest {

    private static final RepositoryName HOT = RepositoryName.parse("team/hot");
    private static final RepositoryName OTHER = RepositoryName.parse("team/other");

    private static FetchSlots slots(int total, int perRepository) {
        return new FetchSlots(GitwarConfig.from(new MapConfig(Map.of("gitwar.max-concurrent-fetches",
                Integer.toString(total), "gitwar.max-concurrent-fetches-per-repository",
                Integer.toString(perRepository)))));
    }

    @Test
    void aRepositoryAtItsCapRefusesTheNextFetchWhileAnotherIsServed() {
        FetchSlots slots = slots(10, 2);
        FetchSlots.Slot a = slots.enter(HOT);
        FetchSlots.Slot b = slots.enter(HOT);
        FetchSlots.Slot refused = slots.enter(HOT);
        assertTrue(a.admitted() && b.admitted());
        assertFalse(refused.admitted());
        assertEquals(FetchSlots.Cap.REPOSITORY, refused.refusedBy());
        assertTrue(refused.reason().contains("too many fetches of team/hot in progress (at most 2 at once)"),
                refused.reason());
        refused.close(); // holds nothing: gives nothing back
        assertEquals(2, slots.inProgress());

        FetchSlots.Slot other = slots.enter(OTHER);
        assertTrue(other.admitted());
        assertNull(other.refusedBy());

        a.close();
        a.close(); // idempotent
        assertEquals(2, slots.inProgress());
        assertTrue(slots.enter(HOT).admitted(), "a place came free");
    }

    @Test
    void theAdvertisementIsToldWhichCapANewFetchWouldMeetWithoutTakingAPlace() {
        FetchSlots slots = slots(2, 1);
        assertNull(slots.wouldRefuse(HOT));
        assertEquals(0, slots.inProgress(), "asking takes nothing");
        FetchSlots.Slot hot = slots.enter(HOT);
        assertEquals(FetchSlots.Cap.REPOSITORY, slots.wouldRefuse(HOT));
        assertNull(slots.wouldRefuse(OTHER));
        FetchSlots.Slot other = slots.enter(OTHER);
        assertEquals(FetchSlots.Cap.SERVER, slots.wouldRefuse(RepositoryName.parse("third")));
        assertTrue(slots.reason(FetchSlots.Cap.SERVER, OTHER).startsWith("server busy"));
        hot.close();
        other.close();
        assertNull(slots.wouldRefuse(HOT));
    }

    @Test
    void theServerCapRefusesOnceAllRepositoriesTogetherHaveIt() {
        FetchSlots slots = slots(3, 2);
        assertTrue(slots.enter(HOT).admitted());
        assertTrue(slots.enter(HOT).admitted());
        FetchSlots.Slot third = slots.enter(OTHER);
        assertTrue(third.admitted());
        FetchSlots.Slot refused = slots.enter(OTHER);
        assertEquals(FetchSlots.Cap.SERVER, refused.refusedBy());
        assertTrue(refused.reason().contains("server busy: too many fetches in progress (at most 3 at once)"),
                refused.reason());
        third.close();
        assertTrue(slots.enter(OTHER).admitted(), "the refused one took no place of its repository");
        assertFalse(slots.enter(RepositoryName.parse("third")).admitted());
    }

    @Test
    void concurrentFetchesNeverExceedTheCapsAndGiveEveryPlaceBack() throws Exception {
        FetchSlots slots = slots(6, 4);
        AtomicInteger inHot = new AtomicInteger();
        AtomicInteger maxInHot = new AtomicInteger();
        AtomicInteger maxInAll = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                RepositoryName name = t % 2 == 0 ? HOT : RepositoryName.parse("r" + t);
                runs.add(CompletableFuture.runAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < 2000; i++) {
                        try (FetchSlots.Slot s = slots.enter(name)) {
                            if (s.admitted()) {
                                maxInAll.accumulateAndGet(slots.inProgress(), Math::max);
                                if (name.equals(HOT)) {
                                    maxInHot.accumulateAndGet(inHot.incrementAndGet(), Math::max);
                                    inHot.decrementAndGet();
                                }
                            }
                        }
                    }
                }, pool));
            }
            start.countDown();
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertTrue(maxInHot.get() <= 4, "hot had " + maxInHot.get());
        assertTrue(maxInAll.get() <= 6, "all had " + maxInAll.get());
        assertEquals(0, slots.inProgress());
        assertTrue(slots.enter(HOT).admitted());
    }
}
