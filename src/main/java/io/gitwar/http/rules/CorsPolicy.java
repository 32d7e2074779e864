package io.gitwar.http.rules;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * gitwar's CORS rules, so that browsers (isomorphic-git) may clone and push from pages of other
 * origins: a pure function from the allowed origins, the extra allowed headers and a request's
 * {@code Origin} to the response headers. Immutable and thread-safe.
 *
 * <ul>
 * <li>Any origin (the default, {@code *}): every response carries {@code Access-Control-Allow-Origin: *}
 * and the exposed headers; no credentials are involved, so nothing varies per origin.</li>
 * <li>A list of origins: an allowed origin is echoed back; responses vary by {@code Origin}; any other
 * origin gets no CORS headers at all (the browser then refuses the page the response), and its
 * preflight is refused.</li>
 * </ul>
 *
 * @param anyOrigin whether every origin is allowed
 * @param origins the allowed origins when not any, lower case, e.g. {@code https://app.example.com}
 * @param allowHeaders the request headers a page may send: the Git ones and the configured extras
 */
public record CorsPolicy(boolean anyOrigin, Set<String> origins, List<String> allowHeaders) {

    static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
    static final String ALLOW_METHODS = "Access-Control-Allow-Methods";
    static final String ALLOW_HEADERS = "Access-Control-Allow-Headers";
    static final String EXPOSE_HEADERS = "Access-Control-Expose-Headers";
    static final String MAX_AGE = "Access-Control-Max-Age";
    static final String VARY = "Vary";

    static final String METHODS = "GET, POST, OPTIONS";
    /** What Git clients send: POST bodies' types, the v2 switch, auth for proxies in front, ranges, revalidation. */
    static final List<String> GIT_HEADERS = List.of("content-type", "authorization", "git-protocol", "range",
            "if-none-match", "if-modified-since");
    /** What a page may read of a response: what caching and resumed downloads need. */
    static final String EXPOSED = "content-type, content-length, etag, accept-ranges, content-range";
    /** Seconds a browser may reuse a preflight; Chromium caps the value at 7200. */
    static final String MAX_AGE_SECONDS = "7200";

    public CorsPolicy {
        origins = Set.copyOf(origins);
        allowHeaders = List.copyOf(allowHeaders);
    }

    /**
     * @param allowedOrigins {@code ["*"]} or the origins (normalized as {@code GitwarConfig} does)
     * @param extraHeaders request headers allowed beyond {@link #GIT_HEADERS}, lower case
     */
    public static CorsPolicy of(List<String> allowedOrigins, List<String> extraHeaders) {
        Set<String> headers = new LinkedHashSet<>(GIT_HEADERS);
        headers.addAll(extraHeaders);
        boolean any = allowedOrigins.contains("*");
        return new CorsPolicy(any, any ? Set.of() : Set.copyOf(allowedOrigins), List.copyOf(headers));
    }

    /** The answer to an {@code OPTIONS} request on a Git route. */
    public record Preflight(boolean refused, Map<String, String> headers) {
    }

    /**
     * The answer to a preflight from {@code origin} (null: a plain OPTIONS without CORS): the headers
     * of a 204, or refused (403) for an origin that is not allowed.
     */
    public Preflight preflight(String origin) {
        Map<String, String> h = new LinkedHashMap<>();
        if (!anyOrigin) {
            h.put(VARY, "Origin");
            if (origin == null) {
                return new Preflight(false, Map.copyOf(h)); // not from a browser: no CORS to answer
            }
            if (!allows(origin)) {
                return new Preflight(true, Map.copyOf(h));
            }
        }
        h.put(ALLOW_ORIGIN, anyOrigin ? "*" : origin);
        h.put(ALLOW_METHODS, METHODS);
        h.put(ALLOW_HEADERS, String.join(", ", allowHeaders));
        h.put(MAX_AGE, MAX_AGE_SECONDS);
        return new Preflight(false, Map.copyOf(h));
    }

    /** The CORS headers of any other response (errors included) to a request from {@code origin}. */
    public Map<String, String> response(String origin) {
        if (anyOrigin) {
            return Map.of(ALLOW_ORIGIN, "*", EXPOSE_HEADERS, EXPOSED);
        }
        if (origin == null || !allows(origin)) {
            return Map.of(VARY, "Origin");
        }
        return Map.of(ALLOW_ORIGIN, origin, EXPOSE_HEADERS, EXPOSED, VARY, "Origin");
    }

    private boolean allows(String origin) {
        return origins.contains(origin.toLowerCase(Locale.ROOT));
    }
}
