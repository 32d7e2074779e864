package io.gitwar.api;

import io.gitwar.service.admin.Repositories;
import io.gitwar.service.admin.RepositoryPage;
import io.gitwar.service.cluster.Cluster;
import io.gitwar.service.cluster.Placement;
import io.gitwar.service.cluster.NodeCalls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The listing of a cluster's repositories: each live node's own page (this one's read here, the
 * others' asked of them, {@code GET /-/api/v1/cluster/repos} with the cluster's secret) and those
 * no node serves now (from the placement), merged by name. Every source sorts by name and starts
 * after the cursor, so the first {@code limit} of the merge are the page; the next cursor is its
 * last name if any source had more. A node that fails to answer is left out of this page, its
 * repositories then listed as unavailable once the cluster sees it gone.
 */
@ApplicationScoped
class ClusterListing {

    private static final Logger LOG = Logger.getLogger(ClusterListing.class.getName());

    @Inject
    Cluster cluster;

    @Inject
    Repositories repositories;

    @Inject
    NodeCalls calls;

    /** This node's own page, as the other nodes ask for it. */
    Json.Page local(String prefix, String cursor, int limit) throws IOException {
        RepositoryPage page = repositories.list(prefix, cursor, limit);
        String self = cluster.self();
        // a replica's copy is listed by its primary, not here
        return new Json.Page(page.repositories().stream().filter(f -> !(cluster.locate(f.name()) instanceof Placement.Remote))
                .map(f -> Json.Summary.of(f, self)).toList(), page.nextCursor());
    }

    Json.Page list(String prefix, String cursor, int limit) throws IOException {
        TreeMap<String, Json.Summary> merged = new TreeMap<>();
        boolean more = false;
        Json.Page own = local(prefix, cursor, limit);
        own.repositories().forEach(r -> merged.put(r.name(), r));
        more |= own.nextCursor() != null;
        for (String node : cluster.members()) {
            String url = node.equals(cluster.self()) ? null : cluster.urlOf(node);
            if (url != null) {
                Json.Page page = ask(node, url, prefix, cursor, limit);
                if (page != null) {
                    page.repositories().forEach(r -> merged.put(r.name(), r));
                    more |= page.nextCursor() != null;
                }
            }
        }
        List<Cluster.Unserved> unserved = cluster.unserved(prefix, cursor, limit);
        more |= unserved.size() == limit;
        // last: a name two nodes claim is listed as such, not as either node's
        unserved.forEach(u -> merged.put(u.name(), Json.Summary.unavailable(u.name(), u.owner(), u.reason())));
        List<Json.Summary> page = new ArrayList<>(merged.values());
        if (page.size() > limit) {
            page = page.subList(0, limit);
            more = true;
        }
        return new Json.Page(page, more && !page.isEmpty() ? page.get(page.size() - 1).name() : null);
    }

    private Json.Page ask(String node, String url, String prefix, String cursor, int limit) {
        StringBuilder query = new StringBuilder("?limit=").append(limit);
        if (prefix != null) {
            query.append("&prefix=").append(URLEncoder.encode(prefix, StandardCharsets.UTF_8));
        }
        if (cursor != null) {
            query.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        try {
            HttpResponse<InputStream> answer = calls.send(HttpRequest.newBuilder(URI.create(url + "/-/api/v1/"
                    + ClusterResource.PATH + "repos" + query)).timeout(Duration.ofSeconds(30)),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = answer.body()) {
                if (answer.statusCode() != 200) {
                    LOG.warning(() -> "node " + node + " answered " + answer.statusCode() + " to the listing");
                    return null;
                }
                return JsonConfig.JSONB.fromJson(body, Json.Page.class);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "node " + node + " did not list its repositories", e);
            return null;
        }
    }
}
