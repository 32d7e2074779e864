package io.gitwar.service;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.storage.SqliteStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryActorTest {

    @TempDir
    Path tmp;

    @Test
    void theWriteQueueIsBoundedAndTimesOut() throws Exception {
        RepositoryActor actor = new RepositoryActor(RepositoryName.parse("q"),
                SqliteStore.at(tmp.resolve("q.sqlite"), "q"));
        RepositoryActor.WriteSlot held = actor.lockForWrite(Duration.ofSeconds(1), 1);
        // one waiter is allowed: it waits (and here times out after 200 ms)
        CompletableFuture<RepositoryBusy> waiter = CompletableFuture.supplyAsync(() ->
                assertThrows(RepositoryBusy.class, () -> actor.lockForWrite(Duration.ofMillis(200), 1)));
        RepositoryBusy timedOut = waiter.get(30, TimeUnit.SECONDS);
        assertTrue(timedOut.getMessage().contains("waited"), timedOut.getMessage());

        // with one waiter already queued, the next is refused at once
        CompletableFuture<Void> queued = CompletableFuture.runAsync(() -> actor.lockForWrite(Duration.ofMinutes(1), 1).close());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!actor.hasWaitingWriters()) {
            assertTrue(System.nanoTime() < deadline, "the waiter never queued");
            Thread.onSpinWait();
        }
        RepositoryBusy full = assertThrows(RepositoryBusy.class, () -> actor.lockForWrite(Duration.ofMinutes(1), 1));
        assertTrue(full.getMessage().contains("1 pushes are already waiting"), full.getMessage());

        held.close();
        queued.get(30, TimeUnit.SECONDS); // the queued one got its turn
        actor.lockForWrite(Duration.ofSeconds(1), 1).close();
    }
}
