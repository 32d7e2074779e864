package io.gitwar.api;

import io.gitwar.config.GitwarConfig;
import io.gitwar.service.cluster.Cluster;
import io.gitwar.service.cluster.NodeCalls;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * The API's access rule, before anything else of a request is looked at: without
 * {@code gitwar.admin.token} configured the API does not exist (404 to every request, nothing
 * changes); with it, a request must carry {@code Authorization: Bearer <token>} (else 401), compared
 * in constant time ({@link io.gitwar.config.AdminToken#matches}). The nodes of a cluster reach
 * {@link ClusterResource} by the cluster's secret instead.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
@ApplicationScoped
public class TokenFilter implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";

    @Inject
    GitwarConfig config;

    @Inject
    Cluster cluster;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if ((path.startsWith(ClusterResource.PATH) || path.startsWith("/" + ClusterResource.PATH))
                && cluster.isSecret(request.getHeaderString(NodeCalls.SECRET_HEADER))) {
            return; // another node of the cluster: its pushes to replicas go on without an operator's token
        }
        if (!config.admin().enabled()) {
            request.abortWith(ApiErrors.json(Response.Status.NOT_FOUND.getStatusCode(), "not found").build());
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim() : null;
        if (presented == null || !config.admin().token().orElseThrow().matches(presented)) {
            request.abortWith(ApiErrors.json(Response.Status.UNAUTHORIZED.getStatusCode(),
                    presented == null ? "this API needs Authorization: Bearer <gitwar.admin.token>" : "wrong token")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"gitwar\"").build());
        }
    }
}
