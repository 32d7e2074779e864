package io.gitwar.api;

import io.gitwar.service.RepositoryName;
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
 * {@code /-/api/v1/repos/NAME.git/hooks}: a repository's own webhooks, kept in its file (they move
 * and are backed up with it; a fork has none). The same operations as the global {@link HooksResource}.
 */
@Path("repos/{name: .+\\.git}/hooks")
@RequestScoped
public class RepositoryHooksResource {

    @Inject
    Hooks hooks;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Json.HookList list(@PathParam("name") String name) throws IOException {
        return HookResources.list(hooks, repo(name));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("name") String name, Json.HookSettings body) throws IOException {
        return HookResources.create(hooks, repo(name), body, "repos/" + name + "/hooks");
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Json.Hook get(@PathParam("name") String name, @PathParam("id") String id) throws IOException {
        return Json.Hook.of(hooks.get(repo(name), HookResources.id(id)));
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Json.Hook update(@PathParam("name") String name, @PathParam("id") String id, Json.HookSettings body)
            throws IOException {
        return HookResources.update(hooks, repo(name), id, body);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("name") String name, @PathParam("id") String id) throws IOException {
        hooks.delete(repo(name), HookResources.id(id));
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/deliveries")
    @Produces(MediaType.APPLICATION_JSON)
    public Json.Deliveries deliveries(@PathParam("name") String name, @PathParam("id") String id,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) throws IOException {
        return HookResources.deliveries(hooks, repo(name), id, cursor, limit);
    }

    @POST
    @Path("{id}/deliveries/{delivery}/redeliver")
    @Produces(MediaType.APPLICATION_JSON)
    public Response redeliver(@PathParam("name") String name, @PathParam("id") String id,
            @PathParam("delivery") String delivery) throws IOException {
        return HookResources.redeliver(hooks, repo(name), id, delivery);
    }

    private static RepositoryName repo(String name) {
        return RepositoryName.parse(name);
    }
}
