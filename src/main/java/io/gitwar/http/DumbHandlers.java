package io.gitwar.http;

import io.gitwar.service.StoredResource;
import io.gitwar.service.dumb.DumbReads;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The dumb protocol: the generated listings (HEAD, info/refs, objects/info/packs) and the immutable
 * files (packs, indexes, loose objects), exactly as git's dumb HTTP client expects them.
 */
@ApplicationScoped
class DumbHandlers {

    static final String TEXT = "text/plain; charset=utf-8";

    @Inject
    DumbReads reads;

    void head(GitRequest x) throws IOException {
        text(x, "text/plain", reads.head(x.lease()));
    }

    void infoRefs(GitRequest x) throws IOException {
        text(x, TEXT, reads.infoRefs(x.lease()));
    }

    void packList(GitRequest x) throws IOException {
        text(x, TEXT, reads.packList(x.lease()));
    }

    /** Alternates: gitwar repositories have none (and 404 is what git expects then). */
    void notFound(GitRequest x) throws IOException {
        reads.head(x.lease()); // a missing repository still answers "repository not found"
        ErrorResponses.send(x.response(), HttpServletResponse.SC_NOT_FOUND, "not found");
    }

    void looseObject(GitRequest x) throws IOException {
        String hex = x.resource().substring("objects/".length()).replace("/", "");
        file(x, "application/x-git-loose-object", reads.looseObject(x.lease(), hex));
    }

    void packFile(GitRequest x) throws IOException {
        String file = x.resource().substring("objects/pack/".length());
        int dot = file.lastIndexOf('.');
        String ext = file.substring(dot + 1);
        file(x, ext.equals("pack") ? "application/x-git-packed-objects" : "application/x-git-packed-objects-toc",
                reads.packFile(x.lease(), file.substring(0, dot), ext));
    }

    private static void text(GitRequest x, String contentType, String body) throws IOException {
        HttpCaching.sendMutable(x.request(), x.response(), contentType, HttpCaching.utf8(body));
    }

    private static void file(GitRequest x, String contentType, Optional<StoredResource> found) throws IOException {
        if (found.isEmpty()) {
            ErrorResponses.send(x.response(), HttpServletResponse.SC_NOT_FOUND, "not found");
            return;
        }
        try (StoredResource resource = found.get()) {
            HttpCaching.sendImmutable(x.request(), x.response(), contentType, resource);
        }
    }
}
