package io.gitwar.service.hooks;

import io.gitwar.config.GitwarConfig;
import io.gitwar.failure.BadRequest;
import io.gitwar.failure.NotFound;
import io.gitwar.failure.RepositoryNotFound;
import io.gitwar.failure.Unprocessable;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.Lease;
import io.gitwar.service.RepositoryChanged;
import io.gitwar.service.RepositoryName;
import io.gitwar.service.RepositoryWrites;
import io.gitwar.storage.WriteTransaction;
import io.gitwar.storage.file.HookRows;
import io.gitwar.storage.file.OutboxRows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Operating webhooks, what gitwar's API calls: a repository's own (kept in its file, written in its
 * write turn, so they move, fork-less, and back up with it) or the global ones ({@link GlobalHooks}).
 * Every hook's URL passes the {@link HookGuard}; the numbers of hooks, the lengths of URLs and
 * secrets are bounded. Deliveries are logged per hook ({@link HookRows#KEPT_ATTEMPTS} kept).
 */
@ApplicationScoped
public class Hooks {

    /** The events a hook may ask for. */
    public static final Set<String> EVENTS = Set.of(Outbox.PUSH);
    /** The longest secret taken: GitHub's secrets are tokens of a few dozen characters. */
    public static final int MAX_SECRET = 1024;
    /** Log entries per page at most. */
    public static final int MAX_PAGE = 100;

    /**
     * What a hook is to be; on a change, null keeps the current value.
     *
     * @param url where deliveries are POSTed (http or https)
     * @param secret the HMAC key of {@code X-Hub-Signature-256} ("" signs nothing); never read back
     * @param events what it is told of (default {@code ["push"]})
     * @param active whether it is told anything (default true)
     */
    public record Spec(String url, String secret, List<String> events, Boolean active) {
    }

    /** A hook as operators see it: never its secret, only whether it has one. */
    public record Hook(long id, String url, List<String> events, boolean active, boolean secretSet,
            Instant createdAt, Instant updatedAt) {

        static Hook of(HookRows.Hook h) {
            return new Hook(h.id(), h.url(), h.events(), h.active(), !h.secret().isEmpty(), h.createdAt(),
                    h.updatedAt());
        }
    }

    /**
     * One logged attempt of a delivery.
     *
     * @param status the response's status, null if none came (refused, unreachable, timed out)
     * @param requestHeaders the headers sent, {@code Name: value} lines
     * @param responseHead the response body's first 4 KiB
     */
    public record Delivery(long id, String deliveryId, String event, String repository, int attempt, Instant at,
            long durationMillis, String requestHeaders, String requestBody, Integer status, String responseHead,
            String error) {

        static Delivery of(HookRows.Attempt a) {
            return new Delivery(a.id(), a.deliveryId(), a.event(), a.repository(), a.attempt(), a.at(),
                    a.durationMillis(), a.requestHeaders(), a.requestBody(), a.status(), a.responseHead(), a.error());
        }
    }

    @Inject
    GitwarConfig config;

    @Inject
    ActorRegistry registry;

    @Inject
    RepositoryWrites writes;

    @Inject
    GlobalHooks global;

    @Inject
    Deliverer deliverer;

    @Inject
    Event<RepositoryChanged> repositoryChanged;

    /** The hooks of {@code repository}, or the global ones (null). */
    public List<Hook> list(RepositoryName repository) throws IOException {
        return rows(repository).stream().map(Hook::of).toList();
    }

    private List<HookRows.Hook> rows(RepositoryName repository) throws IOException {
        if (repository == null) {
            return global.list();
        }
        try (Lease lease = registry.lease(repository)) {
            requireExists(lease);
            return lease.snapshot().hooks().list();
        }
    }

    public Hook get(RepositoryName repository, long id) throws IOException {
        return Hook.of(row(repository, id));
    }

    private HookRows.Hook row(RepositoryName repository, long id) throws IOException {
        return rows(repository).stream().filter(h -> h.id() == id).findFirst()
                .orElseThrow(() -> notFound(repository, id));
    }

    /**
     * Adds a hook.
     *
     * @throws BadRequest if the URL is not one hooks may point at, or a field is invalid
     * @throws Unprocessable if there are as many hooks as allowed already
     */
    public Hook create(RepositoryName repository, Spec spec) throws IOException {
        if (spec == null || spec.url() == null) {
            throw new BadRequest("\"url\" is required");
        }
        Spec s = valid(new Spec(spec.url(), spec.secret() == null ? "" : spec.secret(),
                spec.events() == null ? List.of(Outbox.PUSH) : spec.events(), spec.active() == null || spec.active()));
        Instant now = Instant.now();
        if (repository == null) {
            long id = global.run(rows -> {
                requireRoom(rows.count(), config.hooks().maxGlobalHooks(), "global hooks");
                return rows.add(s.url(), s.secret(), s.events(), s.active(), now);
            });
            return get(null, id);
        }
        long id = inRepository(repository, tx -> {
            requireRoom(tx.hooks().count(), config.hooks().maxHooksPerRepository(), "hooks per repository");
            return tx.hooks().add(s.url(), s.secret(), s.events(), s.active(), now);
        });
        return get(repository, id);
    }

    /** Changes the keys of {@code spec} that are not null. */
    public Hook update(RepositoryName repository, long id, Spec spec) throws IOException {
        if (spec == null) {
            throw new BadRequest("a JSON object with url, secret, events or active is expected");
        }
        HookRows.Hook old = row(repository, id);
        Spec s = valid(new Spec(spec.url() == null ? old.url() : spec.url(),
                spec.secret() == null ? old.secret() : spec.secret(),
                spec.events() == null ? old.events() : spec.events(), spec.active() == null ? old.active() : spec.active()));
        HookRows.Hook changed = new HookRows.Hook(id, s.url(), s.secret(), s.events(), s.active(), old.createdAt(),
                old.updatedAt());
        Instant now = Instant.now();
        boolean found = repository == null ? global.run(rows -> rows.update(changed, now))
                : inRepository(repository, tx -> tx.hooks().update(changed, now));
        if (!found) {
            throw notFound(repository, id);
        }
        return get(repository, id);
    }

    /** Deletes a hook with its log; what it was owed is dropped when its turn comes. */
    public void delete(RepositoryName repository, long id) throws IOException {
        boolean found = repository == null ? global.run(rows -> rows.delete(id))
                : inRepository(repository, tx -> tx.hooks().delete(id));
        if (!found) {
            throw notFound(repository, id);
        }
    }

    /** The hook's logged attempts, newest first, those older than {@code before} (0: from the newest). */
    public List<Delivery> deliveries(RepositoryName repository, long id, long before, int limit)
            throws IOException {
        return attempts(repository, id, before, limit).stream().map(Delivery::of).toList();
    }

    private List<HookRows.Attempt> attempts(RepositoryName repository, long id, long before, int limit)
            throws IOException {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new BadRequest("limit must be between 1 and " + MAX_PAGE);
        }
        row(repository, id);
        if (repository == null) {
            return global.run(rows -> rows.attempts(id, before, limit));
        }
        try (Lease lease = registry.lease(repository)) {
            return lease.snapshot().hooks().attempts(id, before, limit);
        }
    }

    /**
     * Delivers a logged attempt's body again, with the same delivery id, as a new delivery of the
     * repository it came from (its attempts start again).
     *
     * @return the delivery id
     */
    public String redeliver(RepositoryName repository, long id, long attemptId) throws IOException {
        HookRows.Attempt a = attempts(repository, id, attemptId + 1, 1).stream().filter(x -> x.id() == attemptId)
                .findFirst().orElseThrow(() -> new NotFound("delivery " + attemptId + " of hook " + id
                        + " is not in its log"));
        RepositoryName from = repository == null ? RepositoryName.parse(a.repository()) : repository;
        OutboxRows.Scope scope = repository == null ? OutboxRows.Scope.GLOBAL : OutboxRows.Scope.REPOSITORY;
        inRepository(from, tx -> {
            tx.outbox().add(a.deliveryId(), scope, id, a.event(), a.requestBody(), Instant.now());
            return null;
        });
        deliverer.wake(registry.canonical(from).value());
        return a.deliveryId();
    }

    @FunctionalInterface
    private interface Change<T> {
        T run(WriteTransaction tx) throws IOException;
    }

    private <T> T inRepository(RepositoryName repository, Change<T> change) throws IOException {
        try (Lease lease = registry.lease(repository)) {
            T done = writes.maintain(lease.actor(), tx -> {
                if (tx.isCreating()) {
                    throw new RepositoryNotFound("repository not found: " + repository);
                }
                return change.run(tx);
            });
            repositoryChanged.fire(new RepositoryChanged(lease.name().toString(), Instant.now()));
            return done;
        }
    }

    private Spec valid(Spec s) {
        String refused = new HookGuard(config.hooks().allowedHosts(), InetAddress::getAllByName).refusal(s.url());
        if (refused != null) {
            throw new BadRequest("hook refused: " + refused);
        }
        if (s.secret().length() > MAX_SECRET) {
            throw new BadRequest("the secret is longer than " + MAX_SECRET + " characters");
        }
        if (s.events().isEmpty() || !EVENTS.containsAll(s.events())) {
            throw new BadRequest("events must be a non-empty list of " + EVENTS);
        }
        return new Spec(s.url(), s.secret(), List.copyOf(new java.util.LinkedHashSet<>(s.events())), s.active());
    }

    private static void requireRoom(int count, int max, String what) {
        if (count >= max) {
            throw new Unprocessable("at most " + max + " " + what + " (gitwar.hooks.max-"
                    + (what.startsWith("global") ? "global" : "per-repository") + ")");
        }
    }

    private static void requireExists(Lease lease) {
        if (!lease.exists()) {
            throw new RepositoryNotFound("repository not found: " + lease.name());
        }
    }

    private static NotFound notFound(RepositoryName repository, long id) {
        return new NotFound("hook " + id + " not found" + (repository == null ? "" : " in " + repository));
    }
}
