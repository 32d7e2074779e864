package io.gitwar.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitwar.config.GitwarConfig;
import io.gitwar.config.MapConfig;
import io.gitwar.failure.RepositoryDamaged;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.DiskSpace;
import io.gitwar.service.Lease;
import io.gitwar.service.Lifecycle;
import io.gitwar.service.RepositoryName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each check against the real things it looks at: a data directory, its disk, SQLite, a write queue. */
class HealthChecksTest {

    @TempDir
    Path tmp;

    private HealthChecks checks(String... settings) {
        Map<String, String> values = new HashMap<>(Map.of("gitwar.data-dir", tmp.resolve("data").toString()));
        for (int i = 0; i + 1 < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        GitwarConfig config = GitwarConfig.from(new MapConfig(values));
        HealthChecks c = new HealthChecks();
        c.config = config;
        c.registry = new ActorRegistry(config);
        c.disk = new DiskSpace(config);
        c.lifecycle = new Lifecycle();
        return c;
    }

    @Test
    void aDataDirectoryThatTakesNoFileIsNotReadyUntilItDoesAgain() throws Exception {
        HealthChecks c = checks();
        HealthCheckResponse ready = c.dataDirectory().call();
        assertEquals(HealthCheckResponse.Status.UP, ready.getStatus());
        assertEquals(true, data(ready).get("writable"));
        try (var left = Files.list(tmp.resolve("data"))) {
            assertEquals(0, left.filter(p -> p.getFileName().toString().startsWith(".write-probe")).count());
        }

        Path gone = Files.move(tmp.resolve("data"), tmp.resolve("elsewhere"));
        HealthCheckResponse notReady = c.dataDirectory().call();
        assertEquals(HealthCheckResponse.Status.DOWN, notReady.getStatus());
        assertEquals(false, data(notReady).get("writable"));
        assertTrue(String.valueOf(data(notReady).get("reason")).contains("NoSuchFile"), data(notReady).toString());
        assertTrue(!data(notReady).toString().contains(tmp.toString()), "no paths: " + data(notReady));

        Files.move(gone, tmp.resolve("data"));
        assertEquals(HealthCheckResponse.Status.UP, c.dataDirectory().call().getStatus());
    }

    @Test
    void damagedRepositoriesAreReportedButLeaveTheNodeReady() throws Exception {
        HealthChecks c = checks();
        Path file = c.registry.dataDirectory().fileOf("team/broken");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "not a database, not even SQLite");
        try (Lease lease = c.registry.lease(RepositoryName.parse("team/broken"))) {
            try {
                lease.snapshot();
            } catch (RepositoryDamaged expected) {
                // what a request for it gets
            }
        }
        HealthCheckResponse r = c.dataDirectory().call();
        assertEquals(HealthCheckResponse.Status.UP, r.getStatus());
        assertEquals(1L, data(r).get("damaged_repositories"));
        assertEquals("team/broken", data(r).get("damaged"));
    }

    @Test
    void aDiskBelowTheFloorIsNotReady() throws Exception {
        HealthCheckResponse low = checks("gitwar.min-free-disk-mib", Long.toString(Long.MAX_VALUE >> 21)).diskSpace().call();
        assertEquals(HealthCheckResponse.Status.DOWN, low.getStatus());
        assertTrue((Long) data(low).get("free_bytes") < (Long) data(low).get("floor_bytes"), data(low).toString());
        HealthCheckResponse fine = checks("gitwar.min-free-disk-mib", "0").diskSpace().call();
        assertEquals(HealthCheckResponse.Status.UP, fine.getStatus());
    }

    @Test
    void sqlitesNativeLibraryAnswers() throws Exception {
        HealthCheckResponse r = checks().sqlite().call();
        assertEquals(HealthCheckResponse.Status.UP, r.getStatus());
        assertTrue(String.valueOf(data(r).get("version")).matches("3\\.\\d+\\.\\d+"), data(r).toString());
    }

    @Test
    void writesWaitingAtTheBoundMakeTheNodeNotReady() throws Exception {
        HealthChecks c = checks("gitwar.health.max-waiting-writes", "1");
        assertEquals(HealthCheckResponse.Status.UP, c.pushQueues().call().getStatus());
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Lease lease = c.registry.lease(RepositoryName.parse("busy"))) {
            CompletableFuture<Object> held = CompletableFuture.supplyAsync(() -> write(lease, () -> {
                holding.countDown();
                await(release);
            }));
            assertTrue(holding.await(30, TimeUnit.SECONDS));
            CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> write(lease, () -> { }));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (c.registry.waitingWrites() == 0) {
                assertTrue(System.nanoTime() < deadline, "the second write never queued");
                Thread.onSpinWait();
            }
            HealthCheckResponse full = c.pushQueues().call();
            assertEquals(HealthCheckResponse.Status.DOWN, full.getStatus());
            assertEquals(1L, data(full).get("waiting_writes"));
            release.countDown();
            held.get(30, TimeUnit.SECONDS);
            waiting.get(30, TimeUnit.SECONDS);
        }
        assertEquals(HealthCheckResponse.Status.UP, c.pushQueues().call().getStatus());
    }

    @Test
    void notLiveBeforeTheApplicationStarted() {
        HealthCheckResponse r = checks().live().call();
        assertEquals(HealthCheckResponse.Status.DOWN, r.getStatus());
        assertEquals(0L, data(r).get("deadlocked_threads"));
    }

    private static Object write(Lease lease, Runnable work) {
        try {
            return lease.actor().write(Duration.ofSeconds(30), 10, store -> {
                work.run();
                return null;
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, Object> data(HealthCheckResponse r) {
        return r.getData().orElse(Map.of());
    }
}
