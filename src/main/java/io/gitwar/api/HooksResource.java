package io.gitwar.api;

import io.gitwar.service.hooks.Hooks;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;

/**
 * {@code /-/api/v1/hooks}: the global webhooks, told of every repository's pushes. Create, list,
 * read, change ({@code PATCH}: the keys present), delete; each hook's delivery log, newest first,
 * and redelivery of a logged delivery.
 */
@Path("hooks")
@RequestScoped
public class HooksResource {

    @Inject
    Hooks hooks;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Json.HookList list() throws IOException {
        return HookResources.list(hooks, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(Json.HookSettings body) throws IOException {
        return HookResources.create(hooks, null, body, "hooks");
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Json.Hook get(@PathParam("id") String id) throws IOException {
        return Json.Hook.of(hooks.get(null, HookResources.id(id)));
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Json.Hook update(@PathParam("id") String id, Json.HookSettings body) throws IOException {
        return HookResources.update(hooks, null, id, body);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) throws IOException {
        hooks.delete(null, HookResources.id(id));
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/deliveries")
    @Produces(MediaType.APPLICATION_JSON)
    public Json.Deliveries deliveries(@PathParam("id") String id, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) throws IOException {
        return HookResources.deliveries(hooks, null, id, cursor, limit);
    }

    @POST
    @Path("{id}/deliveries/{delivery}/redeliver")
    @Produces(MediaType.APPLICATION_JSON)
    public Response redeliver(@PathParam("id") String id, @PathParam("delivery") String delivery) throws IOException {
        return HookResources.redeliver(hooks, null, id, delivery);
    }
}
