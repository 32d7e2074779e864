package io.gitwar.service.hooks;

import io.gitwar.config.GitwarConfig;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.Background;
import io.gitwar.service.Lease;
import io.gitwar.service.RepositoryName;
import io.gitwar.service.RepositoryWrites;
import io.gitwar.storage.ReadSnapshot;
import io.gitwar.storage.file.HookRows;
import io.gitwar.storage.file.OutboxRows;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes the deliveries repositories' outboxes owe, in the background ({@link Background}, on the
 * container's managed executor): each attempt is logged with the hook (its repository's file, or
 * the global hooks' file), then the delivery leaves the outbox (delivered, or given up after
 * {@code gitwar.hooks.max-attempts}) or waits for its next attempt, {@code gitwar.hooks.retry-seconds}
 * doubled after each failure. At least once: a delivery made but not yet recorded when the server
 * stops is made again, with the same {@code X-Gitwar-Delivery}.
 *
 * <p>Never in a push's way: pushes only add rows; a dead receiver holds one of the
 * {@code gitwar.hooks.max-concurrent-deliveries} places for at most its timeouts, and a hook has
 * at most one delivery in progress, so one dead receiver never holds up the others. At start,
 * every repository's outbox is looked at, so what was owed when the server stopped (or was
 * killed) is delivered. Thread-safe.
 */
@ApplicationScoped
public class Deliverer {

    private static final Logger LOG = Logger.getLogger(Deliverer.class.getName());

    /** How often due retries are looked for (also the precision of the backoff). */
    private static final Duration TICK = Duration.ofSeconds(1);
    /** Deliveries read from one outbox at a time. */
    private static final int BATCH = 50;
    /** Names read at a time while the outboxes are looked at after a start. */
    private static final int SCAN_PAGE = 500;

    @Inject
    GitwarConfig config;

    @Inject
    ActorRegistry registry;

    @Inject
    RepositoryWrites writes;

    @Inject
    Background background;

    @Inject
    GlobalHooks global;

    @Inject
    DeliveryPlace place;

    /**
     * When a repository's outbox is to be looked at next. Compared by identity (no equals): a
     * look replaces or removes only the very mark it read, never one a push set meanwhile.
     */
    private static final class Due {
        private final Instant at;

        Due(Instant at) {
            this.at = at;
        }

        Instant at() {
            return at;
        }
    }

    private final Map<String, Due> due = new ConcurrentHashMap<>();
    /** Deliveries in progress, {@code repository#outbox id}. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Hooks with a delivery in progress. */
    private final Set<String> busyHooks = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean dispatching = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile Semaphore places;
    private volatile HookSender sender;

    /** After gitwar's own start ({@code Lifecycle}, default priority): resumes what the outboxes hold. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) @Initialized(ApplicationScoped.class)
            Object event) {
        places = new Semaphore(config.hooks().maxConcurrentDeliveries());
        sender = new HookSender(config.hooks(), (delay, task) -> {
            Background.Pending cut = background.runLater(delay, "webhook attempt deadline", task);
            return cut::cancel;
        });
        background.runEvery(TICK, "webhook deliveries", this::dispatch);
        background.run(this::resume);
    }

    /** The repository's outbox gained deliveries (a push committed them): look now. */
    public void wake(String repository) {
        due.put(repository, new Due(Instant.EPOCH));
        try {
            background.run(this::dispatch);
        } catch (RejectedExecutionException stopping) {
            // delivered after the next start
        }
    }

    /** Looks at every repository's outbox once (after a start). */
    private void resume() {
        String after = null;
        int owing = 0;
        try {
            while (true) {
                List<String> names = registry.dataDirectory().names(null, after, SCAN_PAGE);
                for (String name : names) {
                    try (Lease lease = registry.lease(new RepositoryName(name))) {
                        if (lease.exists() && lease.snapshot().outbox().count() > 0) {
                            due.put(name, new Due(Instant.EPOCH));
                            owing++;
                        }
                    } catch (IOException | RuntimeException e) {
                        // older schema (no outbox yet), damaged or gone: nothing to deliver from it
                        LOG.log(Level.FINE, "outbox of " + name + " not read", e);
                    }
                }
                if (names.size() < SCAN_PAGE) {
                    break;
                }
                after = names.get(names.size() - 1);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "repositories' outboxes not looked at after the start", e);
        }
        int n = owing;
        if (n > 0) {
            LOG.info(() -> n + " repositories owe webhook deliveries; resuming them");
            dispatch();
        }
    }

