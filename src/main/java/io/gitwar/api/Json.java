package io.gitwar.api;

import io.gitwar.service.admin.RepositoryFacts;
import io.gitwar.service.cluster.Relocations;
import io.gitwar.service.hooks.Hooks;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The API's JSON documents, as records ({@link JsonConfig} spells their components in snake_case).
 * Request documents may leave out any key (null); unknown keys are ignored.
 */
public final class Json {

    private Json() {
    }

    /**
     * A repository in a listing. In cluster mode {@code owner} names the node that holds it, and
     * {@code unavailable} says why no node serves it now (its owner is gone, or two nodes claim it;
     * its other keys are then unknown); both are null on a single node.
     */
    public record Summary(String name, String defaultBranch, long sizeBytes, long refs, Instant lastPushAt,
            boolean readOnly, Boolean damaged, String owner, String unavailable) {

        static Summary of(RepositoryFacts f, String owner) {
            return new Summary(f.name(), f.defaultBranch(), f.sizeBytes(), f.refs(), f.lastPushAt(), f.readOnly(),
                    f.damaged() ? Boolean.TRUE : null, owner, null);
        }

        static Summary unavailable(String name, String owner, String reason) {
            return new Summary(name, null, 0, 0, null, false, null, owner, reason);
        }
    }

    /** One repository: its summary's keys and more. */
    public record Details(String name, String defaultBranch, long sizeBytes, long refs, Instant lastPushAt,
            boolean readOnly, String head, int packs, long objects, long fileBytes, String owner,
            List<String> replicas, List<String> stale) {

        static Details of(RepositoryFacts f) {
            return of(f, null);
        }

        /** {@code owner}: the node holding it in cluster mode, null on a single node. */
        static Details of(RepositoryFacts f, String owner) {
            return of(f, owner, null, null);
        }

        /** {@code replicas}, {@code stale}: a replicated repository's other copies, null if it has none. */
        static Details of(RepositoryFacts f, String owner, List<String> replicas, List<String> stale) {
            return new Details(f.name(), f.defaultBranch(), f.sizeBytes(), f.refs(), f.lastPushAt(), f.readOnly(),
                    f.head(), f.packs(), f.objects(), f.fileBytes(), owner, replicas, stale);
        }
    }

    /** A page of a listing; {@code next_cursor} null on the last page. */
    public record Page(List<Summary> repositories, String nextCursor) {
    }

    /** {@code POST repos}. */
    public record NewRepository(String name, String defaultBranch) {
    }

    /** {@code PATCH repos/NAME.git}: the keys present are changed. */
    public record Changes(String defaultBranch, Boolean readOnly, String name) {
    }

    /** {@code POST repos/NAME.git/fork}. */
    /** A move's request: the node to move to. */
    public record MoveTo(String node) {
    }

    /** What a move did ({@code paused_ms}: how long pushes waited for it). */
    public record Moved(String name, String from, String to, long bytes, int copies, long tookMs, long pausedMs) {

        static Moved of(Relocations.Moved m) {
            return new Moved(m.repository(), m.from(), m.to(), m.bytes(), m.copies(), m.took().toMillis(),
                    m.paused().toMillis());
        }
    }

    /** What a rebalance did: its moves, and the bytes each node held before and after. */
    public record Rebalanced(List<Moved> moves, Map<String, Long> bytesBefore, Map<String, Long> bytesAfter) {
    }

    public record Fork(String name) {
    }

    /** What {@code POST repos/NAME.git/repack} started. */
    public record Accepted(String status) {
    }

    /** {@code POST repos/NAME.git/fsck}: {@code ok} when nothing was found wrong. */
    public record FsckReport(boolean ok, long problems, List<String> brokenRefs, List<String> missingObjects,
            List<String> corruptObjects, List<String> corruptIndices, List<String> nonCommitHeads,
            List<String> unreadable) {
    }

    /** {@code POST hooks}, {@code PATCH hooks/ID}: the keys present are set. The secret is never read back. */
    public record HookSettings(String url, String secret, List<String> events, Boolean active) {
    }

    /** A webhook; {@code secret_set} tells whether deliveries are signed, never the secret. */
    public record Hook(long id, String url, List<String> events, boolean active, boolean secretSet, Instant createdAt,
            Instant updatedAt) {

        static Hook of(Hooks.Hook h) {
            return new Hook(h.id(), h.url(), h.events(), h.active(), h.secretSet(), h.createdAt(), h.updatedAt());
        }
    }

    /** A list of hooks. */
    public record HookList(List<Hook> hooks) {
    }

    /** One logged attempt of a delivery; {@code status} null when no response came. */
    public record Delivery(long id, String deliveryId, String event, String repository, int attempt, Instant at,
            long durationMs, Integer status, String error, Request request, Response response) {

        static Delivery of(Hooks.Delivery a) {
            return new Delivery(a.id(), a.deliveryId(), a.event(), a.repository(), a.attempt(), a.at(),
                    a.durationMillis(), a.status(), a.error(), new Request(a.requestHeaders(), a.requestBody()),
                    new Response(a.status(), a.responseHead()));
        }
    }

    /** What was sent: the headers as {@code Name: value} lines, and the body. */
    public record Request(String headers, String body) {
    }

    /** What came back: the status and the body's first 4 KiB. */
    public record Response(Integer status, String body) {
    }

    /** A page of a hook's delivery log, newest first; {@code next_cursor} null on the last page. */
    public record Deliveries(List<Delivery> deliveries, String nextCursor) {
    }

    /** What {@code redeliver} queued. */
    public record Redelivery(String deliveryId, String status) {
    }
}
