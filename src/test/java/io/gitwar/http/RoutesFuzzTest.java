package io.gitwar.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gitwar.failure.InvalidRepositoryName;
import io.gitwar.service.RepositoryName;

/**
 * Fuzzes the routing table with the repository name resolution behind it, as {@link GitFilter} uses
 * them: resolution never fails; a found route splits the path exactly into repository and resource;
 * a 405 names the methods that are allowed; the repository part either names a valid repository or
 * is refused as invalid.
 */
class RoutesFuzzTest {

    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "get"};

    private final Routes routes = new Routes();

    RoutesFuzzTest() {
        routes.dumb = new DumbHandlers();
        routes.fetch = new FetchHandlers();
        routes.push = new PushHandlers();
        routes.build();
    }

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"/info/refs", "/HEAD", "/objects/info/packs", "/objects/pack/pack-", ".pack", ".idx",
        "/git-receive-pack", "git-receive-pack", "git-upload-pack", ".git", "/objects/", "%2e%2e", "..", "//"})
    void everyPathResolvesToARouteA405OrA404(FuzzedDataProvider data) {
        String method = data.pickValue(METHODS);
        String service = data.consumeBoolean() ? null : data.consumeString(30);
        String path = data.consumeRemainingAsString();
        Routes.Resolution r = routes.resolve(method, path, service);
        if (r instanceof Routes.Found found) {
            assertEquals(path, "/" + found.repository() + "/" + found.resource());
            assertTrue(found.route().answers(method));
            assertTrue(found.route().servesService(service));
            try {
                RepositoryName name = RepositoryName.parse(found.repository());
                for (String segment : name.value().split("/", -1)) {
                    assertFalse(segment.isEmpty() || segment.equals(".") || segment.equals(".."), name.value());
                }
            } catch (InvalidRepositoryName expected) {
                // answered 400
            }
        } else if (r instanceof Routes.MethodNotAllowed m) {
            assertFalse(m.allowed().isEmpty());
            assertFalse(m.allowed().contains(method));
        } else if (r instanceof Routes.Preflight p) {
            assertEquals("OPTIONS", method);
            assertFalse(p.allowed().isEmpty());
        }
    }
}
