package io.gitwar.health;

import io.gitwar.config.GitwarConfig;
import io.gitwar.config.Version;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.DiskSpace;
import io.gitwar.service.Lifecycle;
import io.gitwar.storage.file.SqliteLibrary;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * gitwar's health checks, as CDI producers of MicroProfile Health checks.
 *
 * <p><b>Live</b> ({@code gitwar}): the application started and is not stopping, and no threads are
 * deadlocked, which only a restart ends. Nothing outside the JVM counts: a full disk is no reason to
 * restart.
 *
 * <p><b>Ready</b>, each its own check: the data directory takes a file ({@code data-directory});
 * its file system has more than {@code gitwar.min-free-disk-mib} free ({@code disk-space}: below
 * that every push is refused, so the node leaves its balancer's rotation while the floor still
 * leaves room for the pushes in progress to finish); SQLite's native library works ({@code sqlite});
 * fewer than {@code gitwar.health.max-waiting-writes} writes wait for their repositories' turns
 * ({@code push-queues}). Damaged repositories are reported in {@code data-directory}'s data but
 * leave the node ready: each is one repository's problem (its requests fail with 500, naming no
 * file), and taking the node out would refuse every other repository too.
 *
 * <p>Checks are cheap (a file written and deleted without a sync, a {@code statvfs}, a query on an
 * in-memory database, a sum over the open repositories, a deadlock search at most every few seconds),
 * since anyone may ask for them on the HTTP port, and reveal no paths: their data is public.
 */
@ApplicationScoped
public class HealthChecks {

    private static final Logger LOG = Logger.getLogger(HealthChecks.class.getName());

    /** Damaged repositories named in the data; the count is always complete. */
    static final int MAX_NAMED = 10;

    @Inject
    GitwarConfig config;

    @Inject
    Lifecycle lifecycle;

    @Inject
    ActorRegistry registry;

    @Inject
    DiskSpace disk;

    /** Kubernetes' default probe period is 10 s: each probe of a balancer still gets a fresh search. */
    static final Duration DEADLOCK_SEARCH_INTERVAL = Duration.ofSeconds(5);

    private final AtomicBoolean sqliteFailed = new AtomicBoolean();
    private long deadlockSearched;
    private int deadlocked;

    @Produces
    @Liveness
    HealthCheck live() {
        return () -> {
            int n = deadlockedThreads();
            return HealthCheckResponse.named("gitwar").status(lifecycle.running() && n == 0)
                    .withData("version", Version.VALUE).withData("deadlocked_threads", n).build();
        };
    }

    /**
     * The JVM's deadlocked threads, searched for at most once every {@link #DEADLOCK_SEARCH_INTERVAL}:
     * the search stops every thread for a moment, and anyone may ask for liveness as often as they
     * like. A deadlock never ends by itself, so an answer a few seconds old is still true.
     */
    private synchronized int deadlockedThreads() {
        long now = System.nanoTime();
        if (deadlockSearched == 0 || now - deadlockSearched >= DEADLOCK_SEARCH_INTERVAL.toNanos()) {
            long[] found = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
            deadlocked = found == null ? 0 : found.length;
            deadlockSearched = now == 0 ? 1 : now;
        }
        return deadlocked;
    }

    @Produces
    @Readiness
    HealthCheck dataDirectory() {
        return () -> {
            HealthCheckResponseBuilder r = HealthCheckResponse.named("data-directory");
            try {
                registry.dataDirectory().checkWritable();
                r.up().withData("writable", true);
            } catch (IOException e) {
                r.down().withData("writable", false).withData("reason", reason(e));
            }
            Map<String, String> damaged = registry.dataDirectory().damaged().all();
            List<String> named = damaged.keySet().stream().limit(MAX_NAMED).toList();
            r.withData("damaged_repositories", damaged.size());
            if (!named.isEmpty()) {
                r.withData("damaged", String.join(", ", named) + (damaged.size() > named.size() ? ", ..." : ""));
            }
            return r.build();
        };
    }

    @Produces
    @Readiness
    HealthCheck diskSpace() {
        return () -> HealthCheckResponse.named("disk-space").status(disk.aboveFloor())
                .withData("free_bytes", disk.freeBytes()).withData("floor_bytes", disk.floorBytes()).build();
    }

    @Produces
    @Readiness
    HealthCheck sqlite() {
        return () -> {
            HealthCheckResponseBuilder r = HealthCheckResponse.named("sqlite");
            try {
                String version = SqliteLibrary.version();
                sqliteFailed.set(false);
                return r.up().withData("version", version).build();
            } catch (IOException e) {
                if (!sqliteFailed.getAndSet(true)) { // once per failure, not once per probe
                    LOG.log(Level.SEVERE, "SQLite does not work: gitwar is not ready", e);
                }
                return r.down().withData("reason", "SQLite's native library does not work (the server's log says why)")
                        .build();
            }
        };
    }

    @Produces
    @Readiness
    HealthCheck pushQueues() {
        return () -> {
            int waiting = registry.waitingWrites();
            int max = config.monitoring().maxWaitingWrites();
            return HealthCheckResponse.named("push-queues").status(waiting < max)
                    .withData("waiting_writes", waiting).withData("max_waiting_writes", max).build();
        };
    }

    /** Why a file could not be written, without its path (the data is public). */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getClass().getSimpleName();
    }
}
