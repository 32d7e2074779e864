package io.gitwar.http;

import static io.gitwar.http.RequestKind.CORS_PREFLIGHT;
import static io.gitwar.http.RequestKind.DUMB_READ;
import static io.gitwar.http.RequestKind.SMART_ADVERTISEMENT;
import static io.gitwar.http.RequestKind.SMART_RPC;
import static io.gitwar.http.RequestKind.UNKNOWN;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * The routing table of gitwar: every URL it answers, under {@code /<repository>[.git]/}, as in C git's
 * http-backend. Rows are tried top to bottom; the first whose resource, method and service match wins.
 * A path that matches some row but not its method is answered 405, any other path 404; {@code OPTIONS}
 * on a path that matches some row is a CORS preflight, answered by {@link GitFilter} for every route.
 *
 * <p>{@code gitwar.read-protocol=dumb} changes no row: the upload-pack handlers answer as a dumb server.
 */
@ApplicationScoped
class Routes {

    private static final String GET = "GET";
    private static final String POST = "POST";
    private static final String OPTIONS = "OPTIONS";

    @Inject
    DumbHandlers dumb;

    @Inject
    FetchHandlers fetch;

    @Inject
    PushHandlers push;

    private List<Route> table;

    @PostConstruct
    void build() {
        table = List.of(
            //    method  resource under /<repository>/                ?service=           kind                 handler
            route(GET,  "HEAD",                                       null,               DUMB_READ,           dumb::head),
            route(GET,  "info/refs",                                  "git-upload-pack",  SMART_ADVERTISEMENT, fetch::advertise),
            route(GET,  "info/refs",                                  "git-receive-pack", SMART_ADVERTISEMENT, push::advertise),
            route(GET,  "info/refs",                                  null,               DUMB_READ,           dumb::infoRefs),
            route(GET,  "objects/info/packs",                         null,               DUMB_READ,           dumb::packList),
            route(GET,  "objects/info/(?:http-)?alternates",          null,               DUMB_READ,           dumb::notFound),
            route(GET,  "objects/[0-9a-f]{2}/[0-9a-f]{38}",           null,               DUMB_READ,           dumb::looseObject),
            route(GET,  "objects/pack/pack-[0-9a-f]{40}\\.(?:pack|idx)", null,            DUMB_READ,           dumb::packFile),
            route(POST, "git-upload-pack",                            null,               SMART_RPC,           fetch::upload),
            route(POST, "git-receive-pack",                           null,               SMART_RPC,           push::receive));
    }

    private static Route route(String method, String resource, String service, RequestKind kind, GitHandler h) {
        return new Route(Set.of(method), resource, service, kind, h);
    }

    /** The outcome of routing a request. */
    sealed interface Resolution permits Found, Preflight, MethodNotAllowed, NotFound {
        /** What the request is. */
        RequestKind kind();
    }

    record Found(Route route, String repository, String resource) implements Resolution {
        @Override
        public RequestKind kind() {
            return route.kind;
        }
    }

    /** {@code OPTIONS} on a Git route; {@code allowed} are the path's methods. */
    record Preflight(Set<String> allowed) implements Resolution {
        @Override
        public RequestKind kind() {
            return CORS_PREFLIGHT;
        }
    }

    record MethodNotAllowed(Set<String> allowed) implements Resolution {
        @Override
        public RequestKind kind() {
            return UNKNOWN;
        }
    }

    record NotFound() implements Resolution {
        @Override
        public RequestKind kind() {
            return UNKNOWN;
        }
    }

    Resolution resolve(String method, String path, String service) {
        Set<String> allowed = new TreeSet<>();
        for (Route r : table) {
            Matcher m = r.match(path);
            if (m == null || !r.servesService(service)) {
                continue;
            }
            if (r.answers(method)) {
                return new Found(r, m.group("repo"), m.group("resource"));
            }
            allowed.addAll(r.methods);
            if (r.methods.contains(GET)) {
                allowed.add("HEAD");
            }
        }
        if (allowed.isEmpty()) {
            return new NotFound();
        }
        allowed.add(OPTIONS); // every Git route answers preflights
        Set<String> methods = new LinkedHashSet<>(allowed);
        return OPTIONS.equals(method) ? new Preflight(methods) : new MethodNotAllowed(methods);
    }

    /** Every row, for tests and documentation. */
    List<Route> table() {
        return table;
    }
}
