package io.gitwar.http.rules;

import static io.gitwar.http.rules.CorsPolicy.ALLOW_HEADERS;
import static io.gitwar.http.rules.CorsPolicy.ALLOW_METHODS;
import static io.gitwar.http.rules.CorsPolicy.ALLOW_ORIGIN;
import static io.gitwar.http.rules.CorsPolicy.EXPOSE_HEADERS;
import static io.gitwar.http.rules.CorsPolicy.MAX_AGE;
import static io.gitwar.http.rules.CorsPolicy.VARY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CorsPolicyTest {

    private static final String GIT_HEADERS =
            "content-type, authorization, git-protocol, range, if-none-match, if-modified-since";
    private static final String EXPOSED = "content-type, content-length, etag, accept-ranges, content-range";

    /** Policies by name: the default, and one restricted to two origins with an extra header. */
    private static CorsPolicy policy(String name) {
        return switch (name) {
            case "any" -> CorsPolicy.of(List.of("*"), List.of());
            case "listed" -> CorsPolicy.of(List.of("https://app.example.com", "http://127.0.0.1:8000"),
                    List.of("x-request-id"));
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", delimiter = '|', value = {
        // policy | Origin                  | refused | Allow-Origin            | Allow-Headers extra | Vary
        "any      | https://anywhere.test   | false   | *                       | -                   | -",
        "any      | -                       | false   | *                       | -                   | -",
        "listed   | https://app.example.com | false   | https://app.example.com | , x-request-id      | Origin",
        // browsers send lower case; a config or proxy might not
        "listed   | HTTPS://APP.example.com | false   | HTTPS://APP.example.com | , x-request-id      | Origin",
        "listed   | http://127.0.0.1:8000   | false   | http://127.0.0.1:8000   | , x-request-id      | Origin",
        "listed   | http://127.0.0.1:8001   | true    | -                       | -                   | Origin",
        "listed   | https://app.example.com.evil.test | true | -                | -                   | Origin",
        "listed   | null                    | true    | -                       | -                   | Origin",
    })
    void preflights(String policy, String origin, boolean refused, String allowOrigin, String extraHeader,
            String vary) {
        CorsPolicy.Preflight p = policy(policy).preflight(origin);
        assertEquals(refused, p.refused());
        assertEquals(allowOrigin, p.headers().get(ALLOW_ORIGIN));
        assertEquals(vary, p.headers().get(VARY));
        if (allowOrigin != null) {
            assertEquals("GET, POST, OPTIONS", p.headers().get(ALLOW_METHODS));
            assertEquals(GIT_HEADERS + (extraHeader == null ? "" : extraHeader), p.headers().get(ALLOW_HEADERS));
            assertEquals("7200", p.headers().get(MAX_AGE));
        } else {
            assertEquals(vary == null ? Map.of() : Map.of(VARY, vary), p.headers());
        }
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", delimiter = '|', value = {
        // a restricted server answers a plain OPTIONS (no Origin: not from a browser) without CORS
        "listed | -",
    })
    void plainOptionsWithoutOriginIsNoPreflight(String policy, String origin) {
        CorsPolicy.Preflight p = policy(policy).preflight(origin);
        assertEquals(false, p.refused());
        assertEquals(Map.of(VARY, "Origin"), p.headers());
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", delimiter = '|', value = {
        // policy | Origin                  | Allow-Origin            | exposes | Vary
        "any      | https://anywhere.test   | *                       | true    | -",
        "any      | -                       | *                       | true    | -",
        "listed   | https://app.example.com | https://app.example.com | true    | Origin",
        "listed   | http://127.0.0.1:8001   | -                       | false   | Origin",
        "listed   | -                       | -                       | false   | Origin",
    })
    void responses(String policy, String origin, String allowOrigin, boolean exposes, String vary) {
        Map<String, String> h = policy(policy).response(origin);
        assertEquals(allowOrigin, h.get(ALLOW_ORIGIN));
        assertEquals(exposes ? EXPOSED : null, h.get(EXPOSE_HEADERS));
        assertEquals(vary, h.get(VARY));
        assertEquals(null, h.get(ALLOW_METHODS)); // preflight headers only on preflights
    }
}
