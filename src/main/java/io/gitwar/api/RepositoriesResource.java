package io.gitwar.api;

import io.gitwar.failure.BadRequest;
import io.gitwar.failure.Conflict;
import io.gitwar.service.Lease;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.RepositoryName;
import io.gitwar.service.admin.Backups;
import io.gitwar.service.admin.FsckResult;
import io.gitwar.service.admin.Repositories;
import io.gitwar.service.cluster.Cluster;
import io.gitwar.service.cluster.Relocations;
import io.gitwar.service.admin.RepositoryChanges;
import io.gitwar.service.admin.RepositoryMoves;
import io.gitwar.service.admin.RepositoryFacts;
import io.gitwar.service.admin.RepositoryPage;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * {@code /-/api/v1/repos}: repositories as JSON resources. A repository is addressed by its name
 * with the {@code .git} suffix ({@code repos/team/app.git}), so names with slashes stay unambiguous
 * and its sub-resources follow ({@code repos/team/app.git/backup}). Each method translates HTTP to
 * one service operation.
 */
@Path("repos")
@RequestScoped
public class RepositoriesResource {

    /** The MIME type of an SQLite database file (IANA). */
    static final String SQLITE = "application/vnd.sqlite3";

    /** A repository name with its {@code .git} suffix, slashes allowed. */
    private static final String NAME = "{name: .+\\.git}";

    @Inject
    Repositories repositories;

    @Inject
    RepositoryMoves moves;

    @Inject
    Backups backups;

    @Inject
    ActorRegistry registry;

    @Inject
    Cluster cluster;

    @Inject
    Relocations relocations;

