package io.gitwar.http;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Cache headers, as C git's http-backend sets them: what changes with every push (refs, pack list,
 * advertisements) is revalidated on every use; what is content-addressed (objects, packs, indexes)
 * never changes and may be cached for a year.
 */
final class HttpCaching {

    private HttpCaching() {
    }

    static void noCache(HttpServletResponse r) {
        r.setHeader("Cache-Control", "no-cache, max-age=0, must-revalidate");
        r.setHeader("Pragma", "no-cache");
        r.setHeader("Expires", "Fri, 01 Jan 1980 00:00:00 GMT");
    }

    static void forever(HttpServletResponse r) {
        r.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    }
}
