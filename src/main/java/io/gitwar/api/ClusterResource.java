package io.gitwar.api;

import io.gitwar.service.RepositoryName;
import io.gitwar.service.cluster.Rebalancing;
import io.gitwar.service.cluster.Relocations;
import io.gitwar.service.cluster.Replication;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.TreeMap;

/**
 * {@code /-/api/v1/cluster}: what the nodes of a cluster ask of each other: their own repositories
 * for a listing, and the copies of a repository another node is moving here ({@link Relocations}).
 * {@link TokenFilter} lets a node in
 * by the cluster's secret, as an operator by the token.
 */
@Path("cluster")
@RequestScoped
public class ClusterResource {

    static final String PATH = "cluster/";

    @Inject
    Relocations relocations;

    @Inject
    ClusterListing listing;

    /** This node's own repositories, for the listing another node merges ({@link ClusterListing}). */
    @GET
    @Path("repos")
    @Produces(MediaType.APPLICATION_JSON)
    public Json.Page repositories(@QueryParam("prefix") String prefix, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) throws IOException {
        return listing.local(prefix, cursor == null || cursor.isEmpty() ? null : cursor,
                RepositoriesResource.limit(limit));
    }

    @Inject
    Rebalancing rebalancing;

    /**
     * Moves repositories between the nodes until their disk use is within 10 % (the operator's call;
     * see {@link Rebalancing}).
     */
    @POST
    @Path("rebalance")
    @Produces(MediaType.APPLICATION_JSON)
    public Json.Rebalanced rebalance() throws IOException {
        Rebalancing.Result r = rebalancing.rebalance();
        return new Json.Rebalanced(r.moves().stream().map(Json.Moved::of).toList(), new TreeMap<>(r.before()),
                new TreeMap<>(r.after()));
    }

    /** The bytes this node's repositories take, for a rebalance another node steers. */
    @GET
    @Path("usage")
    @Produces(MediaType.TEXT_PLAIN)
    public String usage() throws IOException {
        return Long.toString(rebalancing.usage());
    }

    /** Moves one repository of at most {@code max_bytes} to {@code to}: its line, or nothing if none fits. */
    @POST
    @Path("give")
    @Produces(MediaType.TEXT_PLAIN)
    public String give(@QueryParam("to") String to, @QueryParam("max_bytes") long maxBytes) throws IOException {
        Relocations.Moved moved = rebalancing.giveOne(to, maxBytes);
        return moved == null ? "" : Rebalancing.formatMoved(moved);
    }

    @PUT
    @Path("copies/{name: .+\\.git}")
    @Consumes({RepositoriesResource.SQLITE, MediaType.APPLICATION_OCTET_STREAM})
    public Response receiveCopy(@PathParam("name") String name, @HeaderParam(Relocations.DIGEST_HEADER) String digest,
            InputStream body) throws IOException {
        relocations.receiveCopy(RepositoryName.parse(name), body, digest);
        return Response.noContent().build();
    }

    @Inject
    Replication replication;

    /** A push the repository's primary stored, for this node's replica of it ({@link Replication}). */
    @POST
    @Path("replicas/{name: .+\\.git}")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.TEXT_PLAIN)
    public String applyPush(@PathParam("name") String name, InputStream body) throws IOException {
        return "generation " + replication.apply(RepositoryName.parse(name), body) + "\n";
    }

    /** A current copy in place of this node's stale one, from the repository's primary ({@link Replication}). */
    @PUT
    @Path("replicas/{name: .+\\.git}")
    @Consumes({RepositoriesResource.SQLITE, MediaType.APPLICATION_OCTET_STREAM})
    public Response receiveCurrentCopy(@PathParam("name") String name,
            @HeaderParam(Relocations.DIGEST_HEADER) String digest, InputStream body) throws IOException {
        replication.receiveCopy(RepositoryName.parse(name), body, digest);
        return Response.noContent().build();
    }

    /** Deletes this node's copy of a replicated repository its primary deleted ({@link Replication}). */
    @DELETE
    @Path("replicas/{name: .+\\.git}")
    public Response discardReplica(@PathParam("name") String name) throws IOException {
        replication.discardCopy(RepositoryName.parse(name));
        return Response.noContent().build();
    }

    @DELETE
    @Path("copies/{name: .+\\.git}")
    public Response discardCopy(@PathParam("name") String name) throws IOException {
        relocations.discardCopy(RepositoryName.parse(name));
        return Response.noContent().build();
    }
}
