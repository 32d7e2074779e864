package io.gitwar.api;

import io.gitwar.failure.BadRequest;
import io.gitwar.service.RepositoryName;
import io.gitwar.service.hooks.Hooks;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.util.List;

/**
 * What the global and the repositories' hook resources share: a repository's hooks and the global
 * ones are the same resources, under {@code repos/NAME.git/hooks} and {@code hooks}.
 */
final class HookResources {

    /** Delivery log entries per page unless asked otherwise (GitHub's default page size is 30). */
    static final int DEFAULT_PAGE = 30;

    private HookResources() {
    }

    static Json.HookList list(Hooks hooks, RepositoryName repository) throws IOException {
        return new Json.HookList(hooks.list(repository).stream().map(Json.Hook::of).toList());
    }

    static Response create(Hooks hooks, RepositoryName repository, Json.HookSettings body, String base)
            throws IOException {
        if (body == null) {
            throw new BadRequest("a JSON object with url, secret, events and active is expected");
        }
        Hooks.Hook h = hooks.create(repository, spec(body));
        return Response.created(UriBuilder.fromPath(base + "/" + h.id()).build()).entity(Json.Hook.of(h)).build();
    }

    static Json.Hook update(Hooks hooks, RepositoryName repository, String id, Json.HookSettings body)
            throws IOException {
        return Json.Hook.of(hooks.update(repository, id(id), body == null ? null : spec(body)));
    }

    static Json.Deliveries deliveries(Hooks hooks, RepositoryName repository, String id, String cursor, String limit)
            throws IOException {
        int n = limit == null || limit.isEmpty() ? DEFAULT_PAGE : number(limit, "limit");
        List<Hooks.Delivery> page = hooks.deliveries(repository, id(id),
                cursor == null || cursor.isEmpty() ? 0 : number(cursor, "cursor"), n);
        String next = page.size() < n ? null : Long.toString(page.get(page.size() - 1).id());
        return new Json.Deliveries(page.stream().map(Json.Delivery::of).toList(), next);
    }

    static Response redeliver(Hooks hooks, RepositoryName repository, String id, String attempt) throws IOException {
        String deliveryId = hooks.redeliver(repository, id(id), number(attempt, "delivery"));
        return Response.accepted(new Json.Redelivery(deliveryId, "queued")).build();
    }

    static long id(String raw) {
        return number(raw, "hook id");
    }

    private static int number(String raw, String what) {
        try {
            int n = Integer.parseInt(raw);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadRequest(what + " must be a number");
    }

    private static Hooks.Spec spec(Json.HookSettings body) {
        return new Hooks.Spec(body.url(), body.secret(), body.events(), body.active());
    }
}