    /** Starts the deliveries that are due and have a place; runs on one thread at a time. */
    private void dispatch() {
        if (sender == null) {
            return;
        }
        if (!dispatching.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        try {
            do {
                again.set(false);
                for (Map.Entry<String, Due> e : due.entrySet()) {
                    if (!e.getValue().at().isAfter(Instant.now())) {
                        look(e.getKey(), e.getValue());
                    }
                }
            } while (again.get());
        } finally {
            dispatching.set(false);
        }
    }

    /** Reads the due deliveries of one repository and starts those that may start. */
    private void look(String repository, Due seen) {
        if (!place.deliversHere(repository)) {
            due.remove(repository, seen); // another node's to make (woken here if this one takes over)
            return;
        }
        Instant now = Instant.now();
        List<OutboxRows.Pending> rows;
        Instant next;
        try (Lease lease = registry.lease(new RepositoryName(repository))) {
            if (!lease.exists()) {
                due.remove(repository, seen);
                return;
            }
            ReadSnapshot s = lease.snapshot();
            rows = s.outbox().due(now, BATCH);
            next = s.outbox().nextDue();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "outbox of " + repository + " not read", e);
            due.replace(repository, seen, new Due(now.plus(config.hooks().retryDelay())));
            return;
        }
        if (next == null) {
            due.remove(repository, seen);
        } else {
            // deliveries in progress stay due until recorded: looked at again each tick meanwhile
            due.replace(repository, seen, new Due(next.isBefore(now) ? now.plus(TICK) : next));
        }
        for (OutboxRows.Pending p : rows) {
            String key = repository + "#" + p.id();
            String hook = p.scope() == OutboxRows.Scope.GLOBAL ? "global#" + p.hookId() : repository + "#hook#" + p.hookId();
            if (inFlight.contains(key) || busyHooks.contains(hook) || !places.tryAcquire()) {
                continue;
            }
            if (!busyHooks.add(hook)) {
                places.release();
                continue;
            }
            inFlight.add(key);
            try {
                background.run(() -> deliver(repository, p, key, hook));
            } catch (RejectedExecutionException stopping) {
                inFlight.remove(key);
                busyHooks.remove(hook);
                places.release();
                return;
            }
        }
    }

    /** One attempt of one delivery, recorded. */
    private void deliver(String repository, OutboxRows.Pending seen, String key, String hookKey) {
        try {
            // Read again: the look that started this may have read its snapshot before an attempt
            // of the same delivery was recorded (and let go of it just now). Made, or made again,
            // since: not ours to make.
            Optional<OutboxRows.Pending> now = stillOwed(repository, seen);
            if (now.isEmpty()) {
                return;
            }
            OutboxRows.Pending p = now.get();
            Optional<HookRows.Hook> hook = hook(repository, p);
            if (hook.isEmpty() || !hook.get().active()) {
                record(repository, p, null, true); // the hook was deleted or switched off meanwhile
                return;
            }
            int attempt = p.attempts() + 1;
            HookRows.Attempt a = sender.send(hook.get(), p, repository, attempt);
            boolean delivered = a.error() == null;
            boolean done = delivered || attempt >= config.hooks().maxAttempts();
            if (!delivered) {
                LOG.info(() -> "webhook delivery " + p.deliveryId() + " of " + repository + " to " + hook.get().url()
                        + " failed (attempt " + attempt + "): " + (a.status() == null ? "" : a.status() + " ")
                        + a.error() + (done ? "; given up" : ""));
            }
            if (p.scope() == OutboxRows.Scope.GLOBAL) {
                global.run(rows -> {
                    rows.log(a);
                    return null;
                });
            }
            record(repository, p, a, done);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "webhook delivery " + seen.deliveryId() + " of " + repository + " not recorded", e);
        } finally {
            inFlight.remove(key);
            busyHooks.remove(hookKey);
            places.release();
            wake(repository); // the hook's next delivery, if any, need not wait for the tick
        }
    }

    private Optional<OutboxRows.Pending> stillOwed(String repository, OutboxRows.Pending seen) throws IOException {
        try (Lease lease = registry.lease(new RepositoryName(repository))) {
            if (!lease.exists()) {
                return Optional.empty();
            }
            return lease.snapshot().outbox().get(seen.id()).filter(p -> p.attempts() == seen.attempts());
        }
    }

    private Optional<HookRows.Hook> hook(String repository, OutboxRows.Pending p) throws IOException {
        if (p.scope() == OutboxRows.Scope.GLOBAL) {
            return global.list().stream().filter(h -> h.id() == p.hookId()).findFirst();
        }
        try (Lease lease = registry.lease(new RepositoryName(repository))) {
            return lease.snapshot().hooks().get(p.hookId());
        }
    }

    /**
     * Records an attempt of a repository's own hook with it, and takes the delivery out of the
     * outbox ({@code done}) or sets its next attempt, in one write of the repository.
     */
    private void record(String repository, OutboxRows.Pending p, HookRows.Attempt a, boolean done) throws IOException {
        try (Lease lease = registry.lease(new RepositoryName(repository))) {
            writes.maintain(lease.actor(), tx -> {
                if (tx.isCreating()) {
                    tx.setRollbackOnly(); // deleted meanwhile: never bring it back
                    return null;
                }
                if (a != null && p.scope() == OutboxRows.Scope.REPOSITORY) {
                    tx.hooks().log(a);
                }
                if (done) {
                    tx.outbox().remove(p.id());
                } else {
                    tx.outbox().retryAt(p.id(), a.attempt(), Instant.now().plus(config.hooks().backoff(a.attempt())));
                }
                return null;
            });
        }
    }
}