    @Inject
    ClusterListing listing;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Json.Page list(@QueryParam("prefix") String prefix, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) throws IOException {
        String from = cursor == null || cursor.isEmpty() ? null : cursor;
        if (cluster.clustered()) {
            return listing.list(prefix, from, limit(limit));
        }
        RepositoryPage page = repositories.list(prefix, from, limit(limit));
        return new Json.Page(page.repositories().stream().map(f -> Json.Summary.of(f, null)).toList(),
                page.nextCursor());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(Json.NewRepository body) throws IOException {
        RepositoryName name = RepositoryName.parse(required(body == null ? null : body.name(), "name"));
        String owner = cluster.claimNew(name.toString());
        if (owner != null && !owner.equals(cluster.self())) {
            throw new Conflict("repository " + name + " exists on node " + owner);
        }
        Json.Details created;
        try {
            created = Json.Details.of(repositories.create(name, body.defaultBranch()), cluster.self());
        } catch (IOException | RuntimeException e) {
            if (owner != null && !exists(name)) {
                cluster.unclaim(name.toString()); // nothing was made here: the name is free again
            }
            throw e;
        }
        return Response.created(location(name)).entity(created).build();
    }

    @GET
    @Path(NAME)
    @Produces(MediaType.APPLICATION_JSON)
    public Json.Details get(@PathParam("name") String name) throws IOException {
        RepositoryFacts facts = repositories.describe(RepositoryName.parse(name));
        Cluster.ReplicaState copies = cluster.replicated(facts.name()) ? cluster.replicaState(facts.name()) : null;
        return Json.Details.of(facts, cluster.self(), copies == null ? null : copies.replicas(),
                copies == null ? null : copies.stale());
    }

    /**
     * Changes the default branch and the read-only flag (one write), then renames if asked: a
     * refused rename leaves the other changes made.
     */
    @PATCH
    @Path(NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Json.Details change(@PathParam("name") String raw, Json.Changes body) throws IOException {
        if (body == null) {
            throw new BadRequest("a JSON object with default_branch, read_only or name is expected");
        }
        RepositoryName name = RepositoryName.parse(raw);
        RepositoryName newName = body.name() == null ? null : RepositoryName.parse(body.name());
        if (newName != null && !registry.canonical(newName).equals(registry.canonical(name))) {
            try (Lease target = registry.lease(newName)) {
                if (target.exists()) {
                    throw new Conflict("repository " + newName + " exists"); // before changing anything
                }
            }
        }
        try (Lease lease = registry.lease(name)) {
            repositories.change(lease, new RepositoryChanges(body.defaultBranch(), body.readOnly(), null));
        }
        if (newName != null) {
            moves.rename(name, newName);
            name = newName;
        }
        return Json.Details.of(repositories.describe(name));
    }

    @DELETE
    @Path(NAME)
    public Response delete(@PathParam("name") String name) throws IOException {
        moves.delete(RepositoryName.parse(name));
        return Response.noContent().build();
    }

    /** The repository as one SQLite file, consistent at one instant, streamed from a copy then deleted. */
    @GET
    @Path(NAME + "/backup")
    @Produces(SQLITE)
    public Response backup(@PathParam("name") String raw) throws IOException {
        RepositoryName name = RepositoryName.parse(raw);
        Backups.Backup backup = backups.take(name);
        try {
            long size = backup.size();
            StreamingOutput body = out -> {
                try (backup; InputStream in = backup.open()) {
                    in.transferTo(out);
                }
            };
            String file = name.value().substring(name.value().lastIndexOf('/') + 1) + ".git.sqlite";
            return Response.ok(body, SQLITE).header("Content-Length", size)
                    .header("Content-Disposition", "attachment; filename=\"" + file + "\"")
                    .header("Cache-Control", "no-store").build();
        } catch (IOException | RuntimeException e) {
            backup.close();
            throw e;
        }
    }

    /** Restores a backup: 201 for a new repository, 200 when {@code replace=true} replaced one. */
    @PUT
    @Path(NAME + "/backup")
    @Consumes({SQLITE, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    public Response restore(@PathParam("name") String raw, @QueryParam("replace") String replace, InputStream body)
            throws IOException {
        RepositoryName name = RepositoryName.parse(raw);
        boolean replaced = moves.restore(name, body, flag(replace, "replace"));
        Json.Details restored = Json.Details.of(repositories.describe(name));
        return replaced ? Response.ok(restored).build() : Response.created(location(name)).entity(restored).build();
    }

    @POST
    @Path(NAME + "/fork")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response fork(@PathParam("name") String raw, Json.Fork body) throws IOException {
        RepositoryName target = RepositoryName.parse(required(body == null ? null : body.name(), "name"));
        moves.fork(RepositoryName.parse(raw), target);
        return Response.created(location(target)).entity(Json.Details.of(repositories.describe(target))).build();
    }

    /** Moves the repository to another node of the cluster (see {@link Relocations}). */
    @POST
    @Path(NAME + "/move")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Json.Moved move(@PathParam("name") String raw, Json.MoveTo body) throws IOException {
        return Json.Moved.of(relocations.move(RepositoryName.parse(raw), required(body == null ? null : body.node(), "node")));
    }

    @POST
    @Path(NAME + "/repack")
    @Produces(MediaType.APPLICATION_JSON)
    public Response repack(@PathParam("name") String raw) {
        repositories.repack(RepositoryName.parse(raw));
        return Response.accepted(new Json.Accepted("repack started")).build();
    }

    @POST
    @Path(NAME + "/fsck")
    @Produces(MediaType.APPLICATION_JSON)
    public Json.FsckReport fsck(@PathParam("name") String raw) throws IOException {
        FsckResult r = repositories.fsck(RepositoryName.parse(raw));
        return new Json.FsckReport(r.sound(), r.problems(), r.brokenRefs(), r.missingObjects(), r.corruptObjects(),
                r.corruptIndices(), r.nonCommitHeads(), r.unreadable());
    }

    private boolean exists(RepositoryName name) throws IOException {
        try (Lease lease = registry.lease(name)) {
            return lease.exists();
        }
    }

    /** {@code repos/NAME.git}, relative to the API's root (the container resolves it against the request). */
    private static URI location(RepositoryName name) {
        return UriBuilder.fromPath("repos/" + name.value() + ".git").build();
    }

    static int limit(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Repositories.DEFAULT_LIMIT;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new BadRequest("limit must be a number between 1 and " + Repositories.MAX_LIMIT);
        }
    }

    private static boolean flag(String raw, String name) {
        if (raw == null || raw.isEmpty() || raw.equals("false")) {
            return false;
        }
        if (raw.equals("true")) {
            return true;
        }
        throw new BadRequest(name + " must be true or false");
    }

    private static String required(String value, String key) {
        if (value == null) {
            throw new BadRequest("\"" + key + "\" is required");
        }
        return value;
    }
}
