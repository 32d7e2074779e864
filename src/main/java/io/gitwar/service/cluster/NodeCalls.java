package io.gitwar.service.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Requests from this node to another node of the cluster: one HTTP/1.1 client for all of them
 * (forwarded requests, moves, listings, rebalances), never following a redirect, and the cluster's
 * secret on every call a node makes on its own behalf ({@link #send}).
 */
@ApplicationScoped
public class NodeCalls {

    /** The header by which a node shows the cluster's secret to another. */
    public static final String SECRET_HEADER = "Gitwar-Cluster-Secret";

    private final Cluster cluster;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    public NodeCalls(Cluster cluster) {
        this.cluster = cluster;
    }

    /** For CDI's proxy; never called by gitwar. */
    protected NodeCalls() {
        this(null);
    }

    /** The client, for a request this node forwards as it came (it adds the headers itself). */
    public HttpClient client() {
        return client;
    }

    /**
     * Sends {@code request} with the cluster's secret.
     *
     * @throws IOException if the node cannot be reached, or this node has no secret (no cluster)
     */
    public <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) throws IOException {
        String secret = cluster.secret();
        if (secret == null) {
            throw new IOException("this node is in no cluster");
        }
        try {
            return client.send(request.header(SECRET_HEADER, secret).build(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while talking to another node", e);
        }
    }
}
