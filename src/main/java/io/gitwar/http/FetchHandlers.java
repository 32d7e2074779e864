package io.gitwar.http;

import io.gitwar.service.fetch.FetchService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Smart upload-pack over HTTP (fetch and clone, protocol v0/v1 and, with {@code Git-Protocol:
 * version=2}, v2). With {@code gitwar.read-protocol=dumb} the advertisement URL answers the dumb
 * listing, as a dumb server does (git then fetches the dumb way; isomorphic-git reports that the
 * server is not smart), and the exchange itself is refused by the service (403).
 */
@ApplicationScoped
class FetchHandlers {

    static final String GIT_PROTOCOL = "Git-Protocol";

    @Inject
    FetchService fetches;

    @Inject
    DumbHandlers dumb;

    void advertise(GitRequest x) throws IOException {
        if (!fetches.enabled()) {
            dumb.infoRefs(x);
            return;
        }
        // Buffered for its ETag (it lists the refs, which JGit holds in memory anyway); it differs
        // between protocol v0 and v2, so a cache must key it by Git-Protocol too.
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fetches.advertise(x.lease(), x.request().getHeader(GIT_PROTOCOL), body);
        x.response().addHeader("Vary", GIT_PROTOCOL); // added: CORS may already vary by Origin
        HttpCaching.sendMutable(x.request(), x.response(), "application/x-git-upload-pack-advertisement",
                body.toByteArray());
    }

    void upload(GitRequest x) throws IOException {
        fetches.requireEnabled(); // 403 in dumb mode, whatever the body
        InputStream body = RequestBodies.open(x.request(), "application/x-git-upload-pack-request");
        HttpServletResponse r = x.response();
        r.setContentType("application/x-git-upload-pack-result");
        HttpCaching.noCache(r);
        fetches.upload(x.lease(), x.request().getHeader(GIT_PROTOCOL), body, r.getOutputStream());
        // a refused request may be left unread; the rest is drained as it came (a gzip bomb is not
        // inflated for that), or a client still sending it would not read the answer
        RequestBodies.drain(x.request().getInputStream());
    }
}
