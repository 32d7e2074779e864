package io.gitwar.http;

import io.gitwar.failure.InvalidRepositoryName;
import io.gitwar.http.pages.PagePath;
import io.gitwar.service.RepositoryName;
import io.gitwar.service.cluster.Cluster;
import io.gitwar.service.cluster.Placement;
import io.gitwar.service.cluster.NodeCalls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In cluster mode, sends a request for a repository another node owns to that node and streams its
 * answer back: request and response bodies are copied as they come (a push or a clone is never held
 * whole), every end-to-end header is kept ({@code Git-Protocol}, {@code Content-Encoding},
 * {@code Range}, {@code Origin}, so the owner answers CORS itself), hop-by-hop ones are not. At most
 * one hop: a forwarded request carries {@value #FORWARDED_BY}, and a node that receives one for a
 * repository it does not own answers 503 instead of forwarding again.
 *
 * <p>A repository whose owner is not in the cluster, or that two nodes claim, is answered 503 with
 * {@code Retry-After} on every node: never 404, never created anew by a push.
 *
 * <p>Covered: Git URLs (the routing table's), a repository's pages, and the API's
 * {@code /-/api/v1/repos/<name>.git[/...]}. Preflights are answered by any node (they never reach a
 * repository); the listing (API and page) is each node's own. This class decides and forwards;
 * {@link GitFilter} does both under the request's guard and its client's quota, as for any request.
 */
@ApplicationScoped
class ClusterForwarding {

    /**
     * Names the node that forwarded a request; its presence forbids a second hop, whoever sent it: a
     * stranger who sends it only gets a 503 instead of a forwarded answer, while a node whose secret
     * differs from the others' (a split brain healing) can never bounce a request back and forth.
     */
    static final String FORWARDED_BY = "Gitwar-Forwarded-By";
    /**
     * The cluster's secret ({@link Cluster#secret}), which a node adds to what it forwards: only a
     * request that shows it is believed about its client ({@code X-Forwarded-For}). Never taken from
     * a client, never sent back.
     */
    static final String SECRET = NodeCalls.SECRET_HEADER;
    static final String FORWARDED_FOR = "X-Forwarded-For";
    /** Seconds a client is asked to wait for a repository whose node is gone (a restart takes ~10 s). */
    static final String UNAVAILABLE_RETRY_AFTER = "10";
    private static final Pattern API = Pattern.compile("/-/api/v1/repos/(.+?\\.git)(?:/[a-z]+)?");
    /** RFC 9110 7.6.1's hop-by-hop fields, and those java.net.http sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect", "http2-settings");
    /** What this node sets on a forwarded request itself: a client's own values never reach the owner. */
    private static final Set<String> SET_HERE = Set.of(FORWARDED_BY.toLowerCase(Locale.ROOT),
            SECRET.toLowerCase(Locale.ROOT), FORWARDED_FOR.toLowerCase(Locale.ROOT));
    private static final int BUFFER = 64 * 1024;

    @Inject
    Cluster cluster;

    @Inject
    Routes routes;

    @Inject
    NodeCalls calls;

    /**
     * The address a request counts against ({@link ClientQuota}): the client's as the node that
     * forwarded it saw it when the request shows the cluster's secret, else the peer's (a request with
     * the forwarding headers and no or a wrong secret is any client's request, its headers ignored).
     */
    String client(HttpServletRequest request) {
        String presented = request.getHeader(SECRET);
        boolean fromNode = presented != null && cluster.clustered() && cluster.isSecret(presented);
        return client(request.getRemoteAddr(), request.getHeader(FORWARDED_FOR), fromNode);
    }

    /** {@link #client(HttpServletRequest)}'s rule: a pure function. */
    static String client(String peer, String forwardedFor, boolean fromNode) {
        if (!fromNode || forwardedFor == null || forwardedFor.isBlank()) {
            return peer;
        }
        // the forwarding node sets one address; were there more, the last is the one a proxy added
        String[] hops = forwardedFor.split(",");
        return hops[hops.length - 1].strip();
    }

    /** Where a request another node must answer goes instead of being answered here. */
    sealed interface Elsewhere {
    }

    /** To the owner, whose answer is streamed back as it is (its CORS headers included). */
    record Forward(Placement.Remote to) implements Elsewhere {
    }

    /** Nobody may answer it now: 503 from this node, with this node's CORS headers. */
    record Refusal(String reason, String retryAfter) implements Elsewhere {
    }

    /**
     * Where the request goes if another node must answer it; null when this node answers it (no
     * cluster, its own repository, a name nobody holds that is not being pushed, not a repository's
     * URL). Decides only: the caller answers under the request's guard and its client's quota.
     */
    Elsewhere elsewhere(HttpServletRequest request, String path) {
        if (!cluster.clustered() || "OPTIONS".equals(request.getMethod())) {
            return null;
        }
        String name;
        boolean push;
        boolean read = true; // answered by any current copy; the API's calls go to the primary
        Matcher api = API.matcher(path);
        try {
            if (api.matches()) {
                name = RepositoryName.parse(api.group(1)).toString();
                push = false;
                read = false;
            } else if (routes.resolve(request.getMethod(), path,
                    GitFilter.queryParameter(request, "service")) instanceof Routes.Found found) {
                name = RepositoryName.parse(found.repository()).toString();
                push = "git-receive-pack".equals(found.route().service) || "git-receive-pack".equals(found.resource());
            } else if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
                // a page of the repository (a request that is no page answers 404 on the owner as here)
                PagePath page = PagePath.parse(path);
                if (page instanceof PagePath.Home home) {
                    name = RepositoryName.parse(home.repository()).toString();
                } else if (page instanceof PagePath.View view) {
                    name = RepositoryName.parse(view.repository()).toString();
                } else {
                    return null;
                }
                push = false;
            } else {
                return null;
            }
        } catch (InvalidRepositoryName e) {
            return null; // answered here, as without a cluster
        }
        Placement where = push ? cluster.place(name) : read ? cluster.locateRead(name) : cluster.locate(name);
        if (where instanceof Placement.Unavailable u) {
            return new Refusal(u.reason(), UNAVAILABLE_RETRY_AFTER);
        }
        if (!(where instanceof Placement.Remote remote)) {
            return null;
        }
        if (request.getHeader(FORWARDED_BY) != null) {
            return new Refusal("repository " + name + " moved while the request was forwarded",
                    ErrorResponses.RETRY_AFTER);
        }
        return new Forward(remote);
    }

    /**
     * Sends the request to {@code remote} and streams its answer into {@code response}; returns why
     * not, with nothing written, when the owner cannot be reached.
     */
    Refusal forward(HttpServletRequest request, HttpServletResponse response, Placement.Remote remote, String path)
            throws IOException {
        String query = request.getQueryString();
        URI target = URI.create(remote.url() + path + (query == null ? "" : "?" + query));
        HttpRequest.Builder out = HttpRequest.newBuilder(target).method(request.getMethod(), body(request));
        for (String header : Collections.list(request.getHeaderNames())) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(lower) && !SET_HERE.contains(lower)) {
                for (String value : Collections.list(request.getHeaders(header))) {
                    out.header(header, value);
                }
            }
        }
        out.header(FORWARDED_BY, cluster.self());
        // one address, the one this node counts the client by: the owner counts it the same
        out.header(FORWARDED_FOR, client(request));
        String secret = cluster.secret();
        if (secret != null) {
            out.header(SECRET, secret);
        }
        HttpResponse<InputStream> answer;
        try {
            answer = calls.client().send(out.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            return new Refusal("node " + remote.node() + " does not answer", UNAVAILABLE_RETRY_AFTER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding to " + remote.node(), e);
        }
        response.setStatus(answer.statusCode());
        for (Map.Entry<String, List<String>> h : answer.headers().map().entrySet()) {
            String lower = h.getKey().toLowerCase(Locale.ROOT);
            if (lower.startsWith(":") || (NOT_FORWARDED.contains(lower) && !lower.equals("content-length"))) {
                continue;
            }
            for (String value : h.getValue()) {
                response.addHeader(h.getKey(), value);
            }
        }
        try (InputStream in = answer.body()) {
            OutputStream to = response.getOutputStream();
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) >= 0;) {
                to.write(buffer, 0, n);
                to.flush(); // side-band progress reaches the client as the owner sends it
            }
        }
        return null;
    }

    /** The request body as it arrives, with its length when the client gave one. */
    private static HttpRequest.BodyPublisher body(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        if (length == 0 || (length < 0 && request.getHeader("Transfer-Encoding") == null)) {
            return HttpRequest.BodyPublishers.noBody();
        }
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> {
            try {
                return request.getInputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return length < 0 ? stream : HttpRequest.BodyPublishers.fromPublisher(stream, length);
    }
}
