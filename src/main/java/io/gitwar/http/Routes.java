package io.gitwar.http;

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
            //    method  resource under /<repository>/                   ?service=           handler
            route(GET,  "HEAD",                                          null,               dumb::head),
            route(GET,  "info/refs",                                     "git-upload-pack",  fetch::advertise),
            route(GET,  "info/refs",                                     "git-receive-pack", push::advertise),
            route(GET,  "info/refs",                                     null,               dumb::infoRefs),
            route(GET,  "objects/info/packs",                            null,               dumb::packList),
            route(GET,  "objects/info/(?:http-)?alternates",             null,               dumb::notFound),
            route(GET,  "objects/[0-9a-f]{2}/[0-9a-f]{38}",              null,               dumb::looseObject),
            route(GET,  "objects/pack/pack-[0-9a-f]{40}\\.(?:pack|idx)", null,               dumb::packFile),
            route(POST, "git-upload-pack",                               null,               fetch::upload),
            route(POST, "git-receive-pack",                              null,               push::receive));
    }

    private static Route route(String method, String resource, String service, GitHandler h) {
        return new Route(Set.of(method), resource, service, h);
    }

    /** The outcome of routing a request. */
    sealed interface Resolution permits Found, Preflight, MethodNotAllowed, NotFound {
    }

    record Found(Route route, String repository, String resource) implements Resolution {
    }

    /** {@code OPTIONS} on a Git route; {@code allowed} are the path's methods. */
    record Preflight(Set<String> allowed) implements Resolution {
    }

    record MethodNotAllowed(Set<String> allowed) implements Resolution {
    }

    record NotFound() implements Resolution {
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
}
