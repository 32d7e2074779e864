package io.gitwar.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutesTest {

    private static final String HEX38 = "0123456789abcdef0123456789abcdef012345";
    private static final String HEX40 = "0123456789abcdef0123456789abcdef01234567";

    Routes routes;

    @BeforeEach
    void table() {
        routes = new Routes();
        routes.dumb = new DumbHandlers();
        routes.fetch = new FetchHandlers();
        routes.push = new PushHandlers();
        routes.build();
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        // method, path,                                   service,            repository,  resource,                kind
        "GET,  /app.git/HEAD,                              -,                  app.git,     HEAD",
        "HEAD, /app.git/HEAD,                              -,                  app.git,     HEAD",
        "GET,  /team/app.git/info/refs,                    -,                  team/app.git, info/refs",
        "GET,  /app/info/refs,                             git-upload-pack,    app,         info/refs",
        "GET,  /app/info/refs,                             other,              app,         info/refs",
        "GET,  /app/info/refs,                             git-receive-pack,   app,         info/refs",
        "GET,  /app.git/objects/info/packs,                -,                  app.git,     objects/info/packs",
        "GET,  /app.git/objects/info/alternates,           -,                  app.git,     objects/info/alternates",
        "GET,  /app.git/objects/info/http-alternates,      -,                  app.git,     objects/info/http-alternates",
        "GET,  /a/objects/ab/" + HEX38 + ",                -,                  a,           objects/ab/" + HEX38 + "",
        "GET,  /a/objects/pack/pack-" + HEX40 + ".pack,    -,                  a,           objects/pack/pack-" + HEX40 + ".pack",
        "GET,  /a/objects/pack/pack-" + HEX40 + ".idx,     -,                  a,           objects/pack/pack-" + HEX40 + ".idx",
        "POST, /team/app.git/git-receive-pack,             -,                  team/app.git, git-receive-pack",
        "POST, /team/app.git/git-upload-pack,              -,                  team/app.git, git-upload-pack",
        // a repository may itself be called like a resource directory
        "GET,  /x/objects/objects/info/packs,              -,                  x/objects,   objects/info/packs",
    })
    void routesKnownPaths(String method, String path, String service, String repo, String resource) {
        Routes.Resolution r = routes.resolve(method, path, service);
        Routes.Found found = assertInstanceOf(Routes.Found.class, r, path);
        assertEquals(repo, found.repository());
        assertEquals(resource, found.resource());
    }

    @ParameterizedTest
    @CsvSource({
        "POST,   /app.git/info/refs,        'GET, HEAD, OPTIONS'",
        "PUT,    /app.git/HEAD,             'GET, HEAD, OPTIONS'",
        "DELETE, /a/objects/info/packs,     'GET, HEAD, OPTIONS'",
        "GET,    /app.git/git-receive-pack, 'POST, OPTIONS'",
        "GET,    /app.git/git-upload-pack,  'POST, OPTIONS'",
    })
    void knownPathWithWrongMethodIsNotAllowed(String method, String path, String allowed) {
        Routes.MethodNotAllowed m = assertInstanceOf(Routes.MethodNotAllowed.class, routes.resolve(method, path, null));
        assertEquals(Set.of(allowed.split(", ")), m.allowed());
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        "/app.git/info/refs,            git-upload-pack,  'GET, HEAD, OPTIONS'",
        "/app.git/info/refs,            git-receive-pack, 'GET, HEAD, OPTIONS'",
        "/app.git/info/refs,            -,                'GET, HEAD, OPTIONS'",
        "/app.git/git-upload-pack,      -,                'POST, OPTIONS'",
        "/team/app/git-receive-pack,    -,                'POST, OPTIONS'",
        "/app.git/HEAD,                 -,                'GET, HEAD, OPTIONS'",
        "/a/objects/pack/pack-" + HEX40 + ".pack, -,      'GET, HEAD, OPTIONS'",
        // even an invalid name: the real request then gets its 400 with CORS headers, readable by the page
        "/.bad.git/info/refs,           git-upload-pack,  'GET, HEAD, OPTIONS'",
    })
    void optionsOnEveryGitRouteIsAPreflight(String path, String service, String allowed) {
        Routes.Preflight p = assertInstanceOf(Routes.Preflight.class, routes.resolve("OPTIONS", path, service));
        assertEquals(Set.of(allowed.split(", ")), p.allowed());
    }

    @ParameterizedTest
    @CsvSource({"/", "/app.git/config", "/app.git/git-upload-archive"})
    void optionsOnAnUnknownPathIsNotFound(String path) {
        assertInstanceOf(Routes.NotFound.class, routes.resolve("OPTIONS", path, null));
    }

    @ParameterizedTest
    @CsvSource({
        "GET, /",
        "GET, /app.git",
        "GET, /app.git/",
        "GET, /HEAD",
        "GET, /app.git/objects/zz/" + HEX38,
        "GET, /app.git/objects/ab/" + HEX38 + "0",
        "GET, /app.git/objects/pack/pack-" + HEX40 + ".bitmap",
        "GET, /app.git/objects/pack/pack-abc.pack",
        "GET, /app.git/config",
        "GET, /app.git/info/refs/x",
        "POST, /app.git/git-upload-archive",
    })
    void unknownPathsAreNotFound(String method, String path) {
        assertInstanceOf(Routes.NotFound.class, routes.resolve(method, path, null));
    }
}
