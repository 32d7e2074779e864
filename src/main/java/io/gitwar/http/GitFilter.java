package io.gitwar.http;

import io.gitwar.config.GitwarConfig;
import io.gitwar.failure.RepositoryBusy;
import io.gitwar.failure.RepositoryNotFound;
import io.gitwar.failure.RequestTimeout;
import io.gitwar.http.pages.PagePath;
import io.gitwar.http.rules.AcceptHeader;
import io.gitwar.http.rules.CorsPolicy;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.Lease;
import io.gitwar.service.RepositoryName;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Every request under the context root is a Git request, except gitwar's own URLs under {@code /-/},
 * which go on to their servlets. This filter routes a Git request once (404 for an
 * unknown path, 405 for a known path with the wrong method), resolves the repository once (400 for
 * an invalid name) as the request's {@link Lease}, and hands it to the route's handler.
 * Failures from anywhere below are rendered by {@link ErrorResponses}.
 *
 * <p>Every request runs under a {@link RequestGuard} (how long it may hold its thread) and within its
 * client's {@link ClientQuota}.
 *
 * <p>A browser's request for a page ({@code Accept: text/html}, see {@link #page}) goes to the
 * {@link PageHandlers} instead, under the same guard and quota; its failures are rendered as pages.
 * Any other request is answered exactly as without pages.
 *
 * <p>CORS is answered here, for every route alike ({@link CorsPolicy}): preflights ({@code OPTIONS})
 * never reach a handler or the storage, and every other response, errors included, carries the CORS
 * headers the request's {@code Origin} gets.
 *
 * <p>In cluster mode, a request for a repository another node owns goes there
 * ({@link ClusterForwarding}), Git and API URLs alike, under the same guard and quota, or is refused
 * here (503) with this node's CORS headers.
 */
