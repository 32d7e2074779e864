package io.gitwar.service;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.failure.RepositoryBusy;
import io.gitwar.storage.SqliteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryActorTest {

    @TempDir
    Path tmp;

    @Test
    void theWriteQueueIsBoundedAndTimesOut() throws Exception {
        RepositoryActor actor = new RepositoryActor(RepositoryName.parse("q"),
                SqliteStore.at(tmp.resolve("q.sqlite"), "q"), Duration.ofSeconds(1));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> held = async(() -> actor.write(Duration.ofSeconds(1), 1, store -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        assertTrue(holding.await(30, TimeUnit.SECONDS));
        // one waiter is allowed: it waits (and here times out after 200 ms)
        RepositoryBusy timedOut = assertThrows(RepositoryBusy.class,
                () -> actor.write(Duration.ofMillis(200), 1, store -> null));
        assertTrue(timedOut.getMessage().contains("waited"), timedOut.getMessage());

        // with one waiter already queued, the next is refused at once
        CompletableFuture<Void> queued = async(() -> actor.write(Duration.ofMinutes(1), 1, store -> null));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!actor.hasWaitingWriters()) {
            assertTrue(System.nanoTime() < deadline, "the waiter never queued");
            Thread.onSpinWait();
        }
        RepositoryBusy full = assertThrows(RepositoryBusy.class,
                () -> actor.write(Duration.ofMinutes(1), 1, store -> null));
        assertTrue(full.getMessage().contains("1 pushes are already waiting"), full.getMessage());

        release.countDown();
        held.get(30, TimeUnit.SECONDS);
        queued.get(30, TimeUnit.SECONDS); // the queued one got its turn
        actor.write(Duration.ofSeconds(1), 1, store -> null);
    }

    @FunctionalInterface
    private interface Write {
        void run() throws IOException;
    }

    private static CompletableFuture<Void> async(Write write) {
        return CompletableFuture.runAsync(() -> {
            try {
                write.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
