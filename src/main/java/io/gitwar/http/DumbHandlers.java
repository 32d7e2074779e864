package io.gitwar.http;

import io.gitwar.service.StoredResource;
import jakarta.enterprise.context.ApplicationScoped;
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

    void head(GitExchange x) throws IOException {
        text(x, "text/plain", x.view().headFile());
    }

    void infoRefs(GitExchange x) throws IOException {
        text(x, TEXT, x.view().infoRefs());
    }

    void packList(GitExchange x) throws IOException {
        text(x, TEXT, x.view().packList());
    }

    /** Alternates: gitwar repositories have none (and 404 is what git expects then). */
    void notFound(GitExchange x) throws IOException {
        x.view().headFile(); // a missing repository still answers "repository not found"
        ErrorResponses.send(x.response, HttpServletResponse.SC_NOT_FOUND, "not found");
    }

    void looseObject(GitExchange x) throws IOException {
        String hex = x.resource.substring("objects/".length()).replace("/", "");
        file(x, "application/x-git-loose-object", x.view().looseObject(hex));
    }

    void packFile(GitExchange x) throws IOException {
        String file = x.resource.substring("objects/pack/".length());
        int dot = file.lastIndexOf('.');
        String ext = file.substring(dot + 1);
        file(x, ext.equals("pack") ? "application/x-git-packed-objects" : "application/x-git-packed-objects-toc",
                x.view().packFile(file.substring(0, dot), ext));
    }

    private static void text(GitExchange x, String contentType, String body) throws IOException {
        HttpCaching.sendMutable(x.request, x.response, contentType, HttpCaching.utf8(body));
    }

    private static void file(GitExchange x, String contentType, Optional<StoredResource> found) throws IOException {
        if (found.isEmpty()) {
            ErrorResponses.send(x.response, HttpServletResponse.SC_NOT_FOUND, "not found");
            return;
        }
        HttpCaching.sendImmutable(x.request, x.response, contentType, found.get());
    }
}