@WebFilter(urlPatterns = "/*")
public class GitFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient Routes routes;

    @Inject
    transient ActorRegistry registry;

    @Inject
    transient GitwarConfig config;

    @Inject
    transient Watchdog watchdog;

    @Inject
    transient ClientQuota quota;

    @Inject
    transient PageHandlers pages;

    @Inject
    transient ClusterForwarding forwarding;

    private transient CorsPolicy cors;

    @Override
    public void init() {
        cors = CorsPolicy.of(config.corsAllowedOrigins(), config.corsExtraHeaders());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // The raw path: percent-escapes are never part of a valid Git URL, so they stay visible
        // (and fail validation) instead of being decoded into something that might traverse.
        String path = request.getRequestURI().substring(request.getContextPath().length());
        // cluster mode: another node's repository (forwarded), or one nobody may serve now
        ClusterForwarding.Elsewhere elsewhere = forwarding.elsewhere(request, path);
        if (elsewhere != null) {
            answerElsewhere(elsewhere, request, response, path);
            return;
        }
        PagePath page = page(request, path);
        if (page == null && (path.equals("/" + RepositoryName.RESERVED)
                || path.startsWith("/" + RepositoryName.RESERVED + "/"))) {
            chain.doFilter(request, response); // gitwar's own URLs (API, health, metrics): not Git's
            return;
        }
        String origin = request.getHeader("Origin");
        Routes.Resolution resolution = page != null ? null
                : routes.resolve(request.getMethod(), path, queryParameter(request, "service"));
        if (resolution instanceof Routes.Preflight preflight) {
            answerPreflight(origin, preflight, response);
            return;
        }
        try (RequestGuard guard = watchdog.guard()) {
            HttpServletRequest in = guard.guard(request);
            HttpServletResponse out = answeredHere(request, guard.guard(response));
            try {
                if (page != null) {
                    try (ClientQuota.Place place = quota.enter(forwarding.client(request))) {
                        pages.handle(in, out, page);
                    }
                } else if (resolution instanceof Routes.Found found) {
                    try (ClientQuota.Place place = quota.enter(forwarding.client(request))) {
                        dispatch(in, out, found);
                    }
                } else if (resolution instanceof Routes.MethodNotAllowed m) {
                    ErrorResponses.send(out, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method not allowed",
                            "Allow", String.join(", ", m.allowed()));
                } else {
                    ErrorResponses.send(out, HttpServletResponse.SC_NOT_FOUND, "not found");
                }
            } catch (IOException | RuntimeException e) {
                // a request the watchdog stopped failed for that reason, whatever broke inside
                Throwable failure = guard.broken() == null ? e : new RequestTimeout(guard.broken());
                if (failure instanceof RepositoryNotFound && forwarding.elsewhere(request, path) != null) {
                    // placed here when the request came, moved to another node before it got to the file
                    failure = new RepositoryBusy("repository moved to another node; try again");
                }
                if (page != null) {
                    ErrorResponses.renderPage(failure, request, out);
                } else {
                    ErrorResponses.render(failure, request, out);
                }
            }
        }
    }

    /**
     * A request another node must answer, under the same guard and client quota as one answered
     * here. The owner's answer is streamed as it comes, with the CORS headers the owner gave it (it
     * got the {@code Origin}); only what this node answers itself (a 503, a failure) gets this
     * node's, so that none is sent twice.
     */
    private void answerElsewhere(ClusterForwarding.Elsewhere elsewhere, HttpServletRequest request,
            HttpServletResponse response, String path) {
        try (RequestGuard guard = watchdog.guard()) {
            HttpServletResponse guarded = guard.guard(response);
            try (ClientQuota.Place place = quota.enter(forwarding.client(request))) {
                ClusterForwarding.Refusal refused = elsewhere instanceof ClusterForwarding.Forward f
                        ? forwarding.forward(guard.guard(request), guarded, f.to(), path)
                        : (ClusterForwarding.Refusal) elsewhere;
                if (refused != null) {
                    ErrorResponses.send(answeredHere(request, guarded), HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                            refused.reason(), "Retry-After", refused.retryAfter());
                }
            } catch (IOException | RuntimeException e) {
                Throwable failure = e;
                if (guard.broken() != null) {
                    // the watchdog's interrupt hit the wait for the owner, not a guarded read or write
                    // (which take it back themselves): taken back here, so that the answer saying why goes out
                    Thread.interrupted();
                    failure = new RequestTimeout(guard.broken());
                }
                ErrorResponses.render(failure, request, answeredHere(request, guarded));
            }
        }
    }

    /** The response of a request this node answers itself: with its CORS headers, without a body for HEAD. */
    private HttpServletResponse answeredHere(HttpServletRequest request, HttpServletResponse guarded) {
        HttpServletResponse out = new CorsResponse(guarded, cors.response(request.getHeader("Origin")));
        return "HEAD".equals(request.getMethod()) ? new HeadResponse(out) : out;
    }

    /**
     * The page a browser asks for, or null for today's answer: pages are on, the method is GET or
     * HEAD, {@code Accept} names {@code text/html} ({@link AcceptHeader}), and the path is the
     * listing, a view ({@code /~/}, which no Git URL holds), or a repository's own URL, which is Git's
     * when some row of the routing table claims it ({@code /x/HEAD} stays x's HEAD file). gitwar's
     * own URLs under {@code /-/} (API, health, metrics) are never pages.
     */
    private PagePath page(HttpServletRequest request, String path) {
        String method = request.getMethod();
        if (!config.webPages() || !("GET".equals(method) || "HEAD".equals(method))
                || !AcceptHeader.wantsHtml(request.getHeader("Accept"))) {
            return null;
        }
        PagePath page = PagePath.parse(path);
        boolean gitsOwn = page instanceof PagePath.Home
                && !(routes.resolve(method, path, queryParameter(request, "service")) instanceof Routes.NotFound);
        return gitsOwn ? null : page;
    }

    private void answerPreflight(String origin, Routes.Preflight preflight, HttpServletResponse response) {
        CorsPolicy.Preflight answer = cors.preflight(origin);
        if (answer.refused()) {
            ErrorResponses.send(response, HttpServletResponse.SC_FORBIDDEN, "origin " + origin + " is not allowed",
                    "Vary", "Origin");
            return;
        }
        answer.headers().forEach(response::setHeader);
        response.setHeader("Allow", String.join(", ", preflight.allowed()));
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    private void dispatch(HttpServletRequest request, HttpServletResponse response, Routes.Found found)
            throws IOException {
        RepositoryName name = RepositoryName.parse(found.repository());
        try (Lease lease = registry.lease(name)) {
            found.route().handler.handle(new GitRequest(request, response, found.resource(), lease));
        }
    }

    /** A query parameter, without touching the body (getParameter would read a form POST's body). */
    static String queryParameter(HttpServletRequest request, String name) {
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                String raw = eq < 0 ? "" : pair.substring(eq + 1);
                try {
                    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformedEscape) {
                    return raw; // names no service, so no route asks for it
                }
            }
        }
        return null;
    }
}
