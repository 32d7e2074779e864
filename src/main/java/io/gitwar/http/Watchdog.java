package io.gitwar.http;

import io.gitwar.config.GitwarConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Checks every request in progress against its {@link RequestGuard} once a second, on the container's
 * scheduler: one task for all requests, no thread of its own.
 */
@ApplicationScoped
class Watchdog {

    /** Bounds are in seconds; a second's delay in noticing a broken one is immaterial. */
    private static final long PERIOD_MILLIS = 1000;

    private final Set<RequestGuard> active = ConcurrentHashMap.newKeySet();

    @Inject
    GitwarConfig config;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> checks;

    @PostConstruct
    void start() {
        checks = scheduler.scheduleWithFixedDelay(this::checkAll, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        checks.cancel(false);
    }

    /** Guards the calling thread's request until the guard is closed. */
    RequestGuard guard() {
        RequestGuard[] guard = new RequestGuard[1];
        guard[0] = new RequestGuard(config.limits().requestReadTimeout(), config.clients(),
                () -> active.remove(guard[0]));
        active.add(guard[0]);
        return guard[0];
    }

    private void checkAll() {
        long now = System.nanoTime();
        for (RequestGuard g : active) {
            g.check(now);
        }
    }
}
